"""`manage.py load_demo`: load (or refresh) the demo data set. Run `migrate` first.

It lives in certificates/, the last app of the chain, because it fills every app below it too."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand

from certificates.demo import load_issuers
from committees.demo import load_demo
from committees.demo_data import PORTAL_URL
from committees.models import Expert
from portal.models import Organisation, ReviewPlan

HEADINGS = ("用户名", "密码", "角色", "所属机构")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "加载演示数据（评委会、评审计划、组织机构、专家库和各角色演示账号）；可重复运行。"

    def handle(self, *args, **options):
        accounts = load_demo()
        load_issuers()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已加载：{Organisation.objects.count()}个组织机构，{ReviewPlan.objects.count()}个评审计划，"
                f"{Expert.objects.count()}位专家。"
            )
        )
        rows = [HEADINGS, *((a.username, a.password, a.role, a.organisation) for a in accounts)]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(HEADINGS))]
        self.stdout.write("")
        self.stdout.write("演示账号")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"门户地址：{PORTAL_URL}")
