"""What one demo load has found or created so far, by the demo's keys, and the accounts it will print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.models import Organisation, Qualification, Region, Series, Specialty


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organisation: str


@dataclass
class DemoState:
    now: dt.datetime
    today: dt.date
    regions: dict[str, Region] = field(default_factory=dict)
    # "bureau:qz", "authority:市经信局", "committee:qz01", "higher:engineering", "channel:emp1", …
    orgs: dict[str, Organisation] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    quals: dict[tuple[str, str], Qualification] = field(default_factory=dict)
    specialties: dict[tuple[str, str], Specialty] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    story: Any = None  # demo.story.StorySummary once the story is loaded

    def qual(self, ref: str | list[str], series: str) -> Qualification:
        """A qualification by its name in `series`, or by a [series, name] pair for another series."""
        series, name = ref if isinstance(ref, list) else (series, ref)
        return self.quals[series, name]

    def specialty(self, ref: str | list[str], series: str) -> Specialty:
        series, name = ref if isinstance(ref, list) else (series, ref)
        return self.specialties[series, name]

    def employer(self, ref: str) -> tuple[Organisation | None, str]:
        """A "channel:…" key names a demo organisation; any other text is an employer's name only."""
        if ref.startswith("channel:"):
            org = self.orgs[ref]
            return org, org.name
        return None, ref
