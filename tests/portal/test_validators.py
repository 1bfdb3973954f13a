from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.validators import (
    mask_id_number,
    uscc_check_char,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)


# Real codes of public bodies, taken from e-licence identifiers (domain.md e.3).
@pytest.mark.parametrize(
    "code", ["11100000000013338W", "11220000013544541J", "11330105002500287C", "11110000000021135M"]
)
def test_real_unified_social_credit_codes_validate(code):
    validate_credit_code(code)


def test_a_wrong_check_character_is_refused():
    code = "91330800MA2DEMX00"
    good = code + uscc_check_char(code)
    validate_credit_code(good)
    bad = code + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code(bad)
    with pytest.raises(ValidationError, match="18位"):
        validate_credit_code("91330800MA2DEMO0I" + "0")


def test_resident_id_known_example_and_birth_date():
    # The GB 11643 example number.
    assert validate_id_number("resident", "11010519491231002X") == dt.date(1949, 12, 31)
    with pytest.raises(ValidationError, match="出生日期"):
        validate_id_number("resident", "110105209912310021", today=dt.date(2026, 11, 22))


def test_masking_keeps_only_the_ends():
    assert mask_id_number("11010519491231002X") == "110***********002X"


@pytest.mark.parametrize(
    "number",
    ["13800000000", "19912345678", "0570-8888888", "010-12345678", "0571-87654321-8001", " 138 0000 0000 "],
)
def test_mainland_mobiles_and_landlines_validate(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number", ["12800000000", "1380000000", "138000000001", "05708888888", "570-8888888", "0570-888", "电话"]
)
def test_other_phone_numbers_are_refused(number):
    with pytest.raises(ValidationError, match="固定电话"):
        validate_phone(number)
