"""The API's operations chained by the links schemathesis infers from the schema (an id answered by a
create is read, changed, acted on and deleted next), as every role and anonymously: the same contract
as tests/api/test_fuzz.py on every step, plus that a created object can be read back and a deleted one
is gone. Known plan, catalogue and organisation ids go into the generated bodies so that creates succeed.
"""

from __future__ import annotations

import os
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from tests.api import contract, personas
from tests.conftest import clear_rate_limits

SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS", "25"))
STEPS = int(os.environ.get("FUZZ_STEPS", "8"))
CHECKS = [*contract.CHECKS, checks.use_after_free, checks.ensure_resource_availability]


@pytest.mark.django_db
@pytest.mark.parametrize("role", personas.ROLES)
def test_linked_operations_keep_the_contract_for(
    role, people, wsgi_app, conflicts, frozen_clock, settings, tmp_path
):
    frozen_clock.set(people.now)
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    failures: list[str] = []
    steps: list[str] = []
    chooser = random.Random()  # seeded at the start of each scenario

    class Workflow(contract.load_schema().as_state_machine()):
        """Each scenario starts from the personas' objects (a savepoint rolled back at its end), so that a
        scenario replayed draws and meets the same things."""

        def setup(self):
            chooser.seed(role)
            clear_rate_limits()
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def before_call(self, case):
            if isinstance(case.body, dict):
                for name, values in people.body_values.items():
                    if name in case.body and values and chooser.random() < 0.7:
                        case.body[name] = chooser.choice(values)

        def get_call_kwargs(self, case):
            return {"headers": people.headers(role), "app": wsgi_app}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            steps.append(f"{case.method} {case.operation.path} {response.status_code}")
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as exc:  # noqa: BLE001  (collected, then reported together)
                failures.append(str(exc)[:1500])
            failures.extend(contract.problems(case, role, response, people))

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    failures += [f"a database conflict no service turned into a message: {m}" for m in conflicts.records]
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    # The chains reached beyond their first step: created objects were used again.
    assert len(steps) > SCENARIOS
