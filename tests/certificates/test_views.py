"""Every page and endpoint: who may (200), the outsider (404), the wrong role (403), the wrong method (405),
bad input in Chinese (or JSON 400 naming the field), rate limits and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate, CertificateBatch, Verification
from certificates.services.review_forms import review_form_render
from certificates.tokens import certificate_token
from portal.validators import mask_id_number

from .conftest import APPROVAL_DATE, approved, issue

pytestmark = pytest.mark.django_db


def _url(url_name, args):
    # API routes are named `api-<thing>` without a namespace; pages live under `certificates:`.
    return reverse(url_name if url_name.startswith("api-") else f"certificates:{url_name}", args=args)


def get(client, url_name, *args, **params):
    return client.get(_url(url_name, args), params)


def post(client, url_name, *args, **data):
    return client.post(_url(url_name, args), data)


# ---------------------------------------------------------------- public verification


def test_the_verify_page_by_number_and_by_number_and_name(world, issued):
    anonymous = Client()
    assert get(anonymous, "verify").status_code == 200
    basic = get(anonymous, "verify", number=issued.number).content.decode()
    assert "有效" in basic and issued.holder_name not in basic and issued.holder_name[0] + "*" in basic
    assert issued.payload["adn"] not in basic
    full = get(anonymous, "verify", number=issued.number, name=issued.holder_name).content.decode()
    assert issued.holder_name in full and mask_id_number(issued.payload["idn"]) in full
    assert issued.application.archive.id_number not in full and issued.payload["adn"] in full
    wrong = get(anonymous, "verify", number=issued.number, name="王五").content.decode()
    assert "姓名与证书不符" in wrong and issued.payload["adn"] not in wrong
    assert "未查到该证书编号" in get(anonymous, "verify", number="3308002026001999999").content.decode()
    assert list(Verification.objects.order_by("at", "id").values_list("outcome", "name_matched")) == [
        ("valid", None),
        ("valid", True),
        ("valid", False),
        ("unknown", None),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_lookups_log_line_skips_the_disk_wait_and_nothing_else_does(world, issued):
    """The lookup log commits without waiting for the WAL flush; that setting stays inside its own
    transaction, so the next write on the same connection (a workflow move, a certificate) waits as usual."""
    seen = []
    with connection.execute_wrapper(lambda execute, sql, *a: (seen.append(sql), execute(sql, *a))[1]):
        assert get(Client(), "verify", number=issued.number).status_code == 200
    assert any("synchronous_commit TO OFF" in sql for sql in seen)
    assert Verification.objects.filter(number=issued.number).exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_the_qr_link_shows_the_certificate_and_a_bad_one_says_why(world, issued):
    token = certificate_token(issued)
    page = get(Client(), "verify", c=token).content.decode()
    assert issued.holder_name in page and mask_id_number(issued.payload["idn"]) in page
    assert Verification.objects.get().channel == "qr"
    bad = get(Client(), "verify", c=token[:-4] + "AAAA").content.decode()
    assert "验证未通过" in bad and "签名验证失败" in bad


@pytest.mark.parametrize(
    "params, message", [({"number": ""}, "请输入证书编号"), ({"number": "ABC"}, "证书编号应为数字")]
)
def test_bad_verify_input_is_answered_in_chinese(world, params, message):
    response = get(Client(), "verify", **params)
    assert response.status_code == 400 and message in response.content.decode()


def test_the_verify_page_and_api_take_only_get(world):
    assert post(Client(), "verify", number="1").status_code == 405
    assert post(Client(), "api-certificate-verify", number="1").status_code == 405
    assert post(Client(), "keys").status_code == 405
    assert post(Client(), "status").status_code == 405


def test_the_api_masks_the_id_and_names_bad_fields(world, issued):
    data = get(Client(), "api-certificate-verify", number=issued.number, name=issued.holder_name).json()
    assert data["status"] == "valid" and data["name_matched"] is True
    assert data["certificate"]["id_number"] == mask_id_number(issued.payload["idn"])
    assert get(Client(), "api-certificate-verify", number="3308002026001999999").json()["status"] == "unknown"
    missing = get(Client(), "api-certificate-verify")
    assert missing.status_code == 400 and "number" in missing.json()["errors"]
    bad = get(Client(), "api-certificate-verify", number="12a")
    assert bad.status_code == 400 and bad.json()["errors"]["number"] == ["证书编号应为数字。"]
    via_token = get(Client(), "api-certificate-verify", token=certificate_token(issued)).json()
    assert via_token["status"] == "valid" and via_token["certificate"]["holder_name"] == issued.holder_name


def test_verification_is_rate_limited(world, issued, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    client = Client()
    codes = [get(client, "api-certificate-verify", number=issued.number).status_code for _ in range(3)]
    limited = get(client, "api-certificate-verify", number=issued.number)
    assert codes == [200, 200, 200] and limited.status_code == 429
    assert limited.json()["detail"] == "查询过于频繁，请稍后再试。"
    page = get(client, "verify", number=issued.number)
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert get(other, "verify", number=issued.number).status_code == 200
    assert Verification.objects.count() == 4


def test_the_published_keys_and_status_list(world, issued):
    keys = get(Client(), "keys").json()
    assert keys["type"] == "zhicheng-certificate-keys" and keys["keys"][0]["status"] == "active"
    status = get(Client(), "status").json()
    assert status["lists"][0]["issuer"] == issued.payload["isc"]


# ---------------------------------------------------------------- holders and officers


def test_the_holders_list(world, issued):
    assert get(Client(), "mine").status_code == 302
    assert issued.number in get(world.client_for(world.applicant), "mine").content.decode()
    assert issued.number not in get(world.client_for(world.other_applicant), "mine").content.decode()
    assert post(world.client_for(world.applicant), "mine").status_code == 405


def test_the_detail_page(world, issued):
    for user in (world.applicant, world.officer, world.auditor):
        assert get(world.client_for(user), "detail", issued.pk).status_code == 200
    for user in (world.other_applicant, world.other_officer, world.hr):
        assert get(world.client_for(user), "detail", issued.pk).status_code == 404
    assert post(world.client_for(world.applicant), "detail", issued.pk).status_code == 405
    assert "撤销证书" in get(world.client_for(world.officer), "detail", issued.pk).content.decode()
    assert "撤销证书" not in get(world.client_for(world.applicant), "detail", issued.pk).content.decode()


def test_the_download(world, issued):
    response = get(world.client_for(world.applicant), "download", issued.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert get(world.client_for(world.officer), "download", issued.pk).status_code == 200
    assert get(world.client_for(world.auditor), "download", issued.pk).status_code == 403
    assert get(world.client_for(world.other_applicant), "download", issued.pk).status_code == 404
    assert post(world.client_for(world.applicant), "download", issued.pk).status_code == 405


def test_a_certificate_without_its_pdf_yet_says_so(world, issued):
    Certificate.objects.filter(pk=issued.pk).update(pdf_sha256="", pdf_rendered_at=None)
    client = world.client_for(world.applicant)
    response = get(client, "download", issued.pk)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "证书文件正在生成" in page


@pytest.mark.parametrize(
    "action, data, status",
    [
        ("suspend", {"reason": "举报调查中"}, "suspended"),
        (
            "revoke",
            {
                "reason": "伪造学历",
                "kind": "false_materials",
                "decision_document": "衢人社职〔2026〕30号",
                "decision_date": "2026-05-30",
            },
            "revoked",
        ),
    ],
)
def test_status_actions(world, issued, action, data, status):
    assert post(world.client_for(world.applicant), action, issued.pk, **data).status_code == 403
    assert post(world.client_for(world.other_officer), action, issued.pk, **data).status_code == 404
    assert get(world.client_for(world.officer), action, issued.pk).status_code == 405
    assert post(world.client_for(world.officer), action, issued.pk).status_code == 302  # no reason: refused
    issued.refresh_from_db()
    assert issued.status == "valid"
    response = post(world.client_for(world.officer), action, issued.pk, **data)
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == status


def test_a_refused_status_action_says_why(world, issued):
    client = world.client_for(world.officer)
    response = client.post(
        reverse("certificates:revoke", args=[issued.pk]),
        {
            "reason": "伪造",
            "kind": "false_materials",
            "decision_document": "文号",
            "decision_date": "2026-13-01",
        },
        follow=True,
    )
    assert "决定日期格式应为YYYY-MM-DD" in response.content.decode()
    response = client.post(
        reverse("certificates:reinstate", args=[issued.pk]), {"reason": "误操作"}, follow=True
    )
    assert "不能执行该操作" in response.content.decode()


# ---------------------------------------------------------------- batches and issuing


def test_the_batch_pages(world, issued):
    batch = issued.batch
    officer = world.client_for(world.officer)
    assert get(officer, "batches").status_code == 200
    assert batch.approval_doc_no in get(officer, "batch", batch.pk).content.decode()
    assert get(officer, "batch_progress", batch.pk).json()["done"] is True
    assert get(world.client_for(world.auditor), "batch", batch.pk).status_code == 200
    for name, args in (("batches", ()), ("batch", (batch.pk,)), ("batch_progress", (batch.pk,))):
        assert get(world.client_for(world.applicant), name, *args).status_code == 403
        assert post(officer, name, *args).status_code == 405
    assert get(world.client_for(world.other_officer), "batch", batch.pk).status_code == 404
    assert get(world.client_for(world.other_officer), "batch_progress", batch.pk).status_code == 404


def test_a_batch_can_be_run_again_by_its_bureau(world, issued):
    batch = issued.batch
    assert post(world.client_for(world.officer), "batch_rerun", batch.pk).status_code == 302
    assert post(world.client_for(world.applicant), "batch_rerun", batch.pk).status_code == 403
    assert post(world.client_for(world.other_officer), "batch_rerun", batch.pk).status_code == 404
    assert post(world.client_for(world.auditor), "batch_rerun", batch.pk).status_code == 403
    assert get(world.client_for(world.officer), "batch_rerun", batch.pk).status_code == 405
    assert Certificate.objects.count() == 1


def test_the_bureau_issues_from_the_queue(world, issuer, django_capture_on_commit_callbacks):
    (application,) = approved(world)
    officer = world.client_for(world.officer)
    assert application.number in get(officer, "issue").content.decode()
    assert get(world.client_for(world.applicant), "issue").status_code == 403
    assert post(officer, "issue").status_code == 405
    assert get(officer, "issue_create").status_code == 405
    assert (
        post(world.client_for(world.applicant), "issue_create", applications=[application.pk]).status_code
        == 403
    )
    assert (
        post(
            world.client_for(world.other_officer),
            "issue_create",
            applications=[application.pk],
            approval_doc_no="文号",
            approval_date="2026-05-29",
        ).status_code
        == 404
    )
    refused = officer.post(
        reverse("certificates:issue_create"), {"applications": [application.pk]}, follow=True
    )
    assert "请填写批准文号" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            officer,
            "issue_create",
            applications=[application.pk],
            approval_doc_no="衢人社职〔2026〕12号",
            approval_date=APPROVAL_DATE.isoformat(),
        )
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("certificates:batch", args=[batch.pk])
    assert batch.certificates.get().is_rendered
    assert application.number not in get(officer, "issue").content.decode()


# ---------------------------------------------------------------- the application's forms


def test_the_review_form_download(world):
    application = world.submitted()
    review_form_render(application=application)  # made by the worker's sweep; no page renders it
    for user in (world.applicant, world.hr):
        response = world.client_for(user).get(reverse("certificates:review_form", args=[application.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert (
        world.client_for(world.other_hr)
        .get(reverse("certificates:review_form", args=[application.pk]))
        .status_code
        == 404
    )
    assert (
        world.client_for(world.applicant)
        .post(reverse("certificates:review_form", args=[application.pk]))
        .status_code
        == 405
    )
    assert Client().get(reverse("certificates:review_form", args=[application.pk])).status_code == 302


def test_the_exceptional_form_only_for_exceptional_applications(world):
    from .test_pdf import _exceptional

    normal = world.submitted(world.other_applicant, serial=460)
    assert (
        world.client_for(world.other_applicant)
        .get(reverse("certificates:exceptional_form", args=[normal.pk]))
        .status_code
        == 404
    )
    exceptional = _exceptional(world)
    response = world.client_for(world.applicant).get(
        reverse("certificates:exceptional_form", args=[exceptional.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert (
        world.client_for(world.hr)
        .post(reverse("certificates:exceptional_form", args=[exceptional.pk]))
        .status_code
        == 405
    )


# ---------------------------------------------------------------- query counts


def _queries(client, name, *args) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert get(client, name, *args).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_the_page(world, issuer, django_capture_on_commit_callbacks):
    apps = approved(world, 4)
    issue(world, apps[:1], django_capture_on_commit_callbacks)
    officer, holder = world.client_for(world.officer), world.client_for(world.applicant)
    batch = CertificateBatch.objects.get()
    before = {
        "batches": _queries(officer, "batches"),
        "issue": _queries(officer, "issue"),
        "mine": _queries(holder, "mine"),
        "batch": _queries(officer, "batch", batch.pk),
    }
    for n, application in enumerate(apps[1:3]):
        issue(world, [application], django_capture_on_commit_callbacks, approval_doc_no=f"文号{n}")
    # Three batches, three certificates on one holder's list and on one batch page, one left to issue.
    Certificate.objects.update(holder=world.applicant, batch=batch)
    after = {
        "batches": _queries(officer, "batches"),
        "issue": _queries(officer, "issue"),
        "mine": _queries(holder, "mine"),
        "batch": _queries(officer, "batch", batch.pk),
    }
    assert CertificateBatch.objects.count() == 3 and batch.certificates.count() == 3
    assert after == before
