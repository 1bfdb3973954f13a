"""The portal's derived keys: a sealed value opens only where it was sealed, signatures only verify."""

import pytest
from django.test import override_settings

from portal import keyring


def test_seal_round_trip_and_fresh_nonce():
    a = keyring.seal("test/v1", b"counts", bound_to="box:1")
    b = keyring.seal("test/v1", b"counts", bound_to="box:1")
    assert a != b
    assert keyring.unseal("test/v1", a, bound_to="box:1") == b"counts"


@pytest.mark.parametrize(
    "attack",
    [
        lambda s: keyring.unseal("test/v1", s, bound_to="box:2"),  # moved to another record
        lambda s: keyring.unseal("other/v1", s, bound_to="box:1"),  # opened for another purpose
        lambda s: keyring.unseal("test/v1", s[:-1] + bytes([s[-1] ^ 1]), bound_to="box:1"),  # altered
        lambda s: keyring.unseal("test/v1", s[:5], bound_to="box:1"),  # truncated
    ],
)
def test_seal_refuses_tampering(attack):
    sealed = keyring.seal("test/v1", b"counts", bound_to="box:1")
    with pytest.raises(keyring.SealBroken):
        attack(sealed)


def test_seal_under_another_secret_does_not_open():
    sealed = keyring.seal("test/v1", b"x", bound_to="r")
    with (
        override_settings(PORTAL_INTEGRITY_SECRET="another-secret-0123456789"),
        pytest.raises(keyring.SealBroken),
    ):
        keyring.unseal("test/v1", sealed, bound_to="r")


def test_signature_verifies_and_forgery_fails():
    key = keyring.signing_key("checkpoint/v1")
    public = keyring.public_key_raw("checkpoint/v1")
    signature = key.sign(b"heads")
    assert keyring.verify_signature(public, signature, b"heads")
    assert not keyring.verify_signature(public, signature, b"heads2")
    assert not keyring.verify_signature(keyring.public_key_raw("other/v1"), signature, b"heads")
