"""The API tests' fixtures: Django's WSGI handler called in-process, and the personas built once per
module (tests/api/personas.py)."""

from __future__ import annotations

import logging

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings

from portal import clock as portal_clock
from tests.api import personas
from tests.conftest import FROZEN_AT, FrozenClock, World


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler inside the test's transaction: the request signals must not close the
    connection the test's transaction lives on (Django's test client does the same). The thousands of
    refusals are not logged; server errors still are."""
    app = get_wsgi_application()  # sets up logging again: quieten it after
    logging.getLogger("django.request").setLevel(logging.ERROR)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield app
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        logging.getLogger("django.request").setLevel(logging.NOTSET)


class IntegrityErrors(logging.Handler):
    """Counts the database conflicts that reached the middleware (portal.input): one request at a time
    there is no race, so each is a check a service lacks."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


@pytest.fixture
def conflicts():
    handler = IntegrityErrors()
    logging.getLogger("portal.input").addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger("portal.input").removeHandler(handler)


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas once for all the operations, in a transaction of their own: each test runs inside
    it (a savepoint) and is rolled back to it, so every operation starts from the same objects."""
    clock = FrozenClock(FROZEN_AT)
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")),
    ):
        patch.setattr(portal_clock, "now", clock.now)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield personas.build(World(), clock)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
