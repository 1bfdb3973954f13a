"""The pages a certificate's holder and anyone scanning its QR code open on a phone fit a 390 px wide
screen: nothing runs off to the side (no horizontal scrolling)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.tokens import certificate_token
from tests.certificates.conftest import _fresh_cache, issued, issuer  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}


def assert_fits_the_phone(actor, label: str) -> None:
    actor.shot(label)
    width = actor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{actor.page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_verification_and_certificate_pages_fit_a_phone(actors, issued):  # noqa: F811
    visitor = actors("visitor", PHONE)
    visitor.goto(reverse("certificates:verify"))
    assert_fits_the_phone(visitor, "verify-form")
    visitor.goto(reverse("certificates:verify") + f"?c={certificate_token(issued)}")
    assert "有效" in visitor.page.inner_text("body")
    assert_fits_the_phone(visitor, "verify-qr-link")
    visitor.goto(reverse("certificates:verify") + f"?number={issued.number}&name={issued.holder_name}")
    assert_fits_the_phone(visitor, "verify-number")

    holder = actors("holder", PHONE)
    holder.login("applicant", "pass12345")
    holder.goto(reverse("certificates:detail", args=[issued.pk]))
    assert issued.number in holder.page.inner_text("body")
    assert_fits_the_phone(holder, "certificate-detail")
