"""What the bureau's filing (备案确认) freezes for the expert draw, and the checks that it was not
changed since: the pool and the exclusions as one pseudonymised document with its digest, the draw
secret sealed with the portal's key under its published commitment, and the digest written into each
application's history (committees/draw.py describes the algorithm)."""

from __future__ import annotations

import hashlib
import hmac
import os

from applications import chain, history_sets
from applications.models import Application, ApplicationEvent
from portal import bulk, clock, keyring
from portal.models import Role

from .. import draw as drawing
from ..exceptions import CommitteeError
from ..models import ConflictKind, DrawFiling, Expert, ExpertUnavailability, Meeting
from .conflicts import active_conflicts, conflicts_refresh

SECRET_PURPOSE = "draw-secret/v1"
FILING_KEY = "draw-filing/v1"
RECORD_KEY = "draw-record/v1"
PSEUDONYM_PURPOSE = "draw-pseudonym/v1"
FILED_ACTION = "meeting_filed"  # the history row each application of the meeting gets at filing


def bound_to(meeting_pk: int) -> str:
    return f"meeting:{meeting_pk}"


def pseudonym(meeting_pk: int, expert_id: int, *, key: bytes | None = None) -> str:
    """The expert's name in this meeting's draw record: a keyed hash of the id, different per meeting,
    which nobody without the portal's secret can link back to the expert."""
    mac = hmac.new(
        key or keyring.derive(PSEUDONYM_PURPOSE),
        f"{bound_to(meeting_pk)}/expert:{expert_id}".encode(),
        hashlib.sha256,
    )
    return "E" + mac.hexdigest()[:20]


def pseudonyms(meeting_pk: int, expert_ids) -> dict[int, str]:
    """{expert id: pseudonym} for a whole pool, the key derived once."""
    key = keyring.derive(PSEUDONYM_PURPOSE)
    return {pk: pseudonym(meeting_pk, pk, key=key) for pk in expert_ids}


def specialty_code(specialty) -> str:
    return f"{specialty.series.code}/{specialty.code}"


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def filing_signed_body(meeting_pk: int, digest: str, commitment: str) -> bytes:
    return drawing.canonical({"meeting": meeting_pk, "digest": digest, "commitment": commitment})


# ---------------------------------------------------------------- exclusions, counted by reason

# Each kind of exclusion the draw applies, in the order the page lists them: what it means and what the
# office can do about it when the eligible experts are too few.
_KINDS = {
    "no_account": ("尚未开通账号", "可在专家库页面邀请开通"),
    "unavailable": ("会议当日不能参会", "可与专家确认能否调整，或另定会议日期"),
    "conflict": ("须回避", "回避不能免除，请补充其他专家"),
    "specialty": ("专业不在本次评审专业内", "可补充本次评审专业的专家入库"),
    "title_level": ("职称层级低于评审层级", "可补充职称层级不低于评审层级的专家"),
    "inactive": ("不在入库有效期内", "可在专家库更新其有效期"),
}


def exclusion_summary(exclusions: list[dict]) -> list[dict]:
    """The draw's exclusions counted by reason (conflicts by their kind), each with its advice."""
    labels = dict(ConflictKind.choices)
    counts: dict[tuple[str, str], int] = {}
    for x in exclusions:
        key = (x.get("kind", ""), x.get("conflict_kind", "") if x.get("kind") == "conflict" else "")
        counts[key] = counts.get(key, 0) + 1
    order = list(_KINDS)
    rows = []
    for (kind, sub), count in sorted(
        counts.items(), key=lambda item: (order.index(item[0][0]) if item[0][0] in order else 99, item[0][1])
    ):
        label, advice = _KINDS.get(kind, ("其他原因", "请核对专家库"))
        if sub:
            label = f"{label}（{labels.get(sub, sub)}）"
        rows.append({"kind": kind, "label": label, "count": count, "advice": advice})
    return rows


def refusal(meeting: Meeting, *, pool_size: int, eligible: int, exclusions: list[dict]) -> str:
    """Too few eligible experts: how many, why the others are out, and what the office can do."""
    if pool_size == 0:
        return "本评委会专家库中没有专家，请先在专家库页面导入专家后再备案。"
    reasons = "；".join(f"{r['count']}人{r['label']}，{r['advice']}" for r in exclusion_summary(exclusions))
    return (
        f"符合条件的专家仅{eligible}人，不足执行委员会人数{meeting.panel_size}人。"
        f"专家库{pool_size}人中：{reasons}。"
    )


