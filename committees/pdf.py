"""The result filing form (评审结果备案表, seed 004 一(五)) as a PDF, with WeasyPrint.

One FontConfiguration per thread is kept and reused, as design.md advises for CJK documents."""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from portal import clock

from .models import MeetingResult, ResultFiling

_local = threading.local()


def _font_config():
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def filing_pdf(filing: ResultFiling, applications: list) -> bytes:
    results = {r.application_id: r for r in MeetingResult.objects.filter(application__in=applications)}
    rows = []
    for i, a in enumerate(applications, start=1):
        r = results.get(a.pk)
        if r is not None:
            outcome = f"同意{r.agree}/有表决权{r.entitled}（出席{r.present}）"
        else:
            outcome = {"recognition": "直接认定", "initial": "初定"}.get(a.declaration_type, "")
        rows.append(
            {
                "n": i,
                "application": a,
                "employer": (a.workplace or a.recommending_org).name,
                "outcome": outcome,
            }
        )
    committee = filing.committee
    html = render_to_string(
        "committees/filing_form.html",
        {
            "filing": filing,
            "committee": committee,
            "forming_body": committee.forming_body,
            "rows": rows,
            "meeting": filing.meeting,
            "printed_on": timezone.localdate(clock.now()),
        },
    )
    return HTML(string=html).write_pdf(font_config=_font_config())
