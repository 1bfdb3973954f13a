"""Django's model backend with the signed-in user read on every request by a statement written once per
process (django-axes' lock-out check stays its own backend before it, with no users to read).

Every signed-in request reads its user by the key in its session. Through the ORM (a queryset, its
filter, its compilation) that read cost several times the statement; here it is the same row by the
same key, made into the same model instance (Model.from_db, the fields converted as the ORM converts
them), and the same check that the account may sign in. Authentication itself is unchanged.
"""

from __future__ import annotations

import functools

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from .reads import Converter


@functools.cache
def _statement() -> tuple[str, list, Converter]:
    meta, q = get_user_model()._meta, connection.ops.quote_name
    fields = list(meta.concrete_fields)
    columns = ", ".join(q(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {q(meta.db_table)} WHERE {q(meta.pk.column)} = %s"
    return sql, fields, Converter(fields, connection)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            key = model._meta.pk.to_python(user_id)
        except (ValidationError, TypeError, ValueError):
            return None
        sql, fields, convert = _statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(connection.alias, [field.attname for field in fields], convert(row))
        return user if self.user_can_authenticate(user) else None
