"""Objection reference numbers (异议受理编号) given when an objection is lodged, the public look-up of an
objection's outcome by its reference, and how a publicity's end reads after objections."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from .models import Objection, PublicityEntry, PublicityNotice

# No 0/O or 1/I, so that a reference read over the telephone is not misheard.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOKEN_LENGTH = 8


def new_reference(now: dt.datetime) -> str:
    """`YY20260601-7KQ2MX9A`: the lodging date in Beijing and a random part, so a reference cannot be
    guessed from another (the unique constraint catches the rare repeat)."""
    token = "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))
    return f"YY{timezone.localdate(now):%Y%m%d}-{token}"


def objection_by_reference(*, notice: PublicityNotice, reference: str) -> Objection | None:
    """The objection to this notice with this reference (case and spaces aside), or None."""
    reference = reference.strip().upper()
    if not reference:
        return None
    return Objection.objects.filter(entry__notice=notice, reference=reference).select_related("entry").first()


def settled_note(entry: PublicityEntry) -> tuple[str, bool]:
    """The history's note when the entry's publicity ends, and whether objections were dismissed: after a
    dismissed objection it says 异议不成立 with the finding, never 期满无异议."""
    findings = list(
        entry.objections.filter(status=Objection.Status.DISMISSED).values_list("outcome_reason", flat=True)
    )
    if findings:
        return f"{entry.notice.title}期满，异议不成立：{'；'.join(findings)}", True
    return f"{entry.notice.title}期满无异议", False
