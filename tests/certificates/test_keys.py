"""The signing keys' lifecycle through `manage.py certificate_keys`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from certificates.models import SigningKey

from .conftest import ISSUER_CODE

pytestmark = pytest.mark.django_db


def test_create_rotates_and_retire_and_revoke_are_recorded(issuer, capsys):
    (first,) = SigningKey.objects.all()
    call_command("certificate_keys", "create", "--issuer", ISSUER_CODE, "--by", "officer")
    first.refresh_from_db()
    second = SigningKey.objects.get(status=SigningKey.Status.ACTIVE)
    assert first.status == SigningKey.Status.RETIRED and first.retired_at is not None and second != first
    call_command(
        "certificate_keys", "revoke", "--kid", first.kid, "--reason", "私钥疑似泄露", "--by", "officer"
    )
    first.refresh_from_db()
    assert first.status == SigningKey.Status.REVOKED and first.revoked_reason == "私钥疑似泄露"
    call_command("certificate_keys", "retire", "--kid", second.kid, "--by", "officer")
    call_command("certificate_keys", "list")
    out = capsys.readouterr().out
    assert first.kid in out and "已吊销" in out and "已停用" in out


def test_bad_key_commands_say_why(issuer):
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        call_command("certificate_keys", "create", "--issuer", "91330800MA0000001X")
    with pytest.raises(CommandError, match="没有标识为"):
        call_command("certificate_keys", "retire", "--kid", "nope", "--by", "officer")
    key = SigningKey.objects.get()
    with pytest.raises(CommandError, match="请填写吊销原因"):
        call_command("certificate_keys", "revoke", "--kid", key.kid, "--by", "officer")
    call_command("certificate_keys", "retire", "--kid", key.kid, "--by", "officer")
    with pytest.raises(CommandError, match="不能停用"):
        call_command("certificate_keys", "retire", "--kid", key.kid, "--by", "officer")
