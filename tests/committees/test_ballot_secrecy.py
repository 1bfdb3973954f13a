"""Ballot secrecy against a reader of the database (issue 13, 1).

The attacker reads every table with raw SQL, physical row position (ctid) and transaction id (xmin) on
PostgreSQL, rowid on SQLite, and every column. After the close, they order the receipts every way the
database allows and align them with every stored sequence that carries a choice (a choice value in a
column or in JSON, or successive running counts), and score the guessed expert→choice mapping against
the truth: it must do no better than guessing from the published counts alone. During the vote, they
diff the whole database between two votes, and try to open, compare, move and roll back the sealed
tallies."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from applications.models import Application
from committees import services
from committees.exceptions import CommitteeError
from committees.models import BallotBox, BallotReceipt, MeetingResult
from committees.services.ballots import box_tally

pytestmark = pytest.mark.django_db

TOKENS = {
    "agree": "agree",
    "disagree": "disagree",
    "abstain": "abstain",
    "同意": "agree",
    "不同意": "disagree",
    "弃权": "abstain",
}
COUNTERS = ("agree", "disagree", "abstain")
# Seven experts on three applications, distinct mixes, so that the counts alone leave most votes open.
CHOICES = [
    ["agree", "agree", "agree", "disagree", "disagree", "abstain", "abstain"],
    ["disagree", "agree", "abstain", "agree", "disagree", "agree", "agree"],
    ["abstain", "disagree", "agree", "abstain", "disagree", "agree", "disagree"],
]
# The order of the votes (expert index, application index): neither expert- nor application-major.
ORDER = [(i, j) for i in (3, 0, 5, 1, 6, 2, 4) for j in ((i + 1) % 3, i % 3, (i + 2) % 3)]


# ---------------------------------------------------------------- the attacker's view of the database


def _physical() -> str:
    if connection.vendor == "postgresql":
        return "ctid::text AS _ctid, xmin::text AS _xmin, "
    return "rowid AS _rowid, "


def _phys_key(column: str, value):
    if column == "_ctid":
        page, item = value.strip("()").split(",")
        return (int(page), int(item))
    return int(value)


def dump(*, physical: bool = True) -> dict[str, list[dict]]:
    """Every row of every table, every column, as the database gives it."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT {_physical() if physical else ''}* FROM {quoted}")
            columns = [d[0] for d in cursor.description]
            out[table] = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in cursor]
    return out


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def _choices_in(row: dict) -> list[str]:
    """Every choice a row stores: a cell or a JSON value that is a choice."""
    found = []
    for value in row.values():
        for v in _walk(value):
            if isinstance(v, str) and v.strip() in TOKENS:
                found.append(TOKENS[v.strip()])
    return found


def _snapshots_in(row: dict) -> list[tuple[int, int, int]]:
    """Every set of counts a row stores: columns or JSON keys named agree / disagree / abstain."""
    found = []
    for value in [row, *row.values()]:
        for v in _walk(value):
            if isinstance(v, dict) and all(isinstance(v.get(c), int) for c in COUNTERS):
                found.append(tuple(v[c] for c in COUNTERS))
    return found


def _sort_keys(rows: list[dict]):
    """Each way of ordering a table's rows: physical position, transaction id, then every column."""
    if not rows:
        return
    for column in rows[0]:
        if column in ("_ctid", "_xmin", "_rowid"):
            yield column, lambda r, c=column: _phys_key(c, r[c])
        else:
            yield column, lambda r, c=column: _value_key(r[c])


def _value_key(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value, "")
    return (1 if value is not None else 2, 0, str(value))


def _references(row: dict, box: BallotBox) -> bool:
    for column, value in row.items():
        if str(value) in (str(box.application_id), box.application_id.hex):
            return True
        if "box" in column and value == box.pk:
            return True
    return False


