"""The portal's URLs plus the benchmark's ceiling: a bare view reading one row by primary key from a
1,000,000-row table (bench_ceiling, created by bench/pages_bench.py). Not part of the portal's URLs."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

CEILING_ROWS = 1_000_000


def ceiling(request, pk: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, label FROM bench_ceiling WHERE id = %s", [pk])
        row = cursor.fetchone()
    return HttpResponse(f"{row[0]} {row[1]}", content_type="text/plain")


urlpatterns = [path("bench/ceiling/<int:pk>/", ceiling), *portal_urlpatterns]
