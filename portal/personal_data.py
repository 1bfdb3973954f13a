"""Identity document numbers at rest: sealed to the row that holds them, found through a keyed hash.

An ID number is never stored in clear. The row keeps
- the number sealed (AES-256-GCM, `keyring.seal`) with the row it belongs to as authenticated context,
  so a ciphertext copied into another row does not open;
- a keyed hash (HMAC-SHA256 with a key derived from the server's secret) of the normalised number, on
  which uniqueness and every lookup rely. A plain hash of an 18-digit resident number could be reversed
  by hashing the few billion valid candidates; without the server's secret the keyed hash cannot be.

What a number is sealed to (`*_binding`) is part of the stored data's format: changing one of these
strings needs a migration that reseals the rows (see applications/migrations/0019_seal_id_numbers.py).
See docs/privacy.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from portal import keyring
from portal.validators import mask_id_number, normalise_id_number

SEAL_PURPOSE = "id-number-seal/v1"
DIGEST_PURPOSE = "id-number-digest/v1"
MASK_CHAR = "*"


def id_digest(number: str) -> str:
    """The keyed hash of a number ("" for none); the same for any spacing or letter case of it."""
    number = normalise_id_number("", number)
    if not number:
        return ""
    return hmac.new(keyring.derive(DIGEST_PURPOSE), number.encode(), hashlib.sha256).hexdigest()


def id_seal(number: str, *, bound_to: str) -> bytes:
    return keyring.seal(SEAL_PURPOSE, number.encode(), bound_to=bound_to) if number else b""


def id_unseal(sealed: bytes | memoryview | None, *, bound_to: str) -> str:
    """The number sealed for `bound_to`; raises keyring.SealBroken if it was sealed for another row."""
    data = bytes(sealed or b"")
    return keyring.unseal(SEAL_PURPOSE, data, bound_to=bound_to).decode() if data else ""


def id_seal_text(number: str, *, bound_to: str) -> str:
    """The sealed number as text, for JSON documents (an application's frozen snapshot)."""
    return base64.b64encode(id_seal(number, bound_to=bound_to)).decode("ascii")


def id_unseal_text(text: str, *, bound_to: str) -> str:
    return id_unseal(base64.b64decode(text or ""), bound_to=bound_to)


def is_masked(number: str) -> bool:
    return MASK_CHAR in (number or "")


# ---------------------------------------------------------------- what each sealed number is bound to


def archive_binding(user_id: int) -> str:
    """An archive's number belongs to its account (one archive per account, fixed at creation)."""
    return f"applications.archive:{user_id}:id_number"


def snapshot_binding(application_id) -> str:
    """The number frozen in an application's snapshot (and the return bases copied from it)."""
    return f"applications.application:{application_id}:snapshot.identity.id_number"


def integrity_binding(digest: str) -> str:
    """An integrity record's number is bound to the person it names, by the keyed hash beside it (the
    row's id is not known before it is saved): moved to a record of another person, it does not open."""
    return f"rules.integrityrecord:{digest}:id_number"


__all__ = [
    "archive_binding",
    "id_digest",
    "id_seal",
    "id_seal_text",
    "id_unseal",
    "id_unseal_text",
    "integrity_binding",
    "is_masked",
    "mask_id_number",
    "snapshot_binding",
]
