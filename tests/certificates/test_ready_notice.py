"""The holder is told once, in the portal and by e-mail, when the certificate can be downloaded."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate
from certificates.services.rendering import certificate_render
from portal.models import Notification

from .conftest import approved, issue

pytestmark = pytest.mark.django_db


def test_the_holder_is_told_when_the_pdf_is_ready(world, issuer, django_capture_on_commit_callbacks):
    application = approved(world, 1)[0]
    issue(world, [application], django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(application=application)
    note = Notification.objects.get(user=certificate.holder, message__contains=certificate.number)
    assert note.link == reverse("certificates:detail", args=[certificate.pk])
    assert any(m.to == [certificate.holder.email] and certificate.number in m.body for m in mail.outbox)
    others = Notification.objects.filter(message__contains=certificate.number).exclude(
        user=certificate.holder
    )
    assert not others.exists()


def test_a_repeated_render_tells_no_one_again(world, issuer, django_capture_on_commit_callbacks):
    application = approved(world, 1)[0]
    issue(world, [application], django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(application=application)
    certificate_render(certificate_id=certificate.pk)
    assert Notification.objects.filter(message__contains=certificate.number).count() == 1
