"""A submission reads the archive once, under the application's lock: the snapshot it freezes is the
archive its rules judged, entry for entry, and no part of the archive is read twice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.archive_json import archive_to_json

pytestmark = pytest.mark.django_db

ARCHIVE_PARTS = (
    "applications_education",
    "applications_workperiod",
    "applications_titleheld",
    "applications_annualassessment",
    "applications_continuingeducation",
    "applications_achievement",
    "applications_socialinsurancerecord",
)


def test_each_part_of_the_archive_is_read_once_and_frozen_as_judged(world):
    application = world.ready_draft()
    with CaptureQueriesContext(connection) as captured:
        submitted = services.application_submit(application=application, actor=world.applicant)
    for table in ARCHIVE_PARTS:
        reads = [q for q in captured.captured_queries if q["sql"].startswith(f'SELECT "{table}"."id"')]
        assert len(reads) == 1, (table, len(reads))
    frozen = submitted.snapshot
    live = archive_to_json(application.archive, ids=True)
    # The same entries with their ids; only the identity is sealed in the snapshot.
    assert {k: v for k, v in frozen.items() if k != "identity"} == {
        k: v for k, v in live.items() if k != "identity"
    }
    assert frozen["identity"]["id_number"] != live["identity"]["id_number"]
    assert frozen["identity"]["id_number_digest"]
