"""The API held to its OpenAPI contract: schemathesis against the live test server, for every
operation, as every signed-in role and anonymously. No 5xx; every response matches the schema
(status codes documented, bodies of the documented shape)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "4"))


@pytest.fixture
def contract_world(world, frozen_clock):
    """Objects for the generated requests to meet: a submitted application, a notice, an objection."""
    application = world.submitted()
    world.publicised([world.submitted(world.user("pub", "applicant", world.employer), serial=702)])
    tokens = {
        name: Token.objects.create(user=getattr(world, name)).key
        for name in ("applicant", "other_applicant", "hr", "officer", "clerk", "auditor")
    }
    return {"application": application, "tokens": tokens}


@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_its_contract(live_server, contract_world):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    tokens = [None, *contract_world["tokens"].values()]
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case):
            for token in tokens:
                headers = {"Authorization": f"Token {token}"} if token else {}
                response = case.call(base_url=live_server.url, headers=headers)
                case.validate_response(response, checks=CHECKS)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect all, then report)
            failures.append(f"{operation.label}: {_first_lines(exc)}")
    assert not failures, "\n\n".join(failures)


def _first_lines(exc: BaseException) -> str:
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):
        text += " | " + str(sub)
    return text[:700]


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
