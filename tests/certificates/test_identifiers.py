"""Certificate numbers and the GB/T 36904 e-licence identifier with its ISO 7064 MOD 37,36 check."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from certificates.identifiers import (
    certificate_number,
    identifier_errors,
    licence_identifier,
    mod37_36_check_char,
    type_code_errors,
)
from certificates.models import IssuerProfile

from .conftest import ISSUER_CODE, TYPE_CODE

# domain.md e.3: five real identifiers the check algorithm was verified against. The document
# elides the root OID ("…") and, for four of them, the first 17 characters of the type code; they
# are restored here from the 住建部 type code it quotes (11100000000013338W…): all five check.
REAL_IDENTIFIERS = [
    "1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y",
    "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F",
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
]


@pytest.mark.parametrize("identifier", REAL_IDENTIFIERS)
def test_the_check_character_of_each_real_identifier(identifier):
    *parts, check = identifier.split(".")[5:]
    assert mod37_36_check_char("".join(parts)) == check
    assert identifier_errors(identifier) == []


@pytest.mark.parametrize("identifier", REAL_IDENTIFIERS)
def test_any_single_changed_character_is_caught(identifier):
    body = "".join(identifier.split(".")[5:-1])
    check = identifier[-1]
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i, ch in enumerate(body):
        for other in alphabet.replace(ch, "")[:6]:
            assert mod37_36_check_char(body[:i] + other + body[i + 1 :]) != check


def test_a_wrong_check_character_is_named():
    wrong = REAL_IDENTIFIERS[0][:-1] + "Z"
    assert identifier_errors(wrong) == ["电子证照标识校验位应为“Y”，实为“Z”。"]
    assert identifier_errors("1.2.3") == ["电子证照标识格式不正确。"]


def test_an_issued_identifier_has_the_standard_shape():
    identifier = licence_identifier(
        type_code=TYPE_CODE, issuer_code=ISSUER_CODE, serial="3308002026001000001"
    )
    root, type_code, issuer, serial, version, check = identifier.rsplit(".", 5)
    assert (root, type_code, issuer, serial, version) == (
        "1.2.156.3005.2",
        TYPE_CODE,
        ISSUER_CODE,
        "3308002026001000001",
        "001",
    )
    assert identifier_errors(identifier) == []


def test_the_type_code_is_a_credit_code_and_a_three_digit_sequence():
    assert type_code_errors(TYPE_CODE) == []
    assert "21位" in type_code_errors("123")[0]
    assert "统一社会信用代码" in type_code_errors(TYPE_CODE[:17] + "0" + "001")[0]
    with pytest.raises(ValueError, match="流水号"):
        licence_identifier(type_code=TYPE_CODE, issuer_code=ISSUER_CODE, serial="abc")


def test_the_certificate_number_scheme():
    assert certificate_number(region_code="330800", year=2026, committee_code="001", sequence=7) == (
        "3308002026001000007"
    )
    with pytest.raises(ValueError, match="顺序号"):
        certificate_number(region_code="330800", year=2026, committee_code="001", sequence=1_000_000)
    with pytest.raises(ValueError, match="评委会代码"):
        certificate_number(region_code="330800", year=2026, committee_code="1", sequence=1)


@pytest.mark.django_db
def test_the_issuer_settings_are_validated(world):
    profile = IssuerProfile(
        organisation=world.bureau,
        name="局",
        credit_code="11330800MB00000010",
        region_code="3308",
        type_code="X",
    )
    with pytest.raises(ValidationError) as exc:
        profile.full_clean()
    errors = exc.value.message_dict
    assert set(errors) == {"credit_code", "region_code", "type_code"}
    assert "校验位" in errors["credit_code"][0] and "21位" in errors["type_code"][0]
