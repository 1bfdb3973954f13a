"""What every answer of the API is held to, whoever asks: the schema (loaded in-process from
drf-spectacular), schemathesis' checks, and the roles' boundaries (tests/api/personas.py)."""

from __future__ import annotations

import functools
import json
import re

import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis import checks

from applications.forms import ENTRY_KINDS
from applications.models import Application
from portal.validators import CONTROL_MESSAGE
from tests.api import personas


@functools.cache
def load_schema():
    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    return schemathesis.openapi.from_dict(document)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]
SIGNED_IN = frozenset(personas.ROLES) - {"anonymous"}
# Who may ever succeed (2xx) at each operation; the others are refused whatever they send.
PUBLIC = frozenset(personas.ROLES)
MAY_SUCCEED = [
    (r"^POST /api/v1/auth/token/$", PUBLIC),
    (r"^GET /api/v1/(plans/|plans/\{code\}/|publicity/|publicity/\{id\}/|certificates/verify/)$", PUBLIC),
    (r"^POST /api/v1/publicity/\{id\}/objections/$", PUBLIC),
    (r"^POST /api/v1/publicity/$", {"hr"}),
    (r"^POST /api/v1/objections/\{id\}/resolve/$", {"hr", "clerk"}),
    (r"^POST /api/v1/applications/\{id\}/employer-", {"hr"}),
    (r"^POST /api/v1/applications/\{id\}/bureau-", {"officer"}),
    (r"^(POST|PATCH) /api/v1/applications/", {"applicant"}),
    (r"^POST /api/v1/committee/meetings/\{id\}/ballots/$", {"expert"}),
    (r"^GET /api/v1/committee/", {"officer", "clerk", "expert", "auditor"}),
    (r" /api/v1/(applications|archive)/", SIGNED_IN),
]
# The kind of object a path's identifier names (see Personas.sees).
PATH_KINDS = [
    (r"^/api/v1/applications/\{id\}/", "application"),
    (r"^/api/v1/publicity/\{id\}/", "notice"),
    (r"^/api/v1/objections/\{id\}/", "objection"),
    (r"^/api/v1/committee/meetings/\{id\}/", "meeting"),
    (r"^/api/v1/plans/\{code\}/", "plan"),
    *((rf"^/api/v1/archive/{slug}/\{{id\}}/", slug) for slug in ENTRY_KINDS),
]
REFUSED = {401, 403, 404}


def first(table, text):
    return next((value for pattern, value in table if re.search(pattern, text)), None)


def problems(case, role, response, people) -> list[str]:
    """What the answer to `role` breaks of the roles' boundaries (empty when nothing)."""
    found = []
    label = f"{case.method} {case.operation.path}"
    status = response.status_code
    allowed = first(MAY_SUCCEED, label)
    if 200 <= status < 300 and (allowed is None or role not in allowed):
        found.append(f"{role} succeeded ({status}) at an operation that is not theirs")
    kind = first(PATH_KINDS, case.operation.path)
    if kind:
        value = next(iter((case.path_parameters or {}).values()), None)
        if people.hidden_from(role, kind, value) and status not in REFUSED and not _refused_input(response):
            found.append(f"{role} got {status} for another's {kind} {value}")
    if status == 200 and case.method == "GET":
        found += _listing_problems(case, role, response.json(), people)
    return found


def _refused_input(response) -> bool:
    """The middleware's refusal of control characters, before anyone or anything is looked up."""
    return response.status_code == 400 and response.json().get("detail") == "提交的数据" + CONTROL_MESSAGE


def _listing_problems(case, role, body, people) -> list[str]:
    path = case.operation.path
    rows = body.get("results", []) if isinstance(body, dict) else body
    if path == "/api/v1/applications/":
        ids = [row["id"] for row in rows]
        problems = [
            f"{role} was listed another's application {i}"
            for i in ids
            if people.hidden_from(role, "application", i)
        ]
        if role == "applicant":
            user = people.users[role]
            strangers = Application.objects.filter(pk__in=ids).exclude(applicant=user)
            problems += [f"the applicant was listed {a.pk}" for a in strangers]
        return problems
    slug = path.removeprefix("/api/v1/archive/").strip("/")
    if slug in ENTRY_KINDS and role in people.users:
        ids = [row["id"] for row in rows]
        strangers = (
            ENTRY_KINDS[slug].model.objects.filter(pk__in=ids).exclude(archive__user=people.users[role])
        )
        return [f"{role} was listed another's {slug} entry {e.pk}" for e in strangers]
    return []
