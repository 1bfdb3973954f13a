"""Valid identifiers for invented demo rows: organisation codes, credit codes, resident ID numbers."""

from __future__ import annotations

import datetime as dt

from portal.validators import resident_id_check_char, uscc_check_char

_GB11714_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def organisation_code(body: str) -> str:
    """The 9-character organisation code (GB 11714): 8 characters and their check character."""
    total = sum(_GB11714_CHARS.index(c) * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(prefix: str, region: str, body: str) -> str:
    """A valid unified social credit code (GB 32100) built from its parts."""
    first17 = prefix + region + organisation_code(body)
    return first17 + uscc_check_char(first17)


def resident_id(region: str, birth: dt.date, serial: str) -> str:
    first17 = f"{region}{birth:%Y%m%d}{serial}"
    return first17 + resident_id_check_char(first17)
