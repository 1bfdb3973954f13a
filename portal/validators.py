"""Validators for Chinese identifiers, written from their national standards."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import clock

# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, Z, S, V), weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"), code="format"
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码。"), code="region")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="checksum")


# GB 11643-1999 公民身份号码: ISO 7064 MOD 11-2 check character.
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id_birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


class IdType:
    """Codes of the identity documents the portal accepts (values stored on the archive)."""

    RESIDENT = "resident"  # 居民身份证
    PASSPORT = "passport"  # 护照
    HK_MACAO = "hk_macao"  # 港澳居民来往内地通行证
    TAIWAN = "taiwan"  # 台湾居民来往大陆通行证
    HMT_RESIDENCE = "hmt_residence"  # 港澳台居民居住证
    FOREIGN_PR = "foreign_pr"  # 外国人永久居留身份证

    CHOICES = [
        (RESIDENT, _("居民身份证")),
        (PASSPORT, _("护照")),
        (HK_MACAO, _("港澳居民来往内地通行证")),
        (TAIWAN, _("台湾居民来往大陆通行证")),
        (HMT_RESIDENCE, _("港澳台居民居住证")),
        (FOREIGN_PR, _("外国人永久居留身份证")),
    ]


def _validate_18_digit(number: str, *, today: dt.date | None = None) -> dt.date:
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("证件号码应为18位，最后一位可为数字或X。"), code="format")
    birth = resident_id_birth_date(number)
    if birth is None or birth > (today or clock.today()) or birth.year < 1900:
        raise ValidationError(_("证件号码中的出生日期无效。"), code="birth_date")
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("证件号码校验位不正确，请核对。"), code="checksum")
    return birth


def normalise_id_number(id_type: str, number: str) -> str:
    return (number or "").strip().upper().replace(" ", "")


def validate_id_number(id_type: str, number: str, *, today: dt.date | None = None) -> dt.date | None:
    """Validate an identity document number; return the birth date it encodes, if any."""
    number = normalise_id_number(id_type, number)
    if not number:
        raise ValidationError(_("请填写证件号码。"), code="required")
    if id_type == IdType.RESIDENT:
        return _validate_18_digit(number, today=today)
    if id_type == IdType.HMT_RESIDENCE:
        if not number.startswith(("810000", "820000", "830000")):
            raise ValidationError(_("港澳台居民居住证号码应以810000、820000或830000开头。"), code="format")
        return _validate_18_digit(number, today=today)
    if id_type == IdType.HK_MACAO:
        if not re.fullmatch(r"[HM]\d{8}(\d{2})?", number):
            raise ValidationError(_("港澳居民来往内地通行证号码应为H或M加8位或10位数字。"), code="format")
        return None
    if id_type == IdType.TAIWAN:
        if not re.fullmatch(r"\d{8}(\d{2})?", number):
            raise ValidationError(_("台湾居民来往大陆通行证号码应为8位或10位数字。"), code="format")
        return None
    if id_type == IdType.FOREIGN_PR:
        if re.fullmatch(r"[A-Z]{3}\d{12}", number):  # 2004 edition
            return None
        if number.startswith("9"):  # 2017 edition: 18 characters with the GB 11643 check
            return _validate_18_digit(number, today=today)
        raise ValidationError(_("外国人永久居留身份证号码格式不正确。"), code="format")
    if id_type == IdType.PASSPORT:
        if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
            raise ValidationError(_("护照号码应为5至20位字母或数字。"), code="format")
        return None
    raise ValidationError(_("不支持的证件类型。"), code="id_type")


# Mainland numbers: a mobile is 11 digits from 13x to 19x; a landline is 0 and a 2–3 digit area code
# (010, 0571), a hyphen, a 7–8 digit number and an optional extension after another hyphen.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-\d{7,8}(-\d{1,6})?")


def normalise_phone(value: str) -> str:
    return (value or "").strip().replace(" ", "")


def validate_phone(value: str) -> None:
    """A mainland mobile (13800000000) or landline (0570-8888888, 010-12345678-123)."""
    number = normalise_phone(value)
    if not (_MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number)):
        raise ValidationError(
            _("请填写有效的手机号码（11位，以13至19开头）或固定电话（区号-号码，如0570-8888888）。"),
            code="phone",
        )


def mask_id_number(number: str) -> str:
    """Show the first 3 and last 4 characters only (public pages, verification)."""
    if not number:
        return ""
    if len(number) <= 7:
        return number[0] + "*" * (len(number) - 1)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(number: str) -> str:
    if not number or len(number) < 7:
        return "*" * len(number or "")
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# C0 controls and DEL, except tab, line feed and carriage return; the C1 range too (U+0080–U+009F),
# which no keyboard produces and some terminals and spreadsheets interpret.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "含有不允许的控制字符（如空字符），请删除后重新填写。"


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def validate_no_control_characters(value) -> None:
    """Installed on every form CharField by PortalConfig.ready()."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def strip_control_characters(value: str) -> str:
    """For names the portal keeps only to display (an uploaded file's original name)."""
    return CONTROL_CHARACTERS.sub("", value)
