"""The portal's URLs plus the benchmark's two references: the ceiling, a bare view reading one row by
primary key from a 1,000,000-row table (bench_ceiling, created by bench/pages_bench.py), and the
signed-in floor, the portal's layout (base.html: header, role menu, banners, footer) with no content, for
a signed-in user: what every signed-in page costs before its own work. Not part of the portal's URLs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

CEILING_ROWS = 1_000_000


def ceiling(request, pk: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, label FROM bench_ceiling WHERE id = %s", [pk])
        row = cursor.fetchone()
    return HttpResponse(f"{row[0]} {row[1]}", content_type="text/plain")


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/ceiling/<int:pk>/", ceiling),
    path("bench/floor/", floor),
    *portal_urlpatterns,
]
