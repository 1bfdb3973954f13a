"""Every API operation fuzzed from its OpenAPI schema, as every role and anonymously.

For each operation schemathesis generates FUZZ_EXAMPLES requests (valid and invalid ones) and each one is
sent as the applicant, HR, the bureau's officer, the committee's clerk, a drawn expert, the auditor and
nobody. Generated identifiers and body fields are swapped, often, for the ids of real objects
(tests/api/personas.py), both the role's own and other people's. Every answer must:
- never be a server error, and match the schema (status code, content type, body);
- never hand a role an object that is not its to read (401, 403 or 404 only);
- list only what the role may read, and the applicant only their own;
- change something only for the role whose step it is (a 2xx on a write for no one else).
Requests go through Django's WSGI handler in-process (no live server), inside the test's transaction.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests.api import contract, personas

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
SCHEMA = contract.load_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _strategy(operation):
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if operation.path_parameters or operation.query or operation.body:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(strategies)


def _plant(case, data, people: personas.Personas) -> None:
    """Swap generated values for real ones, often: path identifiers and known body fields."""
    if case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE:
        return
    kind = contract.first(contract.PATH_KINDS, case.operation.path)
    for name in ("id", "code"):
        if kind and name in (case.path_parameters or {}):
            value = data.draw(st.sampled_from([None, *people.values(kind)]))
            if value is not None:
                case.path_parameters[name] = value
    if isinstance(case.body, dict):
        for name, values in people.body_values.items():
            if name in case.body and values:
                value = data.draw(st.sampled_from([None, *values]))
                if value is not None:
                    case.body[name] = value


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_every_role_gets_a_documented_answer_and_only_its_own_data(
    operation, people, wsgi_app, conflicts, frozen_clock, settings, tmp_path
):
    frozen_clock.set(people.now)
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    failures: list[str] = []

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation), data=st.data())
    def exercise(case, data):
        _plant(case, data, people)
        for role in personas.ROLES:
            response = case.call(headers=people.headers(role), app=wsgi_app)
            try:
                case.validate_response(response, checks=contract.CHECKS)
            except Exception as exc:  # noqa: BLE001  (collected, then reported together)
                failures.append(f"{role}: {_first_lines(exc)}")
            for problem in contract.problems(case, role, response, people):
                failures.append(f"{problem}\n    {case.as_curl_command()}")

    exercise()
    failures += [f"a database conflict no service turned into a message: {m}" for m in conflicts.records]
    assert not failures, "\n\n".join(dict.fromkeys(failures))


def _first_lines(exc: BaseException) -> str:
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):
        text += " | " + str(sub)
    return text[:1500]
