"""The applicants of the demo's year in progress: one per route and state, each with a complete archive."""

from __future__ import annotations

import copy
import datetime as dt
import zlib
from dataclasses import dataclass

from applications.models import Channel
from applications.services import CHANNEL_ORG_KINDS
from portal.models import Membership, Organisation, Role
from rules.models import EnterpriseHonour, HonourCategory
from rules.services.honours import enterprise_honour_record

from .archives import archive_put
from .people import user_put
from .state import DemoState
from .tables import table

# The states each route's moves reach (docs/workflow.md), in the order of the main path; the side
# states (returned, rejected, withdrawn) at the end.
_TO_COMMITTEE = [
    "draft",
    "employer_audit",
    "returned",
    "employer_publicity",
    "employer_publicity_done",
    "bureau_review",
    "qualification_review",
]
_RESULTS = ["result_publicity", "result_publicity_done", "approved", "certified"]
_SIDE = ["rejected", "withdrawn"]
MEETING_STATES = [
    *_TO_COMMITTEE,
    "qualified",
    "pre_review_publicity",
    "awaiting_meeting",
    "in_meeting",
    "passed",
    "not_passed",
    *_RESULTS,
    *_SIDE,
]
ROUTE_STATES = {
    "normal": MEETING_STATES,
    "exc-a": MEETING_STATES,
    "exc-b": MEETING_STATES,
    "skills": MEETING_STATES,
    "recog": [
        *_TO_COMMITTEE,
        "qualified",
        "pre_review_publicity",
        "awaiting_meeting",
        "passed",
        *_RESULTS,
        *_SIDE,
    ],
    "initial": [*_TO_COMMITTEE, "qualified", "passed", *_RESULTS, *_SIDE],
    "upward": [*_TO_COMMITTEE, "recommended_upward", *MEETING_STATES[len(_TO_COMMITTEE) :]],
}


@dataclass
class StoryApplicant:
    route: dict
    state: str  # where the story leaves the application
    user: object
    org: Organisation

    @property
    def username(self) -> str:
        return self.user.username


def story_username(route_key: str, state: str) -> str:
    return f"{route_key}-{state.replace('_', '-')}"


def load_story_applicants(state: DemoState) -> list[StoryApplicant]:
    """Create or update every story applicant (user, membership, archive); found again by username."""
    templates = {spec["username"]: spec for spec in table("applicants")}
    people = []
    for route_index, route in enumerate(table("story")["routes"]):
        orgs = route["org"] if isinstance(route["org"], list) else [route["org"]]
        for state_index, target in enumerate(ROUTE_STATES[route["key"]]):
            org_key = route.get("org_by_state", {}).get(target) or orgs[state_index % len(orgs)]
            spec = _spec(templates[route["archive"]], route, org_key, route_index, state_index)
            user = user_put(spec["username"], spec["name"])
            # Not through membership_put: load_demo prints these accounts in a table of their own.
            Membership.objects.update_or_create(
                user=user,
                organisation=state.orgs[org_key],
                defaults={"role": Role.APPLICANT, "is_active": True},
            )
            archive_put(state, user, spec)
            people.append(StoryApplicant(route, target, user, state.orgs[org_key]))
    return people


def _spec(template: dict, route: dict, org_key: str, route_index: int, state_index: int) -> dict:
    """A copy of an applicants.json archive under a new name and identity, at the route's employer."""
    spec = copy.deepcopy(template)
    spec["username"] = story_username(route["key"], ROUTE_STATES[route["key"]][state_index])
    spec["name"] = _name(route_index * 40 + state_index)
    spec["org"] = org_key
    spec["id_prefix"] = route["id_prefix"]
    # Serials 500–799 are the story's; the last digit's parity is the gender (GB 11643).
    serial = 500 + route_index * 40 + state_index * 2 + (1 if spec["gender"] == "male" else 0)
    spec["id_serial"] = f"{serial:03d}"
    spec["phone"] = f"1380575{route_index:01d}{state_index:03d}"
    for row in spec["work"]:
        if row.get("employer", "").startswith("channel:"):
            row["employer"] = org_key
    for key in ("educations", "titles"):
        if key in route:
            spec[key] = copy.deepcopy(route[key])
    spec["achievements"] = spec["achievements"] + copy.deepcopy(route.get("add_achievements", []))
    birth = dt.date.fromisoformat(spec["birth"])
    spec["birth"] = birth.replace(day=1 + (state_index % 28)).isoformat()
    return spec


def _name(index: int) -> str:
    """A name from the experts' name lists, the same on every run (CRC-32, not the salted hash())."""
    data = table("experts")
    surnames, given_names = data["surnames"], data["given_names"]
    offset = zlib.crc32(b"story")
    return (
        surnames[(offset + index * 7) % len(surnames)] + given_names[(offset + index * 13) % len(given_names)]
    )


def load_honours(state: DemoState) -> None:
    """The honours that give the 破格B enterprises their places (seed 003 附件2), kept once recorded."""
    for row in table("story")["honours"]:
        org = state.orgs[row["org"]]
        if EnterpriseHonour.objects.filter(organisation=org, title=row["title"]).exists():
            continue
        enterprise_honour_record(
            organisation=org,
            category=HonourCategory.objects.get(code=row["category"]),
            level=row["level"],
            title=row["title"],
            issued_on=dt.date.fromisoformat(row["issued_on"]),
            document_no=row["document_no"],
            issuer=row["issuer"],
        )


def channel_of(org: Organisation) -> str:
    """The channel an organisation recommends through: an agency, a dispatch company, a service point
    or (any other kind) the employer itself."""
    for channel, kinds in CHANNEL_ORG_KINDS.items():
        if channel != Channel.EMPLOYER and org.kind in kinds:
            return channel
    return Channel.EMPLOYER