def _steps(snapshots: list[tuple[int, int, int]]) -> list[str]:
    """Successive running counts that rise by one vote reveal the order of the choices."""
    seq, last = [], (0, 0, 0)
    for snap in snapshots:
        diff = [b - a for a, b in zip(last, snap, strict=True)]
        if sorted(diff) == [0, 0, 1]:
            seq.append(COUNTERS[diff.index(1)])
        last = snap
    return seq if len(seq) > 1 else []


def candidate_sequences(db: dict, boxes: list[BallotBox]):
    """Every ordered list of choices the database yields: {None: one sequence for all receipts} or
    {box id: a sequence for that box's receipts, for each box}."""
    for rows in db.values():
        for _, key in _sort_keys(rows):
            ordered = sorted(rows, key=key)
            scoped = {None: ordered} | {box.pk: [r for r in ordered if _references(r, box)] for box in boxes}
            for extract in (
                lambda rs: [c for r in rs for c in _choices_in(r)],
                lambda rs: _steps([s for r in rs for s in _snapshots_in(r)]),
            ):
                seqs = {scope: extract(rs) for scope, rs in scoped.items()}
                for plan in ({None: seqs.pop(None)}, seqs):
                    if any(plan.values()):
                        yield plan
                        yield {scope: seq[::-1] for scope, seq in plan.items()}


def receipt_orders(db: dict):
    """The receipts, ordered by each thing stored with them: id, time, position, transaction."""
    rows = db["committees_ballotreceipt"]
    for column, key in _sort_keys(rows):
        if column not in ("box_id", "expert_id"):
            yield column, sorted(rows, key=key)


def attack(db: dict, boxes: list[BallotBox]) -> tuple[int, str]:
    """The best score of every alignment of a choice sequence with an order of the receipts."""
    best, how = 0, "nothing to align"
    by_box = {b.pk: b for b in boxes}
    for order_name, receipts in receipt_orders(db):
        for plan in candidate_sequences(db, boxes):
            guess = {}
            for scope, seq in plan.items():
                mine = receipts if scope is None else [r for r in receipts if r["box_id"] == scope]
                for r, c in zip(mine, seq, strict=False):
                    guess[(r["expert_id"], by_box[r["box_id"]].application_id)] = c
            score = sum(TRUTH.get(k) == c for k, c in guess.items())
            if score > best:
                best, how = score, f"receipts by {order_name}, aligned with {plan}"
    return best, how


TRUTH: dict = {}


def counts_baseline() -> int:
    """What the published counts alone give: everyone guessed to have voted the majority choice."""
    per_app = Counter()
    for (_, app), choice in TRUTH.items():
        per_app[(app, choice)] += 1
    apps = {app for _, app in TRUTH}
    return sum(max(per_app[(a, c)] for c in COUNTERS) for a in apps)


# ---------------------------------------------------------------- the meeting


@pytest.fixture
def voted(cw):
    """Seven experts vote on three applications in a mixed order, a minute apart."""
    apps = cw.awaiting_meeting(3)
    meeting = cw.voting(apps)
    experts = cw.present_experts(meeting)
    assert len(experts) == 7
    TRUTH.clear()
    for i, j in ORDER:
        cw.clock.advance(minutes=1)
        services.ballot_cast(meeting=meeting, application=apps[j], user=experts[i].user, choice=CHOICES[j][i])
        TRUTH[(experts[i].pk, apps[j].pk)] = CHOICES[j][i]
    return meeting, apps, experts


def _close(cw, meeting):
    cw.clock.advance(minutes=5)
    return services.meeting_close(meeting=meeting, actor=cw.w.clerk)


