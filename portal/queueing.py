"""Queuing a task whose work the database already holds (an e-mail's notification row, a certificate
batch, an approved filing): the broker is a side system, and a broker that is down only delays it.

Every such task is queued after commit through `queue_after_commit`. A failure to queue is logged and
swallowed: the request that committed the change answers success, and the periodic sweep that
re-derives the same work from the database (portal.tasks, certificates.tasks, committees.tasks) sends
it once Redis is back. After one failure the process does not try the broker again for
BROKER_PAUSE_SECONDS, so a request that queues many messages (an approval notifying dozens of
applicants) is not held up once per message while Redis is down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError

# What a broker that is down or unreachable raises (kombu wraps the Redis client's errors).
BROKER_ERRORS = (OperationalError, OSError)

log = logging.getLogger(__name__)
BROKER_PAUSE_SECONDS = 30.0

_lock = threading.Lock()
_paused_until = 0.0


def broker_paused() -> bool:
    return time.monotonic() < _paused_until


def _pause() -> None:
    global _paused_until
    with _lock:
        _paused_until = time.monotonic() + BROKER_PAUSE_SECONDS


def resume() -> None:
    """Try the broker again at the next send (tests; a process that knows Redis is back)."""
    global _paused_until
    with _lock:
        _paused_until = 0.0


def queue_now(send: Callable[[], object], *, what: str) -> bool:
    """Call `send` (a task's delay or apply_async); True when the message went to the broker."""
    if broker_paused():
        log.warning("%s not queued (broker unavailable); its sweep will do it", what)
        return False
    try:
        send()
    except Exception as exc:  # noqa: BLE001  (any failure to queue: the sweep re-derives the work)
        if isinstance(exc, BROKER_ERRORS):
            _pause()
        log.warning("%s not queued (%r); its sweep will do it", what, exc)
        return False
    return True


def queue_after_commit(send: Callable[[], object], *, what: str) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: queue_now(send, what=what))
