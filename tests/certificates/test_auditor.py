"""An auditor (监督审计) reads the certificates and batches of their own region only, and acts on none."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate, CertificateBatch
from certificates.permissions import batches_visible_to, certificates_visible_to

from .conftest import approved, issue

pytestmark = pytest.mark.django_db


def test_an_auditor_of_the_city_reads_its_certificates_and_batches(world, issued):
    client = world.client_for(world.auditor)
    assert client.get(reverse("certificates:detail", args=[issued.pk])).status_code == 200
    batches = client.get(reverse("certificates:batches")).content.decode()
    assert issued.batch.approval_doc_no in batches
    assert client.get(reverse("certificates:batch", args=[issued.batch.pk])).status_code == 200
    assert list(certificates_visible_to(world.auditor)) == [issued]


def test_an_auditor_of_another_city_sees_none_of_them(world, issued):
    elsewhere = world.auditor_of("330600", "绍兴市")
    client = world.client_for(elsewhere)
    assert client.get(reverse("certificates:detail", args=[issued.pk])).status_code == 404
    assert client.get(reverse("certificates:batch", args=[issued.batch.pk])).status_code == 404
    assert client.get(reverse("certificates:batch_progress", args=[issued.batch.pk])).status_code == 404
    page = client.get(reverse("certificates:batches"))
    assert page.status_code == 200 and issued.batch.approval_doc_no not in page.content.decode()
    assert not certificates_visible_to(elsewhere).exists() and not batches_visible_to(elsewhere).exists()


def test_a_district_auditor_sees_only_what_comes_from_the_district(world, issued):
    district = world.auditor_of("330802", "柯城区", username="auditor_kc")
    assert not certificates_visible_to(district).exists()
    # An application recommended by an employer of the district is in the district auditor's view.
    district_region = district.memberships.get().organisation.region
    issued.application.recommending_org.region = district_region
    issued.application.recommending_org.save()
    assert list(certificates_visible_to(district)) == [issued]
    assert not batches_visible_to(district).exists()  # the batch was issued by the city


def test_a_provincial_auditor_sees_the_citys(world, issued):
    province = world.auditor_of("330000", "浙江省", username="auditor_zj")
    assert list(certificates_visible_to(province)) == [issued]
    assert list(batches_visible_to(province)) == [issued.batch]


def test_the_auditor_takes_no_action_and_is_offered_none(world, issued):
    client = world.client_for(world.auditor)
    page = client.get(reverse("certificates:detail", args=[issued.pk])).content.decode()
    assert "撤销证书" not in page and reverse("certificates:download", args=[issued.pk]) not in page
    for name in ("revoke", "suspend", "reinstate"):
        response = client.post(reverse(f"certificates:{name}", args=[issued.pk]), {"reason": "x"})
        assert response.status_code == 403
    assert client.post(reverse("certificates:batch_rerun", args=[issued.batch.pk])).status_code == 403
    batch_page = client.get(reverse("certificates:batch", args=[issued.batch.pk])).content.decode()
    assert reverse("certificates:batch_rerun", args=[issued.batch.pk]) not in batch_page
    listing = client.get(reverse("certificates:batches")).content.decode()
    assert reverse("certificates:issue") not in listing
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_auditors_lists_do_not_grow_their_queries(world, issuer, django_capture_on_commit_callbacks):
    apps = approved(world, 4)
    batch = issue(world, apps[:1], django_capture_on_commit_callbacks)
    client = world.client_for(world.auditor)
    urls = [reverse("certificates:batches"), reverse("certificates:batch", args=[batch.pk])]
    before = [_queries(client, url) for url in urls]
    for n, application in enumerate(apps[1:]):
        issue(world, [application], django_capture_on_commit_callbacks, approval_doc_no=f"文号{n}")
    Certificate.objects.update(batch=batch)
    assert CertificateBatch.objects.count() == 4 and batch.certificates.count() == 4
    assert [_queries(client, url) for url in urls] == before
