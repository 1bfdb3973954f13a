"""The documents certificates makes for an application's dossier (the stored 评审表)."""

from __future__ import annotations

from django.urls import reverse

from applications.dossier import Document
from applications.models import Application

from .models import ReviewForm


def dossier_documents(application: Application) -> list[Document]:
    form = ReviewForm.objects.filter(application=application).only("submitted_at").first()
    return [
        Document(
            title="评审表",
            url=reverse("certificates:review_form", args=[application.pk]),
            ready=form is not None and form.is_current_for(application),
        )
    ]
