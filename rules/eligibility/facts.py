"""Derived facts of one archive at one counting date (as_of): education tiers, years of professional
and of skilled work, titles and skill certificates held. Pure functions of the archive."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from rules.vocab import SkillLevel

from .archive import EDUCATION_RANK, Achievement, Archive, Education, SkillCertificate, Title, WorkPeriod
from .dates import Duration, duration

SKILL_RANK = {SkillLevel.ADVANCED_WORKER: 1, SkillLevel.TECHNICIAN: 2, SkillLevel.SENIOR_TECHNICIAN: 3}
SKILL_LABEL = {
    SkillLevel.ADVANCED_WORKER: "高级工",
    SkillLevel.TECHNICIAN: "技师",
    SkillLevel.SENIOR_TECHNICIAN: "高级技师",
}

ACHIEVEMENT_LEVEL_RANK = {
    "national": 4,
    "provincial": 3,
    "municipal": 2,
    "county": 1,
    "enterprise": 0,
    "": -1,
}
ACHIEVEMENT_LEVEL_LABEL = {
    "national": "国家级",
    "provincial": "省（部）级",
    "municipal": "市（地）级",
    "county": "县（区）级",
    "enterprise": "企业级",
    "": "未注明级别",
}

# Titles held, by level, where the archive names them without a series code.
ENGINEERING_TITLE_NAMES = {1: ("技术员",), 2: ("助理工程师",), 3: ("工程师",)}


class Facts:
    def __init__(self, archive: Archive, as_of: dt.date, *, series_code: str = "engineering"):
        self.archive = archive
        self.as_of = as_of
        self.series_code = series_code

    # ------------------------------------------------------------ education

    @cached_property
    def educations(self) -> list[Education]:
        """Educations obtained by as_of, best tier first."""
        done = [
            e for e in self.archive.educations if e.graduation_date is None or e.graduation_date <= self.as_of
        ]
        return sorted(done, key=lambda e: (-e.rank, e.graduation_date or dt.date.max))

    @cached_property
    def highest_education(self) -> Education | None:
        return self.educations[0] if self.educations else None

    def has_education_at_least(self, level: str) -> bool:
        best = self.highest_education
        return best is not None and best.rank >= EDUCATION_RANK[level]

    # ------------------------------------------------------------ work

    @cached_property
    def professional_periods(self) -> list[tuple[dt.date, dt.date | None]]:
        return [(w.start, w.end) for w in self.archive.work_periods if w.professional]

    @cached_property
    def skilled_periods(self) -> list[tuple[dt.date, dt.date | None]]:
        return [(w.start, w.end) for w in self.archive.work_periods if w.skilled]

    def professional(self, since: dt.date | None = None) -> Duration:
        """Professional work after ``since`` (inclusive), gaps excluded, counted to as_of."""
        return duration(self.professional_periods, since=since, as_of=self.as_of)

    def skilled(self, since: dt.date | None = None) -> Duration:
        return duration(self.skilled_periods, since=since, as_of=self.as_of)

    @cached_property
    def current_professional_period(self) -> WorkPeriod | None:
        """The open-ended professional period (现职), if any."""
        open_periods = [w for w in self.archive.work_periods if w.professional and w.end is None]
        return max(open_periods, key=lambda w: w.start) if open_periods else None

    @cached_property
    def current_skilled_period(self) -> WorkPeriod | None:
        open_periods = [w for w in self.archive.work_periods if w.skilled and w.end is None]
        return max(open_periods, key=lambda w: w.start) if open_periods else None

    # ------------------------------------------------------------ titles and skills

    def titles_at(self, level: int, *, names: tuple[str, ...] = ()) -> list[Title]:
        """Titles of the plan's series at ``level`` obtained by as_of (earliest first).

        A title without a series code counts when its name is one of ``names`` (e.g. 助理工程师)."""
        names = names or (ENGINEERING_TITLE_NAMES.get(level, ()) if self.series_code == "engineering" else ())
        found = [
            t
            for t in self.archive.titles
            if t.level == level
            and t.obtained_date <= self.as_of
            and (t.series == self.series_code or (not t.series and t.name in names))
        ]
        return sorted(found, key=lambda t: t.obtained_date)

    def titles_at_or_above(self, level: int) -> list[Title]:
        return [
            t
            for t in self.archive.titles
            if t.level >= level and t.obtained_date <= self.as_of and t.series == self.series_code
        ]

    def skills_at_least(self, level: str) -> list[SkillCertificate]:
        found = [
            s
            for s in self.archive.skill_certificates
            if SKILL_RANK[s.level] >= SKILL_RANK[level] and s.obtained_date <= self.as_of
        ]
        return sorted(found, key=lambda s: s.obtained_date)

    # ------------------------------------------------------------ achievements

    def achievements(
        self, *kinds: str, min_level: str | None = None, since: dt.date | None = None
    ) -> list[Achievement]:
        floor = ACHIEVEMENT_LEVEL_RANK[min_level] if min_level else None
        out = []
        for a in self.archive.achievements:
            if kinds and a.kind not in kinds:
                continue
            if floor is not None and ACHIEVEMENT_LEVEL_RANK.get(a.level, -1) < floor:
                continue
            if since is not None and a.date < since:
                continue
            if a.date > self.as_of:
                continue
            out.append(a)
        return out
