"""The embedded SQLite database is shared by the web server, the worker and beat (`manage.py serve`): a
transaction that reads and then writes while another process is writing waits its turn (the busy
timeout) instead of failing at once with "database is locked" (seen as a 500 on the bureau's 备案确认
while the worker was sending the demo's mail)."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

EMBEDDED = settings.DATABASES["default"]


def _open(path, alias: str) -> DatabaseWrapper:
    """A connection to `path` configured as the embedded default is, registered under `alias` for this
    thread (so that transaction.atomic(using=alias) runs exactly as a request's would)."""
    params = {
        **EMBEDDED,
        "NAME": str(path),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "TEST": {},
    }
    wrapper = DatabaseWrapper(params, alias)
    connections[alias] = wrapper
    return wrapper


@pytest.mark.skipif(EMBEDDED["ENGINE"] != "django.db.backends.sqlite3", reason="the embedded SQLite only")
def test_a_read_then_write_waits_for_another_writer_instead_of_failing(tmp_path, django_db_blocker):
    path = tmp_path / "shared.sqlite3"
    writing, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold_a_write() -> None:
        try:
            with django_db_blocker.unblock():
                holder = _open(path, "holder")
                with transaction.atomic(using="holder"), holder.cursor() as cursor:
                    cursor.execute("UPDATE counter SET n = n + 1")
                    writing.set()
                    time.sleep(1.0)
                holder.close()
        except BaseException as exc:  # reported by the test's thread
            failures.append(exc)
            writing.set()
        finally:
            done.set()

    with django_db_blocker.unblock():
        request = _open(path, "request")
        try:
            with request.cursor() as cursor:
                cursor.execute("CREATE TABLE counter (n INTEGER)")
                cursor.execute("INSERT INTO counter VALUES (0)")
            thread = threading.Thread(target=hold_a_write)
            thread.start()
            assert writing.wait(10)
            with transaction.atomic(using="request"), request.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")  # a request checks first ...
                cursor.execute("UPDATE counter SET n = n + 1")  # ... then writes its change
            thread.join(10)
            assert done.is_set() and not failures, failures
            with request.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                assert cursor.fetchone()[0] == 2
        finally:
            request.close()
            del connections["request"]