def test_after_the_close_no_ordering_of_the_database_links_an_expert_to_a_choice(cw, voted):
    meeting, apps, experts = voted
    boxes = list(BallotBox.objects.filter(meeting=meeting))
    results = _close(cw, meeting)
    db = dump()
    baseline = counts_baseline()
    assert baseline == 10 < len(TRUTH) == 21

    score, how = attack(db, boxes)
    assert score <= baseline, f"the database links voters to choices ({score}/21 right: {how})"

    # The attack is real: had the database kept each ballot in the order cast (a row per ballot, as
    # the portal once did), the same attack would have read every vote.
    leaky = dict(db)
    leaky["ballots_as_cast"] = [
        {"_pos": n, "box_id": next(b.pk for b in boxes if b.application_id == apps[j].pk), "v": CHOICES[j][i]}
        for n, (i, j) in enumerate(ORDER)
    ]
    assert attack(leaky, boxes)[0] == 21
    # So would running counts kept after each vote (a history of the tally).
    leaky = dict(db)
    running, rows = Counter(), []
    for n, (i, j) in enumerate(ORDER):
        running[(j, CHOICES[j][i])] += 1
        rows.append({"_pos": n, "application_id": str(apps[j].pk), **{c: running[(j, c)] for c in COUNTERS}})
    leaky["tally_history"] = rows
    assert attack(leaky, boxes)[0] == 21

    # No cell anywhere names a voter next to a choice.
    names = {e.name for e in experts} | {e.user.username for e in experts}
    for table, rows in db.items():
        for row in rows:
            for value in row.values():
                text = json.dumps(value, ensure_ascii=False, default=str)
                if any(n in text for n in names):
                    assert not _choices_in({"v": value}), (table, row)
                    assert not any(w in text for w in ("不同意", "弃权", "disagree", "abstain")), (table, row)

    # What is kept: who voted, and the counts, checked and sealed into each application's history.
    for result in results:
        truth = Counter(c for (_, a), c in TRUTH.items() if a == result.application_id)
        assert (result.agree, result.disagree, result.abstain) == tuple(truth[c] for c in COUNTERS)
        assert result.ballots == result.receipts == 7
        event = Application.objects.get(pk=result.application_id).events.get(
            action__in=["vote_pass", "vote_fail"]
        )
        assert {k: event.data[k] for k in (*COUNTERS, "ballots", "receipts")} == {
            **{c: truth[c] for c in COUNTERS},
            "ballots": 7,
            "receipts": 7,
        }
    assert BallotReceipt.objects.filter(box__meeting=meeting).count() == 21
    assert not BallotBox.objects.filter(meeting=meeting, sealed_tally__isnull=False).exists()


def test_between_two_votes_a_reader_sees_a_receipt_and_a_changed_blob_only(cw):
    apps = cw.awaiting_meeting(2)
    meeting = cw.voting(apps)
    experts = cw.present_experts(meeting)
    box = BallotBox.objects.get(meeting=meeting, application=apps[0])
    blobs = [bytes(box.sealed_tally)]
    for n, (expert, choice) in enumerate(
        zip(experts, ["agree", "disagree", "abstain", "agree", "agree"], strict=False)
    ):
        before = dump(physical=False)
        cw.clock.advance(minutes=1)
        services.ballot_cast(meeting=meeting, application=apps[0], user=expert.user, choice=choice)
        after = dump(physical=False)
        changed = {t for t in after if after[t] != before[t]}
        assert changed == {"committees_ballotreceipt", "committees_ballotbox"}, changed
        added = [r for r in after["committees_ballotreceipt"] if r not in before["committees_ballotreceipt"]]
        assert len(added) == 1 and added[0]["expert_id"] == expert.pk
        old_boxes = {r["id"]: r for r in before["committees_ballotbox"]}
        for row in after["committees_ballotbox"]:
            diff = {k for k in row if row[k] != old_boxes[row["id"]][k]}
            assert diff == ({"sealed_tally"} if row["id"] == box.pk else set()), (n, diff)
        blobs.append(next(r["sealed_tally"] for r in after["committees_ballotbox"] if r["id"] == box.pk))

    # Every sealed tally has the same length, a fresh nonce, and each vote changes every counter's
    # bytes: nothing in the blob says which counter rose.
    assert len({len(b) for b in blobs}) == 1
    assert len({b[:12] for b in blobs}) == len(blobs)
    for old, new in zip(blobs, blobs[1:], strict=False):
        body_old, body_new = old[12:24], new[12:24]
        regions_changed = [body_old[k : k + 4] != body_new[k : k + 4] for k in (0, 4, 8)]
        assert all(regions_changed)


