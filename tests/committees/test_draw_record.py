"""The pseudonymised draw record: downloaded from the meeting page by the committee office and the filing
bureau, checked by tools/verify_draw.py (standard library only) outside the portal; and draws made with
the first algorithm still replay."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from committees import draw_v1, services
from committees.models import DrawEntry, DrawRecord, Expert

pytestmark = pytest.mark.django_db

VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"


def _download(client, meeting):
    return client.get(reverse("committees:meeting_draw_record", args=[meeting.pk]))


def _verify(path: Path) -> subprocess.CompletedProcess:
    # -I -S: no site-packages, no environment, no current directory: the standard library alone.
    return subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(path)], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def downloaded(cw, tmp_path):
    meeting = cw.started()
    response = _download(cw.w.client_for(cw.w.clerk), meeting)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    record = json.loads(response.content)
    return meeting, record, tmp_path


def _write(tmp_path: Path, record: dict, name: str = "record.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_verifier_recomputes_the_downloaded_record(downloaded):
    meeting, record, tmp_path = downloaded
    result = _verify(_write(tmp_path, record))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "一致" in result.stdout
    assert len(record["panel"]) == 7 and len(record["reserves"]) == 7


def test_the_record_names_no_expert_employer_or_applicant(downloaded):
    meeting, record, _ = downloaded
    text = json.dumps(record, ensure_ascii=False)
    experts = Expert.objects.filter(committee=meeting.committee)
    assert not [e.name for e in experts if e.name in text]
    assert not [e.employer_label for e in experts if e.employer_label and e.employer_label in text]
    assert meeting.items.get().application.archive.name not in text
    assert not any(str(e.pk) == p for e in experts for p in record["panel"])


@pytest.mark.parametrize(
    "edit, difference",
    [
        (lambda r: r["panel"].insert(0, r["reserves"].pop(0)), "执行委员第1位"),
        (lambda r: r["frozen"]["pool"][0].update(title_level=1), "摘要"),
        (
            lambda r: r["frozen"]["exclusions"].append({"expert": r["panel"][0], "kind": "unavailable"}),
            "摘要",
        ),
        (lambda r: r.update(draw_random="00" * 32), "执行委员第"),
        (lambda r: r.update(secret="11" * 32), "承诺值"),
    ],
)
def test_the_verifier_fails_an_edited_record_with_the_first_difference(downloaded, edit, difference):
    _, record, tmp_path = downloaded
    edit(record)
    result = _verify(_write(tmp_path, record))
    assert result.returncode == 1
    assert "不一致" in result.stdout and difference in result.stdout


def test_the_verifier_fails_an_unreadable_record(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    assert _verify(path).returncode == 1


def test_who_may_download_the_record(cw, world):
    meeting = cw.drawn()
    clerk, officer = world.client_for(world.clerk), world.client_for(world.officer)
    # Before the start the record (and the panel in it) stays confidential.
    assert _download(clerk, meeting).status_code == 404
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    assert _download(officer, meeting).status_code == 200
    assert _download(world.client_for(world.other_officer), meeting).status_code == 404
    assert _download(world.client_for(world.other_clerk), meeting).status_code == 404
    panel_expert = DrawEntry.objects.filter(draw__meeting=meeting, on_panel=True).first().expert
    assert _download(world.client_for(panel_expert.user), meeting).status_code == 403
    assert _download(world.client_for(world.auditor), meeting).status_code == 403
    assert clerk.post(reverse("committees:meeting_draw_record", args=[meeting.pk])).status_code == 405
    page = clerk.get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    assert reverse("committees:meeting_draw_record", args=[meeting.pk]) in page


def test_a_draw_of_the_first_algorithm_still_replays(cw):
    """A record kept from before sha256-commit-v2, with its seed moved into the record."""
    meeting = cw.filed()
    seed = "ab" * 32
    pool = [
        {
            "id": e.pk,
            "name": e.name,
            "specialty_id": e.specialty_id,
            "specialty": e.specialty.name,
            "title": e.title.name,
            "title_level": e.title.level,
            "employer_id": None,
            "employer": e.employer_label,
            "region": e.region.code,
            "active_from": e.active_from.isoformat(),
            "active_until": None,
        }
        for e in sorted(cw.experts, key=lambda e: e.pk)
    ]
    filters = {"committee": meeting.committee_id, "specialties": [cw.specialty.pk], "on": "2026-01-01"}
    filters["min_title_level"] = 2
    outcome = draw_v1.compute(
        pool=pool,
        filters=filters,
        recorded=[],
        seed=seed,
        version=draw_v1.ALGORITHM_VERSION,
        panel_size=7,
        reserve_count=7,
    )
    record = DrawRecord.objects.create(
        meeting=meeting,
        algorithm_version=draw_v1.ALGORITHM_VERSION,
        seed_hash=hashlib.sha256(seed.encode()).hexdigest(),
        filters=filters,
        pool=pool,
        exclusions=outcome.exclusions,
        record_digest=draw_v1.record_digest(
            version=draw_v1.ALGORITHM_VERSION,
            committed_hash=hashlib.sha256(seed.encode()).hexdigest(),
            filters=filters,
            pool=pool,
            exclusions=outcome.exclusions,
            panel=outcome.panel,
            reserves=outcome.reserves,
        ),
        secret=seed,
        drawn_by=cw.w.clerk,
        drawn_at=cw.clock.now(),
    )
    for i, pk in enumerate(outcome.panel + outcome.reserves):
        DrawEntry.objects.create(
            draw=record,
            expert_id=pk,
            position=i + 1,
            drawn_as="panel" if i < 7 else "reserve",
            on_panel=i < 7,
        )
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), "--force", stdout=out)
    assert "一致" in out.getvalue() and draw_v1.ALGORITHM_VERSION in out.getvalue()
    DrawRecord.objects.filter(pk=record.pk).update(secret="cd" * 32)
    with pytest.raises(CommandError, match="SHA-256不符"):
        call_command("replay_draw", str(meeting.pk), "--force", stdout=StringIO(), stderr=StringIO())