# ---------------------------------------------------------------- freezing at filing


def _frozen_exclusions(meeting: Meeting, pool: list[Expert], names: dict) -> tuple[list[dict], dict]:
    """Exclusions whose facts live outside the snapshot, as they stand at filing, and their reasons."""
    out, notes = [], {}
    away = {
        u.expert_id: u
        for u in ExpertUnavailability.objects.filter(
            expert__committee=meeting.committee_id, start__lte=meeting.held_on, end__gte=meeting.held_on
        ).order_by("pk")
    }
    # The first active conflict of each expert, as plain rows (thousands in a province's pool).
    conflicts = {}
    kinds = dict(ConflictKind.choices)
    rows = active_conflicts(meeting).order_by("pk")
    for expert_id, kind, applicant in rows.values_list("expert_id", "kind", "application__archive__name"):
        conflicts.setdefault(expert_id, (kind, applicant))
    for expert in pool:
        name = names[expert.pk]
        if expert.pk in away:
            out.append({"expert": name, "kind": "unavailable"})
            notes[name] = f"不能参会：{away[expert.pk].reason}"
        elif expert.user_id is None:
            out.append({"expert": name, "kind": "no_account"})
            notes[name] = "未开通专家账号，不能参加网上表决"
        elif expert.pk in conflicts:
            kind, applicant = conflicts[expert.pk]
            out.append({"expert": name, "kind": "conflict", "conflict_kind": kind})
            notes[name] = f"回避（{kinds.get(kind, kind)}）：{applicant}"
    return sorted(out, key=lambda x: x["expert"]), notes


def draw_freeze(*, meeting: Meeting, applications: list[Application], actor) -> DrawFiling:
    """Freeze the pool and the exclusions of a meeting being filed (inside its move, meeting locked),
    seal a new draw secret, and write the digest and the commitment into each application's history.
    Refuses when the frozen pool could not fill the panel: the draw could never succeed."""
    pool = list(
        Expert.objects.filter(committee=meeting.committee)
        .select_related("specialty__series", "title")
        .order_by("pk")
    )
    conflicts_refresh(meeting=meeting, experts=Expert.objects.filter(committee=meeting.committee))
    names = pseudonyms(meeting.pk, [e.pk for e in pool])
    exclusions, notes = _frozen_exclusions(meeting, pool, names)
    secret = os.urandom(32)
    frozen = {
        "version": drawing.ALGORITHM_VERSION,
        "meeting": meeting.pk,
        "held_on": meeting.held_on.isoformat(),
        "panel_size": meeting.panel_size,
        "reserve_count": meeting.reserve_count,
        "commitment": drawing.commitment(secret),
        "filters": {
            "specialties": sorted({specialty_code(a.specialty) for a in applications}),
            "on": meeting.held_on.isoformat(),
            # W3: experts hold a title of at least the level under review.
            "min_title_level": max(a.qualification.level for a in applications),
        },
        "pool": sorted(
            (
                {
                    "expert": names[e.pk],
                    "specialty": specialty_code(e.specialty),
                    "title_level": e.title.level,
                    "active_from": _iso(e.active_from),
                    "active_until": _iso(e.active_until),
                }
                for e in pool
            ),
            key=lambda s: s["expert"],
        ),
        "exclusions": exclusions,
    }
    all_exclusions, eligible = drawing.eligible(frozen)
    if len(eligible) < meeting.panel_size:
        raise CommitteeError(
            refusal(meeting, pool_size=len(pool), eligible=len(eligible), exclusions=all_exclusions)
        )
    digest = drawing.digest(frozen)
    commitment = frozen["commitment"]
    signature = keyring.signing_key(FILING_KEY).sign(filing_signed_body(meeting.pk, digest, commitment))
    filing = DrawFiling.objects.create(
        meeting=meeting,
        frozen=frozen,
        digest=digest,
        commitment=commitment,
        sealed_secret=keyring.seal(SECRET_PURPOSE, secret, bound_to=bound_to(meeting.pk)),
        signature=signature.hex(),
        members={names[e.pk]: e.pk for e in pool},
        notes=notes,
        filed_by=actor,
        filed_at=clock.now(),
    )
    _record_in_histories(applications, meeting=meeting, filing=filing, actor=actor)
    return filing


