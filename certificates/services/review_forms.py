"""The stored 评审表 of applications that passed the qualification check: rendering and what is due."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from applications.models import Application, ReviewForm
from applications.states import State
from portal import clock

from .. import pdf

# From the qualification check on, the snapshot stays as reviewed (a later return reopens it, and a
# resubmission makes the stored form stale: `submitted_at` no longer matches).
REVIEW_FORM_STATES = [
    State.QUALIFIED,
    State.RECOMMENDED_UPWARD,
    State.PRE_REVIEW_PUBLICITY,
    State.AWAITING_MEETING,
    State.IN_MEETING,
    State.PASSED,
    State.NOT_PASSED,
    State.RESULT_PUBLICITY,
    State.RESULT_PUBLICITY_DONE,
    State.APPROVED,
    State.CERTIFIED,
]


def review_forms_due() -> QuerySet[Application]:
    """Applications past the qualification check without a form made from their last submission."""
    current = ReviewForm.objects.filter(application=OuterRef("pk"), submitted_at=OuterRef("submitted_at"))
    return Application.objects.filter(state__in=REVIEW_FORM_STATES, submitted_at__isnull=False).exclude(
        Exists(current)
    )


def review_form_render(*, application: Application) -> ReviewForm:
    """Render and store the form (safe to run twice: a current form is kept as it is)."""
    existing = ReviewForm.objects.filter(application=application).first()
    if existing is not None and existing.is_current_for(application):
        return existing
    data = pdf.render_review_form(application)  # outside the transaction: it takes a while
    with transaction.atomic():
        form, _ = ReviewForm.objects.select_for_update().get_or_create(
            application=application, defaults={"submitted_at": application.submitted_at}
        )
        if form.pdf and form.is_current_for(application):
            return form
        old = form.pdf.name if form.pdf else ""
        form.submitted_at = application.submitted_at
        form.rendered_at = clock.now()
        form.pdf.save(f"{application.number}.pdf", ContentFile(data), save=False)
        form.save()
    if old and old != form.pdf.name:
        form.pdf.storage.delete(old)
    return form
