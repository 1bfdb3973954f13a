"""Certificate numbers and GB/T 36904 e-licence identifiers (docs/certificates.md, domain.md e.3).

Pure functions: no database. The numbering counter that feeds `certificate_number` lives in
services.py, where it is locked.
"""

from __future__ import annotations

import re

from portal.validators import uscc_check_char

# GB/T 17710-2008 (ISO/IEC 7064) MOD 37,36 over digits and upper-case Latin letters.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ROOT_OID = "1.2.156.3005.2"  # 电子证照根代码
VERSION = "001"

_TYPE_CODE = re.compile(r"[0-9A-Z]{18}\d{3}")
_SERIAL = re.compile(r"[0-9A-Z]{7,32}")
_IDENTIFIER = re.compile(
    r"(?P<root>1\.2\.156\.3005\.2)\.(?P<type>[0-9A-Z]{21})\.(?P<issuer>[0-9A-Z]{6}|[0-9A-Z]{18})"
    r"\.(?P<serial>[0-9A-Z]{7,32})\.(?P<version>\d{3})\.(?P<check>[0-9A-Z])"
)


def mod37_36_check_char(body: str) -> str:
    """The ISO 7064 MOD 37,36 check character of `body` (digits and A–Z only)."""
    p = 36
    for ch in body:
        try:
            value = _ALPHABET.index(ch)
        except ValueError as exc:
            raise ValueError(f"校验位只能计算数字和大写字母，出现了“{ch}”。") from exc
        p = (p + value) % 36
        if p == 0:
            p = 36
        p = (p * 2) % 37
    p = 37 - p
    if p == 36:
        p = 0
    return _ALPHABET[p]


def is_credit_code(value: str) -> bool:
    return (
        len(value) == 18
        and all(c in "0123456789ABCDEFGHJKLMNPQRTUWXY" for c in value)
        and uscc_check_char(value[:17]) == value[17]
    )


def type_code_errors(value: str) -> list[str]:
    """Why a 证照类型代码 (defining authority's credit code + 3-digit type sequence) is malformed."""
    if not _TYPE_CODE.fullmatch(value or ""):
        return ["证照类型代码应为21位：证照定义机构的18位统一社会信用代码加3位类型顺序号。"]
    if not is_credit_code(value[:18]):
        return ["证照类型代码前18位不是有效的统一社会信用代码。"]
    return []


def licence_identifier(*, type_code: str, issuer_code: str, serial: str, version: str = VERSION) -> str:
    """`1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>` with the check over the four parts."""
    if type_code_errors(type_code):
        raise ValueError(type_code_errors(type_code)[0])
    if not _SERIAL.fullmatch(serial):
        raise ValueError("证照流水号应为7至32位数字或大写字母。")
    if not re.fullmatch(r"\d{3}", version):
        raise ValueError("版本号应为3位数字。")
    body = f"{type_code}{issuer_code}{serial}{version}"
    return f"{ROOT_OID}.{type_code}.{issuer_code}.{serial}.{version}.{mod37_36_check_char(body)}"


def identifier_errors(identifier: str) -> list[str]:
    """Empty when `identifier` is well formed and its check character is right."""
    match = _IDENTIFIER.fullmatch(identifier or "")
    if match is None:
        return ["电子证照标识格式不正确。"]
    body = "".join(match.group(name) for name in ("type", "issuer", "serial", "version"))
    expected = mod37_36_check_char(body)
    if expected != match.group("check"):
        return [f"电子证照标识校验位应为“{expected}”，实为“{match.group('check')}”。"]
    return []


def certificate_number(*, region_code: str, year: int, committee_code: str, sequence: int) -> str:
    """`<region 6><year 4><committee 3><sequence 6>`, all digits (docs/certificates.md)."""
    if not re.fullmatch(r"\d{6}", region_code):
        raise ValueError("行政区划代码应为6位数字。")
    if not re.fullmatch(r"\d{3}", committee_code):
        raise ValueError("评委会代码应为3位数字。")
    if not 1 <= sequence <= 999_999:
        raise ValueError("证书顺序号超出范围（1—999999）。")
    return f"{region_code}{year:04d}{committee_code}{sequence:06d}"
