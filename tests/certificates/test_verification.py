"""Offline verification: the published keys only, no database, and a precise reason for each failure."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import pdf, selectors, signing
from certificates.models import SigningKey
from certificates.services.keys import signing_key_create, signing_key_revoke
from certificates.tokens import certificate_token

pytestmark = pytest.mark.django_db


def _tampered(token: str, **changes) -> str:
    body, signature = token.split(".")
    payload = {**json.loads(signing.b64d(body)), **changes}
    return f"{signing.b64e(signing.canonical(payload))}.{signature}"


@pytest.fixture
def keys_file(tmp_path, issued):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(selectors.keys_document(), ensure_ascii=False), encoding="utf-8")
    return path


def test_a_tampered_field_fails_with_a_clear_message(issued):
    token = _tampered(certificate_token(issued), nm="李四")
    verdict = signing.verify_token(token, keys=selectors.keyset())
    assert verdict.status == "invalid"
    assert verdict.errors == ["签名验证失败：内容与签名不符（内容被改动，或签名不是该密钥所签）。"]


@pytest.mark.parametrize(
    "token, reason",
    [
        ("abc", "格式不正确"),
        ("!!.??", "base64url"),
        (f"{signing.b64e(b'not json')}.{signing.b64e(b'x')}", "不是有效的 JSON"),
        (signing.b64e(b'{ "v": "1"}') + "." + signing.b64e(b"x"), "不是规范格式"),
        (f"{signing.b64e(signing.canonical({'v': '9'}))}.{signing.b64e(b'x')}", "不支持的格式版本"),
        (
            f"{signing.b64e(signing.canonical({'v': '1', 'kid': 'nobody'}))}.{signing.b64e(b'x')}",
            "不在公布的公钥列表中",
        ),
    ],
)
def test_each_malformed_token_says_what_is_wrong(issued, token, reason):
    verdict = signing.verify_token(token, keys=selectors.keyset())
    assert not verdict.ok and reason in verdict.errors[0]


def test_the_command_verifies_a_pdf_without_the_database(
    issued, keys_file, tmp_path, capsys, django_assert_num_queries
):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(issued.pdf.open("rb").read())
    with django_assert_num_queries(0):
        call_command("verify_certificate", str(path), "--keys", str(keys_file))
    out = capsys.readouterr().out
    assert "证书有效" in out and issued.number in out and issued.holder_name in out


def test_the_command_verifies_the_qr_link_and_names_a_changed_field(
    issued, keys_file, django_assert_num_queries
):
    url = pdf.verification_url(certificate_token(issued))
    with django_assert_num_queries(0):
        call_command("verify_certificate", url, "--keys", str(keys_file))
        with pytest.raises(CommandError, match="验证未通过：\n- 签名验证失败"):
            call_command(
                "verify_certificate",
                _tampered(certificate_token(issued), idn="330802199001010011"),
                "--keys",
                str(keys_file),
            )


def test_a_pdf_whose_printed_name_differs_from_the_signed_one_fails(issued, keys_file, tmp_path):
    token = certificate_token(issued)
    forged = pdf.render_certificate(payload={**issued.payload, "nm": "李四"}, token=token)
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    with pytest.raises(CommandError, match=f"PDF上的“姓名”（李四）与签名内容（{issued.holder_name}）不一致"):
        call_command("verify_certificate", str(path), "--keys", str(keys_file))


def test_a_pdf_not_issued_here_is_named(issued, keys_file, tmp_path):
    from tests.conftest import PDF_BYTES

    path = tmp_path / "other.pdf"
    path.write_bytes(PDF_BYTES)
    with pytest.raises(CommandError, match="没有证书签名内容|不是可读取的PDF"):
        call_command("verify_certificate", str(path), "--keys", str(keys_file))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("verify_certificate", str(tmp_path / "missing.pdf"), "--keys", str(keys_file))
    with pytest.raises(CommandError, match="无法读取公钥列表"):
        call_command("verify_certificate", "a.b", "--keys", str(tmp_path / "none.json"))


def test_a_retired_key_still_verifies_and_a_revoked_key_does_not(issued, issuer, world):
    token = certificate_token(issued)
    old = SigningKey.objects.get(issuer=issuer)
    signing_key_create(issuer=issuer, actor=world.officer)  # rotation retires the old key
    verdict = signing.verify_token(token, keys=selectors.keyset())
    assert verdict.ok and "停用" in verdict.notes[0]
    old.refresh_from_db()
    signing_key_revoke(key=old, actor=world.officer, reason="私钥疑似泄露")
    verdict = signing.verify_token(token, keys=selectors.keyset())
    assert not verdict.ok and f"签名密钥“{old.kid}”已于" in verdict.errors[0] and "吊销" in verdict.errors[0]
    assert verdict.kind == "revoked_key"


def test_a_key_of_another_issuer_cannot_sign_for_this_one(issued):
    document = selectors.keys_document()
    document["keys"][0]["issuer"] = "91330800MA0000001X"
    verdict = signing.verify_token(certificate_token(issued), keys=signing.KeySet.from_document(document))
    assert "不是所载发证机构" in verdict.errors[0]


def test_a_keys_file_with_a_swapped_key_is_refused(issued):
    document = selectors.keys_document()
    _, _, other_public = signing.new_key_pair()
    document["keys"][0]["public_key"] = other_public
    with pytest.raises(ValueError, match="与其标识不符"):
        signing.KeySet.from_document(document)


def test_a_stale_or_forged_status_list_is_reported(issued, frozen_clock):
    keys = selectors.keyset()
    document = selectors.status_document()
    later = frozen_clock.now() + dt.timedelta(days=2)
    stale = signing.StatusLists.from_document(document, keys, now=later)
    assert "已过期" in stale.problems[0]
    forged = {
        **document,
        "lists": [
            {
                **document["lists"][0],
                "token": _tampered(document["lists"][0]["token"], nxt="2099-01-01T00:00:00+00:00"),
            }
        ],
    }
    lists = signing.StatusLists.from_document(forged, keys, now=frozen_clock.now())
    assert "签名验证失败" in lists.problems[0]
    verdict = signing.verify_token(certificate_token(issued), keys=keys, status=lists)
    assert verdict.ok and any("没有该发证机构的有效状态列表" in n for n in verdict.notes)


def test_a_certificate_signature_cannot_pass_as_a_status_list(issued):
    # A certificate token of the first format has the status list's version: only the context differs.
    key = issued.signing_key
    private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
    token = signing.sign(private, {**issued.payload, "v": "1"})
    assert signing.verify_token(token, keys=selectors.keyset()).ok
    lists = signing.StatusLists.from_document(
        {"type": signing.STATUS_TYPE, "lists": [{"issuer": "x", "token": token}]},
        selectors.keyset(),
        now=dt.datetime.now(dt.UTC),
    )
    assert "签名验证失败" in lists.problems[0]


def test_keys_are_exported_for_offline_use(issued, tmp_path):
    out = tmp_path / "exported.json"
    call_command("certificate_keys", "export", "--out", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    (key,) = document["keys"]
    assert key["status"] == "active" and key["jwk"]["crv"] == "Ed25519"
    assert "private" not in json.dumps(document)


def test_the_page_reads_the_one_key_the_certificate_names_and_still_sees_it_revoked(
    issued, issuer, world, client
):
    """Online verification consults the key the stored token names, so its cost does not grow with the
    keys every issuer has rotated through; a revoked key is found all the same."""
    url = reverse("certificates:verify") + f"?number={issued.number}"

    def verify() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page

    cost, page = verify()
    assert "有效" in page
    old = SigningKey.objects.get(issuer=issuer)
    for _ in range(3):
        signing_key_create(issuer=issuer, actor=world.officer)
    assert verify()[0] == cost
    signing_key_revoke(key=old, actor=world.officer, reason="私钥疑似泄露")
    _cost, page = verify()
    assert "吊销" in page