def _record_in_histories(
    applications: list[Application], *, meeting: Meeting, filing: DrawFiling, actor
) -> None:
    """The row `workflow.record_event` appends, on every application of the meeting, in one INSERT and
    one UPDATE of their counts and heads (applications/history_sets.py)."""
    heads = history_sets.locked_heads(a.pk for a in applications)
    at, key = history_sets.stamp(), chain.row_key()
    note = (
        f"{meeting.title}备案确认：冻结专家库及排除名单摘要（SHA-256）{filing.digest}，"
        f"抽取密钥承诺值{filing.commitment}"
    )
    data = {"meeting": meeting.pk, "draw_digest": filing.digest, "draw_commitment": filing.commitment}
    rows = [
        history_sets.event_row(
            application_id=pk,
            count=count,
            head=head,
            actor_id=actor.pk,
            role=Role.OFFICER,
            at=at,
            action=FILED_ACTION,
            from_state=state,
            to_state=state,
            note=note,
            data=data,
            key=key,
        )
        for pk, state, count, head in heads.values()
    ]
    history_sets.insert_events(rows)
    bulk.update_rows(
        Application,
        ("id", "history_count", "history_head"),
        [(row[0], row[history_sets.SEQ], row[history_sets.HASH]) for row in rows],
    )


# ---------------------------------------------------------------- checks before the draw and at replay


def filing_problem(filing: DrawFiling, meeting: Meeting) -> str | None:
    """Why the frozen filing cannot be trusted any more, or None: its digest, the portal's signature,
    the commitment, the pseudonyms and the digests written into the applications' histories."""
    frozen = filing.frozen
    if not isinstance(frozen, dict) or drawing.digest(frozen) != filing.digest:
        return "备案时冻结的专家库或排除名单已被改动（与备案摘要不符）"
    body = filing_signed_body(meeting.pk, filing.digest, filing.commitment)
    try:
        signature = bytes.fromhex(filing.signature)
    except ValueError:
        signature = b""
    if not keyring.verify_signature(keyring.public_key_raw(FILING_KEY), signature, body):
        return "备案摘要或抽取密钥承诺值已被改动（与平台签名不符）"
    if frozen.get("commitment") != filing.commitment or meeting.seed_hash != filing.commitment:
        return "会议公布的抽取密钥承诺值与备案记录不符"
    if frozen.get("meeting") != meeting.pk:
        return "冻结记录不属于本会议"
    if (frozen.get("panel_size"), frozen.get("reserve_count")) != (meeting.panel_size, meeting.reserve_count):
        return "执行委员会或备选专家人数在备案后被改动"
    pool = {entry.get("expert") for entry in frozen.get("pool", [])}
    members = filing.members if isinstance(filing.members, dict) else {}
    names = pseudonyms(meeting.pk, members.values()) if set(members) == pool else {}
    if set(members) != pool or any(names.get(pk) != p for p, pk in members.items()):
        return "冻结专家库的专家对应关系已被改动"
    return history_problem(filing, meeting)


def history_problem(filing: DrawFiling, meeting: Meeting) -> str | None:
    """Each application of the meeting carries the filing's digest and commitment in its history."""
    applications = Application.objects.filter(meeting_items__meeting=meeting, meeting_items__removed_at=None)
    events = {}
    for event in ApplicationEvent.objects.filter(application__in=applications, action=FILED_ACTION).order_by(
        "seq"
    ):
        if isinstance(event.data, dict) and event.data.get("meeting") == meeting.pk:
            events[event.application_id] = event
    for application in applications.order_by("number"):
        event = events.get(application.pk)
        if event is None:
            return f"申报{application.number}的历史记录中没有本会议的备案摘要"
        if chain.digest_of(event) != event.hash:
            return f"申报{application.number}历史记录中的备案摘要已被改动"
        if (event.data.get("draw_digest"), event.data.get("draw_commitment")) != (
            filing.digest,
            filing.commitment,
        ):
            return f"冻结专家库摘要与申报{application.number}历史记录中的备案摘要不符"
    return None
