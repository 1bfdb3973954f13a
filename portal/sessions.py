"""Django's database sessions, read by a statement written once per process.

Every signed-in request reads its session first. Through the ORM that read (a queryset, a filter on the
key and the expiry, its compilation) cost more than the statement itself; the row read here is the same
one, by the same primary key and expiry test, and everything else (saving, rotating, expiring, clearing)
is Django's own database store.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router

from . import clock


class SessionStore(db.SessionStore):
    @classmethod
    @functools.cache
    def _select(cls) -> str:
        meta = cls.get_model_class()._meta
        q = connections[router.db_for_read(cls.get_model_class())].ops.quote_name
        key, data, expiry = (
            q(meta.get_field(name).column) for name in ("session_key", "session_data", "expire_date")
        )
        return f"SELECT {data}, {expiry} FROM {q(meta.db_table)} WHERE {key} = %s AND {expiry} > %s"

    def _get_session_from_db(self):
        if not self.session_key:
            return None
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            # Wall-clock time, as Django's store writes the expiry (never the demo clock).
            cursor.execute(self._select(), [self.session_key, clock.real_now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
