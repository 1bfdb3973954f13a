"""What a conflict-of-interest check compares (D: Recusal), loaded for a whole meeting and a whole pool in a
fixed number of queries, and the comparison of one expert with one application. `ApplicationIndex` finds,
for one expert, the only applications a conflict could exist with (those sharing an employer id or name,
a work, a reference number, an identity number, or named in a declaration), so a pool of 10,000 experts
against 200 applications compares the few pairs that share something instead of all 2,000,000."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db.models import QuerySet

from applications.models import Achievement, Application, WorkPeriod
from portal.models import Organisation
from rules.eligibility.dates import add_years

from ..models import Conflict, ConflictDeclaration, ConflictKind, Expert, ExpertEmployment

RECENT_YEARS = 3  # D: "same employer within the last 3 years"
SHARED_KINDS = ("project", "patent", "software_copyright", "paper", "award", "standard")


_PUNCT = re.compile(r"[\s()（）\[\]【】《》<>“”\"'·,，.。:：;；、-]+")


def _norm(text: str | None) -> str:
    return _PUNCT.sub("", (text or "")).lower()


class ApplicantFacts:
    """What a conflict check needs of one application, loaded in a fixed number of queries per batch."""

    def __init__(self, application: Application, periods: list, achievements: list, today: dt.date):
        self.application = application
        archive = application.archive
        self.name = archive.name
        self.id_digest = archive.id_number_digest
        current_ids = {application.recommending_org_id, application.workplace_id, archive.current_employer_id}
        current_names = {_norm(application.recommending_org.name), _norm(archive.current_employer_name)}
        if application.workplace_id:
            current_names.add(_norm(application.workplace.name))
        recent_since = add_years(today, -RECENT_YEARS)
        recent_ids, recent_names = set(), set()
        for period in periods:
            if period.end is None:
                current_ids.add(period.employer_id)
                current_names.add(_norm(period.employer_name))
            elif period.end >= recent_since:
                recent_ids.add(period.employer_id)
                recent_names.add(_norm(period.employer_name))
        self.current_ids = current_ids - {None}
        self.current_names = current_names - {""}
        self.recent_ids = recent_ids - {None}
        self.recent_names = recent_names - {""}
        self.works = {
            (a.kind, _norm(a.title)) for a in achievements if a.kind in SHARED_KINDS and _norm(a.title)
        }
        self.references = {_norm(a.reference_no) for a in achievements if _norm(a.reference_no)}


class ExpertFacts:
    """What a conflict check needs of one expert (from plain rows: a pool has thousands)."""

    def __init__(
        self,
        row: tuple,
        past: list,
        declarations: list,
        achievements: list,
        *,
        employer_label: str,
        recent_since: dt.date,
    ):
        self.pk, _user_id, self.current_id, _name = row
        self.employer_label = employer_label
        self.current_name = _norm(employer_label)
        recent = [p for p in past if p.ended_on >= recent_since]
        self.recent_ids = {p.employer_id for p in recent} - {None}
        self.recent_names = {_norm(p.employer_name) for p in recent} - {""}
        self.relatives = {d.relative_id_digest: d for d in declarations if d.relative_id_digest}
        self.declared = {d.application_id: d for d in declarations if d.application_id}
        self.works = {
            (a.kind, _norm(a.title)) for a in achievements if a.kind in SHARED_KINDS and _norm(a.title)
        }
        self.references = {_norm(a.reference_no) for a in achievements if _norm(a.reference_no)}


def pair_conflicts(e: ExpertFacts, a: ApplicantFacts) -> list[tuple[str, str, str]]:
    """(kind, source, detail) of every conflict between one expert and one application."""
    found = []
    declared = e.declared.get(a.application.pk)
    if declared is not None:
        found.append((declared.kind, Conflict.Source.DECLARED, f"专家申报回避：{declared.reason}"))
    if (e.current_id and e.current_id in a.current_ids) or (
        e.current_name and e.current_name in a.current_names
    ):
        found.append(
            (
                ConflictKind.SAME_EMPLOYER,
                Conflict.Source.DERIVED,
                f"专家与{a.name}现同在“{e.employer_label}”工作",
            )
        )
    elif (
        (e.current_id and e.current_id in a.recent_ids)
        or (e.current_name and e.current_name in a.recent_names)
        or (e.recent_ids & a.current_ids)
        or (e.recent_names & a.current_names)
    ):
        found.append(
            (
                ConflictKind.RECENT_EMPLOYER,
                Conflict.Source.DERIVED,
                f"专家与{a.name}近{RECENT_YEARS}年内曾在同一单位工作",
            )
        )
    shared = (e.works & a.works) or (e.references & a.references)
    if shared:
        sample = next(iter(shared))
        title = sample[1] if isinstance(sample, tuple) else sample
        found.append(
            (
                ConflictKind.SHARED_ACHIEVEMENT,
                Conflict.Source.DERIVED,
                f"专家与{a.name}业绩档案中有相同的项目或成果（{title}）",
            )
        )
    relative = e.relatives.get(a.id_digest) if a.id_digest else None
    if relative is not None:
        found.append(
            (
                ConflictKind.RELATIVE,
                Conflict.Source.DERIVED,
                f"专家申报的亲属{relative.relative_name}为申报人",
            )
        )
    return found


def applicant_facts(applications: Iterable[Application], today: dt.date) -> list[ApplicantFacts]:
    applications = list(applications)
    archive_ids = [a.archive_id for a in applications]
    periods: dict[int, list] = {}
    for p in WorkPeriod.objects.filter(archive_id__in=archive_ids):
        periods.setdefault(p.archive_id, []).append(p)
    works: dict[int, list] = {}
    for w in Achievement.objects.filter(archive_id__in=archive_ids):
        works.setdefault(w.archive_id, []).append(w)
    return [
        ApplicantFacts(a, periods.get(a.archive_id, []), works.get(a.archive_id, []), today)
        for a in applications
    ]


def expert_facts(experts: QuerySet[Expert] | Iterable[Expert], today: dt.date) -> list[ExpertFacts]:
    """The facts of these experts in a fixed number of queries. Given a queryset (a committee's pool), the
    related rows are read by subquery rather than by a list of thousands of ids."""
    columns = ("pk", "user_id", "employer_id", "employer_name")
    if isinstance(experts, QuerySet):
        rows = list(experts.order_by("pk").values_list(*columns))
        scope, users = experts.values("pk"), experts.filter(user__isnull=False).values("user_id")
    else:
        rows = [(e.pk, e.user_id, e.employer_id, e.employer_name) for e in experts]
        scope, users = [r[0] for r in rows], [r[1] for r in rows if r[1]]
    past: dict[int, list] = {}
    for p in ExpertEmployment.objects.filter(expert_id__in=scope):
        past.setdefault(p.expert_id, []).append(p)
    declarations: dict[int, list] = {}
    for d in ConflictDeclaration.objects.filter(expert_id__in=scope):
        declarations.setdefault(d.expert_id, []).append(d)
    by_user = {r[1]: r[0] for r in rows if r[1]}
    works: dict[int, list] = {}
    for w in Achievement.objects.filter(archive__user_id__in=users).select_related("archive"):
        if w.archive.user_id in by_user:
            works.setdefault(by_user[w.archive.user_id], []).append(w)
    # Expert.employer_label, with the employers' names read in one query rather than one per expert.
    employer_ids = experts.values("employer_id") if isinstance(experts, QuerySet) else {r[2] for r in rows}
    employers = dict(Organisation.objects.filter(pk__in=employer_ids).values_list("pk", "name"))
    recent_since = add_years(today, -RECENT_YEARS)
    return [
        ExpertFacts(
            row,
            past.get(row[0], []),
            declarations.get(row[0], []),
            works.get(row[0], []),
            employer_label=employers[row[2]] if row[2] else row[3],
            recent_since=recent_since,
        )
        for row in rows
    ]


class ApplicationIndex:
    """The applications of a meeting by every key a conflict can rest on (see _pair_conflicts: each kind of
    conflict needs one of these keys in common, so any pair outside the candidates has none)."""

    def __init__(self, applications: list[ApplicantFacts]):
        self.applications = applications
        self.by_key: dict[tuple, set[int]] = {}
        for i, a in enumerate(applications):
            keys = [("pk", a.application.pk), ("id", a.id_digest)]
            keys += [("org", x) for x in a.current_ids | a.recent_ids]
            keys += [("name", x) for x in a.current_names | a.recent_names]
            keys += [("work", x) for x in a.works] + [("ref", x) for x in a.references]
            for key in keys:
                self.by_key.setdefault(key, set()).add(i)

    def candidates(self, e: ExpertFacts) -> list[ApplicantFacts]:
        """The applications that share a key with this expert, in the meeting's order."""
        keys = [("pk", pk) for pk in e.declared] + [("id", x) for x in e.relatives]
        keys += [("org", x) for x in e.recent_ids | {e.current_id} if x]
        keys += [("name", x) for x in e.recent_names | {e.current_name} if x]
        keys += [("work", x) for x in e.works] + [("ref", x) for x in e.references]
        found: set[int] = set()
        for key in keys:
            found |= self.by_key.get(key, set())
        return [self.applications[i] for i in sorted(found)]
