"""RowsByKey (portal/reads.py) reads what the ORM's values_list reads, with the same types, in one
statement whatever the number of rows, on PostgreSQL and on the embedded SQLite."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from applications.queues import LIST_COLUMNS
from portal.models import Role
from portal.reads import RowsByKey

pytestmark = pytest.mark.django_db


def test_the_rows_are_the_orms_rows_value_for_value_and_type_for_type(world):
    applications = [
        world.submitted(world.user(f"read{i}", Role.APPLICANT, world.employer), serial=500 + i)
        for i in range(3)
    ]
    draft = world.draft(world.user("read_draft", Role.APPLICANT, world.employer), serial=520)
    keys = [a.pk for a in [*applications, draft]]
    expected = {row[0]: row for row in Application.objects.filter(pk__in=keys).values_list(*LIST_COLUMNS)}
    found = RowsByKey(Application, LIST_COLUMNS)(keys)
    assert found == expected
    for key, row in found.items():
        assert [type(v) for v in row] == [type(v) for v in expected[key]]
    assert isinstance(next(iter(found)), uuid.UUID)
    # A draft has not been submitted: its time is None, as the ORM gives it.
    assert found[draft.pk][LIST_COLUMNS.index("submitted_at")] is None


def test_a_foreign_key_that_is_null_reads_as_none(world):
    application = world.submitted(world.user("read_null", Role.APPLICANT, world.employer), serial=530)
    assert application.workplace_id is None
    row = RowsByKey(Application, ("pk", "workplace__name", "number"))([application.pk])[application.pk]
    assert row == (application.pk, None, application.number)


def test_keys_with_no_row_are_left_out_and_no_keys_cost_nothing(world):
    application = world.submitted(world.user("read_gone", Role.APPLICANT, world.employer), serial=540)
    read = RowsByKey(Application, ("pk", "number"))
    assert read([application.pk, uuid.uuid4()]) == {application.pk: (application.pk, application.number)}
    with CaptureQueriesContext(connection) as captured:
        assert read([]) == {}
    assert len(captured) == 0


def test_one_statement_for_one_row_or_twenty(world):
    applications = [
        world.submitted(world.user(f"read_n{i}", Role.APPLICANT, world.employer), serial=600 + i)
        for i in range(20)
    ]
    read = RowsByKey(Application, LIST_COLUMNS)
    for some in (applications[:1], applications):
        with CaptureQueriesContext(connection) as captured:
            assert len(read([a.pk for a in some])) == len(some)
        assert len(captured) == 1