def test_a_sealed_tally_does_not_open_without_the_secret_nor_in_another_box(cw):
    apps = cw.awaiting_meeting(2)
    meeting = cw.voting(apps)
    experts = cw.present_experts(meeting)
    for e in experts[:3]:
        services.ballot_cast(meeting=meeting, application=apps[0], user=e.user, choice="disagree")
    mine, other = (BallotBox.objects.get(meeting=meeting, application=a) for a in apps)

    # Whoever holds the database but not the server's secret cannot open it.
    with override_settings(PORTAL_INTEGRITY_SECRET="另一个密钥"):
        with pytest.raises(CommitteeError, match="票箱数据校验失败"):
            box_tally(BallotBox.objects.get(pk=mine.pk))
        assert services.ballot_boxes_check(meeting)[0].ballots is None

    # Copied into the other box, the tally no longer opens: no vote there, no close.
    BallotBox.objects.filter(pk=other.pk).update(sealed_tally=bytes(mine.sealed_tally))
    with pytest.raises(CommitteeError, match="票箱数据校验失败"):
        services.ballot_cast(meeting=meeting, application=apps[1], user=experts[0].user, choice="agree")
    for e in experts[3:]:
        services.ballot_cast(meeting=meeting, application=apps[0], user=e.user, choice="agree")
    with pytest.raises(CommitteeError, match="票箱数据校验失败"):
        services.meeting_close(meeting=meeting, actor=cw.w.clerk, allow_missing=True, note="核查")
    assert not MeetingResult.objects.exists()
    assert BallotBox.objects.get(pk=mine.pk).sealed_tally is not None


@pytest.mark.parametrize("tamper", ["rollback", "wipe", "forged receipt"])
def test_a_tampered_box_stops_the_close(cw, tamper):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    experts = cw.present_experts(meeting)
    box = BallotBox.objects.get(meeting=meeting)
    for e in experts[:4]:
        services.ballot_cast(meeting=meeting, application=application, user=e.user, choice="agree")
    earlier = bytes(BallotBox.objects.get(pk=box.pk).sealed_tally)
    for e in experts[4:6]:
        services.ballot_cast(meeting=meeting, application=application, user=e.user, choice="disagree")
    if tamper == "rollback":
        # Back to four agree: the two disagree votes would vanish, but their receipts remain.
        BallotBox.objects.filter(pk=box.pk).update(sealed_tally=earlier)
        services.ballot_cast(meeting=meeting, application=application, user=experts[6].user, choice="agree")
        message = "票数（5）与投票回执数（7）不一致"
    elif tamper == "wipe":
        BallotBox.objects.filter(pk=box.pk).update(sealed_tally=None)
        message = "票箱数据校验失败"
    else:
        BallotReceipt.objects.create(box=box, expert=experts[6], created_at=cw.clock.now())
        message = "票数（6）与投票回执数（7）不一致"
    assert not services.ballot_boxes_check(meeting)[0].consistent
    with pytest.raises(CommitteeError, match=message):
        services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    assert not MeetingResult.objects.exists()
    application.refresh_from_db()
    assert application.state == "in_meeting"


def test_while_voting_the_office_sees_how_many_voted_never_how(cw, world):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    experts = cw.present_experts(meeting)
    for e, choice in zip(experts[:3], ["disagree", "disagree", "abstain"], strict=False):
        services.ballot_cast(meeting=meeting, application=application, user=e.user, choice=choice)
    check = services.ballot_boxes_check(meeting)[0]
    assert (check.receipts, check.ballots, check.agree, check.disagree, check.abstain) == (
        3,
        3,
        None,
        None,
        None,
    )
    page = (
        world.client_for(world.clerk).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    assert "已投票3人" in page
    assert "不同意" not in page.replace('value="disagree"> 不同意', "")
    response = world.client_for(world.clerk).get(reverse("api-results", args=[meeting.pk]))
    assert response.status_code == 200 and response.json()["results"] == []
