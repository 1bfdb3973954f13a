"""The demo's expert pools: the experts with an account and the generated ones, per committee."""

from __future__ import annotations

import datetime as dt
import zlib

from committees.models import Expert
from portal.models import Role

from .people import membership_put, user_put
from .state import DemoState
from .tables import table


def load_experts(state: DemoState) -> None:
    data = table("experts")
    reserved = {row["name"] for row in data["accounts"]}
    for row in data["accounts"]:
        expert = _expert(
            state,
            committee_key=row["committee"],
            name=row["name"],
            series=row["series"],
            specialty=row["specialty"],
            title=row["title"],
            employer_ref=row["employer"],
            region=row["region"],
            private=row["is_private"],
            index=0,
        )
        _account(state, expert, row["username"], row["committee"])

    pools = data["pools"]
    per_committee: dict[str, int] = {}
    for pool in pools:
        per_committee[pool["committee"]] = per_committee.get(pool["committee"], 0) + pool["count"]
    names = {key: _expert_names(key, count, reserved) for key, count in per_committee.items()}
    used: dict[str, int] = {}
    for pool in pools:
        committee_key = pool["committee"]
        # A pool names its employers and regions, or a shared list of them by its name.
        employers = pool["employers"]
        if isinstance(employers, str):
            employers = data["employer_groups"][employers]
        regions = pool["regions"]
        if isinstance(regions, str):
            regions = data["region_groups"][regions]
        titles = pool["titles"]
        for j in range(pool["count"]):
            index = used.get(committee_key, 0)
            used[committee_key] = index + 1
            expert = _expert(
                state,
                committee_key=committee_key,
                name=names[committee_key][index],
                series=pool["series"],
                specialty=pool["specialty"],
                title=titles[j % len(titles)],
                employer_ref=employers[index % len(employers)],
                region=regions[(index * 3) % len(regions)],
                private=None,
                index=index,
            )
            # Every pool expert who may be drawn has an account: an expert without one is left out of
            # the draw ("未开通专家账号") and could not vote online.
            _account(state, expert, f"expert_{committee_key}_{index + 1:02d}", committee_key)


def _account(state: DemoState, expert: Expert, username: str, committee_key: str) -> None:
    """The expert's user (the expert pages find the Expert row by it) and membership as an expert of the
    committee (which shows them the expert's menu)."""
    user = user_put(username, expert.name)
    Expert.objects.filter(user=user).exclude(pk=expert.pk).update(user=None)
    if expert.user_id != user.pk:
        expert.user = user
        expert.save(update_fields=["user"])
    membership_put(state, user, Role.EXPERT, f"committee:{committee_key}")


def _expert(
    state: DemoState,
    *,
    committee_key: str,
    name: str,
    series: str,
    specialty: str,
    title: str,
    employer_ref: str,
    region: str,
    private: bool | None,
    index: int,
) -> Expert:
    employer, employer_name = state.employer(employer_ref)
    if private is None:
        private = (
            employer.is_private if employer else employer_name in table("experts")["private_sector_employers"]
        )
    committee = state.orgs[f"committee:{committee_key}"]
    area = "0575" if committee.region.code.startswith("3306") else "0570"
    serial = zlib.crc32(f"{committee_key}:{name}".encode()) % 10000
    expert, _ = Expert.objects.update_or_create(
        committee=committee,
        name=name,
        defaults={
            "specialty": state.specialties[series, specialty],
            "title": state.quals[series, title],
            "employer": employer,
            "employer_name": employer_name,
            "region": employer.region if employer else state.regions[region],
            "phone": f"139{area}{serial:04d}",
            "is_private_sector": private,
            "active_from": dt.date(2020 + index % 5, 1 + (index * 5) % 12, 1),
            "active_until": None,
        },
    )
    return expert


def _expert_names(committee_key: str, count: int, reserved: set[str]) -> list[str]:
    """`count` distinct names, the same on every run (CRC-32, not hash(), which is salted per process)."""
    data = table("experts")
    surnames, given_names = data["surnames"], data["given_names"]
    offset = zlib.crc32(committee_key.encode())
    names: list[str] = []
    i = 0
    while len(names) < count:
        name = surnames[(offset + i) % len(surnames)] + given_names[(offset * 7 + i * 11) % len(given_names)]
        if name not in reserved and name not in names:
            names.append(name)
        i += 1
    return names
