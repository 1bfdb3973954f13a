"""A ballot box's running tally, sealed (seed 004 一(四): 无记名投票).

No row stores a single ballot. Each `BallotBox` keeps its three counters sealed with a key derived from
the portal's secret (`portal.keyring`), bound to the box, its meeting and its application; a vote unseals
them, adds one to the chosen counter and seals them again with a fresh nonce. The plaintext has a fixed
length, so every sealed tally has the same length: a reader of the database sees that the value changed,
not which counter rose, cannot open it without the secret, and cannot move it to another box. At the
close the counters are read once, stored as the result, and the sealed value is wiped.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from portal import keyring

PURPOSE = "ballot-tally/v1"
# Three unsigned 32-bit counters, big-endian: agree, disagree, abstain. Never a variable-length encoding.
_FORMAT = ">III"


class TallyBroken(Exception):
    """The sealed tally is missing, altered, moved from another box or sealed under another secret."""


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    abstain: int = 0

    @property
    def ballots(self) -> int:
        return self.agree + self.disagree + self.abstain

    def add(self, choice: str) -> Tally:
        counts = {"agree": self.agree, "disagree": self.disagree, "abstain": self.abstain}
        if choice not in counts:
            raise ValueError(choice)
        counts[choice] += 1
        return Tally(**counts)


def binding(*, box_id: int, meeting_id: int, application_id) -> str:
    """The record a sealed tally belongs to: copied to any other box, it no longer opens."""
    return f"box:{box_id}:{meeting_id}:{application_id}"


def _bound(box) -> str:
    return binding(box_id=box.pk, meeting_id=box.meeting_id, application_id=box.application_id)


def seal(box, tally: Tally) -> bytes:
    return keyring.seal(
        PURPOSE, struct.pack(_FORMAT, tally.agree, tally.disagree, tally.abstain), bound_to=_bound(box)
    )


def unseal(box) -> Tally:
    if not box.sealed_tally:
        raise TallyBroken(box.pk)
    try:
        plain = keyring.unseal(PURPOSE, bytes(box.sealed_tally), bound_to=_bound(box))
    except keyring.SealBroken as exc:
        raise TallyBroken(box.pk) from exc
    if len(plain) != struct.calcsize(_FORMAT):
        raise TallyBroken(box.pk)
    return Tally(*struct.unpack(_FORMAT, plain))
