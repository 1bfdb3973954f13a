"""The expert draw as a pure, replayable function (D: Draw seed; seed 004 一(四) 随机抽取专家).

Algorithm "sha256-commit-v2". When the bureau files the meeting, the pool and every exclusion known
then are frozen into one JSON document (the "frozen filing"):

    {"version", "meeting", "held_on", "panel_size", "reserve_count", "commitment",
     "filters": {"specialties": [codes], "on": date, "min_title_level": n},
     "pool": [{"expert": pseudonym, "specialty": code, "title_level": n,
               "active_from": date, "active_until": date | null}, ...],   (ascending pseudonym)
     "exclusions": [{"expert": pseudonym, "kind": "unavailable" | "no_account" | "conflict",
                     "conflict_kind": kind (conflicts only)}, ...]}

Its digest is SHA-256 over the canonical JSON (keys sorted, no spaces, UTF-8). `commitment` is
SHA-256 of a 32-byte secret s generated at filing and kept sealed; at the draw 32 fresh random bytes r
are generated, and

1. seed = SHA-256(s ‖ r ‖ digest bytes);
2. each pool entry, in pool order, is excluded by the first snapshot filter it fails (specialty,
   inactive, title_level) or else by its frozen exclusion;
3. the eligible pseudonyms are ordered by SHA-256(seed ‖ version ‖ ":" ‖ pseudonym) (hex; ties by
   pseudonym);
4. the first `panel_size` form the panel (执行委员会), the next `reserve_count` the reserves in order.

Nobody can foresee the panel before the draw (r does not exist yet, s is sealed), nor steer it after
the filing (the frozen document is what is drawn from, and its digest is in the filing and in every
application's history). tools/verify_draw.py re-implements this module with the standard library only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

ALGORITHM_VERSION = "sha256-commit-v2"

# Exclusion kinds computed from the snapshot (at every replay) and those frozen at filing.
SNAPSHOT_KINDS = ("specialty", "inactive", "title_level")
FROZEN_KINDS = ("unavailable", "no_account", "conflict")


@dataclass(frozen=True)
class Outcome:
    exclusions: list[dict]
    order: list[str]
    panel: list[str]
    reserves: list[str]


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(frozen: dict) -> str:
    """The digest of a frozen filing, as committed at filing time."""
    return hashlib.sha256(canonical(frozen)).hexdigest()


def commitment(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()


def draw_seed(secret: bytes, draw_random: bytes, frozen_digest: str) -> bytes:
    return hashlib.sha256(secret + draw_random + bytes.fromhex(frozen_digest)).digest()


def _rank(seed: bytes, version: str, pseudonym: str) -> str:
    return hashlib.sha256(seed + f"{version}:{pseudonym}".encode()).hexdigest()


def snapshot_exclusion(entry: dict, filters: dict) -> dict | None:
    """The first filter this frozen pool entry fails, as an exclusion, or None."""
    if entry["specialty"] not in filters["specialties"]:
        return {"expert": entry["expert"], "kind": "specialty"}
    on = filters["on"]
    if entry["active_from"] > on or (entry["active_until"] and entry["active_until"] < on):
        return {"expert": entry["expert"], "kind": "inactive"}
    if entry["title_level"] < filters["min_title_level"]:
        return {"expert": entry["expert"], "kind": "title_level"}
    return None


def eligible(frozen: dict) -> tuple[list[dict], list[str]]:
    """(every exclusion in pool order, the eligible pseudonyms): known at filing, before any seed."""
    frozen_by_expert: dict[str, dict] = {}
    for item in frozen["exclusions"]:
        frozen_by_expert.setdefault(item["expert"], item)
    exclusions, names = [], []
    for entry in frozen["pool"]:
        excluded = snapshot_exclusion(entry, frozen["filters"]) or frozen_by_expert.get(entry["expert"])
        if excluded is not None:
            exclusions.append(excluded)
        else:
            names.append(entry["expert"])
    return exclusions, names


def compute(frozen: dict, *, seed: bytes) -> Outcome:
    version = frozen["version"]
    if version != ALGORITHM_VERSION:
        raise ValueError(f"未知的抽取算法版本：{version}")
    exclusions, names = eligible(frozen)
    order = sorted(names, key=lambda p: (_rank(seed, version, p), p))
    size, reserves = frozen["panel_size"], frozen["reserve_count"]
    return Outcome(
        exclusions=exclusions,
        order=order,
        panel=order[:size],
        reserves=order[size : size + reserves],
    )


def signed_body(*, frozen_digest: str, secret: str, draw_random: str, panel: list, reserves: list) -> bytes:
    """What the portal signs when it draws: a rewrite of r together with the entries shows."""
    return canonical(
        {
            "version": ALGORITHM_VERSION,
            "frozen_digest": frozen_digest,
            "secret": secret,
            "draw_random": draw_random,
            "panel": panel,
            "reserves": reserves,
        }
    )


def first_difference(label: str, expected: list, actual: list) -> str | None:
    for i in range(max(len(expected), len(actual))):
        want = expected[i] if i < len(expected) else None
        got = actual[i] if i < len(actual) else None
        if want != got:
            return f"{label}第{i + 1}位：重算为{want or '（无）'}，记录为{got or '（无）'}"
    return None


def replacement_differences(entries: list) -> list[str]:
    """Declined panel members are replaced by the next waiting reserve in drawn order."""
    waiting = [e for e in entries if e.drawn_as == "reserve"]
    problems = []
    declines = sorted(
        (e for e in entries if e.declined_at is not None), key=lambda e: (e.declined_at, e.position)
    )
    for entry in declines:
        was_on_panel = entry.drawn_as == "panel" or (
            entry.promoted_at is not None and entry.promoted_at <= entry.declined_at
        )
        if entry in waiting:
            waiting.remove(entry)
        if not was_on_panel:
            continue
        expected = waiting.pop(0) if waiting else None
        actual = next((e for e in entries if e.replaces_id == entry.pk), None)
        if (expected.pk if expected else None) != (actual.pk if actual else None):
            problems.append(f"第{entry.position}位专家不能参会后，递补的不是顺序在先的备选专家")
            break
    return problems
