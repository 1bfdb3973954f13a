"""The demo's regions and organisations: bureaus, industry authorities, channels, provincial committees."""

from __future__ import annotations

from portal.models import Organisation, OrgKind, Region

from .identifiers import credit_code
from .state import DemoState
from .tables import QUZHOU_AREA_CODE, table


def organisation_put(
    state: DemoState, key: str, *, name: str, kind: str, code: str | None = None, **fields
) -> Organisation:
    """Create or update an organisation found by its credit code, or else by (name, kind)."""
    if code:
        org, _ = Organisation.objects.update_or_create(
            credit_code=code, defaults={"name": name, "kind": kind, "is_active": True, **fields}
        )
    else:
        org, _ = Organisation.objects.update_or_create(
            name=name, kind=kind, defaults={"is_active": True, **fields}
        )
    state.orgs[key] = org
    return org


def quzhou_phone(number: str) -> str:
    return f"{QUZHOU_AREA_CODE}-{number}" if number else ""


def load_regions(state: DemoState) -> None:
    for row in table("regions"):
        state.regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent": state.regions.get(row["parent"])},
        )


def load_bureaus(state: DemoState) -> None:
    for row in table("organisations")["bureaus"]:
        organisation_put(
            state,
            f"bureau:{row['key']}",
            name=row["name"],
            kind=row["kind"],
            short_name=row["short_name"],
            region=state.regions[row["region"]],
            parent_bureau=state.orgs.get(f"bureau:{row['parent']}"),
            contact_phone=row["phone"],
        )


def load_authorities(state: DemoState) -> None:
    """The Quzhou industry authorities, with the phone seed 004 gives where they receive materials."""
    data = table("organisations")
    phones: dict[str, str] = {}
    for row in table("plans")["quzhou_committees"]:
        phones.setdefault(row["receiver"], quzhou_phone(row["phone"]))
    for short, name in data["industry_authorities"].items():
        organisation_put(
            state,
            f"authority:{short}",
            name=name,
            kind=OrgKind.INDUSTRY_AUTHORITY,
            short_name=short,
            region=state.regions["330800"],
            parent_bureau=state.orgs["bureau:qz"],
            contact_phone=phones.get(short, ""),
        )
    # Row 21 of seed 004 names the city bureau itself as the receiving unit.
    state.orgs[f"authority:{data['city_bureau_abbreviation']}"] = state.orgs["bureau:qz"]


def higher_committee(state: DemoState, key: str | None) -> Organisation | None:
    """The provincial committee a city committee recommends senior titles to (by series), if any."""
    if key is None:
        return None
    # The provincial committees are formed by the provincial departments; the demo hangs them on the
    # provincial bureau, which files them.
    org = organisation_put(
        state,
        f"higher:{key}",
        name=table("organisations")["higher_committees"][key],
        kind=OrgKind.COMMITTEE,
        region=state.regions["330000"],
        parent_bureau=state.orgs["bureau:zj"],
        forming_body=state.orgs["bureau:zj"],
    )
    state.orgs[f"committee:zj-{key}"] = org  # the name experts.json gives its pool
    return org


def load_channel_orgs(state: DemoState) -> None:
    """Employers, the agency, the dispatch company, the service point and the association."""
    for row in table("organisations")["channel_orgs"]:
        parts = row["credit_code"]
        code = credit_code(parts["prefix"], parts["region"], parts["body"])
        existing = (
            Organisation.objects.filter(credit_code=code)
            .values_list("authorisation_confirmed_at", flat=True)
            .first()
        )
        organisation_put(
            state,
            f"channel:{row['key']}",
            name=row["name"],
            kind=row["kind"],
            code=code,
            region=state.regions[row["region"]],
            parent_bureau=state.orgs[f"bureau:{row['bureau']}"],
            is_private=row["is_private"],
            short_name=row.get("short_name", ""),
            authorisation_confirmed_at=(existing or state.now) if row["authorisation_confirmed"] else None,
        )
