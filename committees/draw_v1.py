"""The first draw algorithm, kept only to replay the draws made with it (records whose
algorithm_version is "hmac-sha256-v1"); new draws use committees.draw ("sha256-commit-v2").

Its weakness, and why it was replaced: the seed was generated at filing and stored in plain text on the
meeting, and an expert's rank did not depend on the pool, so whoever read the seed knew the panel
before the draw and could steer it with exclusions recorded only at draw time. The seed of each such
record was moved into the record itself (DrawRecord.secret) when the meeting's column was dropped.

Input: the frozen pool (expert snapshots in pool order), the filters, the exclusions that come from
outside the snapshot (unavailability, missing account, conflicts of interest), the seed and the
algorithm version. Output: every exclusion with its reason, the drawn order, panel and reserves.

Algorithm "hmac-sha256-v1":
1. apply the filters to each snapshot, in pool order; the first failing filter is its exclusion reason;
2. drop the experts excluded from outside the snapshot;
3. sort the remaining ids ascending, then order them by HMAC-SHA256(key=seed, msg=f"{version}:{id}")
   (hex digest; ties, which do not occur in practice, by id);
4. the first `panel_size` form the panel (执行委员会), the next `reserve_count` the reserves in order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from .draw import replacement_differences

ALGORITHM_VERSION = "hmac-sha256-v1"

# Exclusion kinds computed from the snapshot (replayable) and those recorded from the database.
SNAPSHOT_KINDS = ("specialty", "inactive", "title_level")
RECORDED_KINDS = ("unavailable", "no_account", "conflict")


@dataclass(frozen=True)
class Outcome:
    exclusions: list[dict]
    order: list[int]
    panel: list[int]
    reserves: list[int]


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def snapshot_exclusion(snapshot: dict, filters: dict) -> dict | None:
    """The first filter this expert's snapshot fails, as an exclusion, or None."""
    if snapshot["specialty_id"] not in filters["specialties"]:
        return {
            "id": snapshot["id"],
            "kind": "specialty",
            "reason": f"专业（{snapshot['specialty']}）不在本次评审专业内",
        }
    on = filters["on"]
    if snapshot["active_from"] > on or (snapshot["active_until"] and snapshot["active_until"] < on):
        return {"id": snapshot["id"], "kind": "inactive", "reason": "会议日期不在专家入库有效期内"}
    if snapshot["title_level"] < filters["min_title_level"]:
        return {"id": snapshot["id"], "kind": "title_level", "reason": "专家职称层级低于评审层级"}
    return None


def _score(seed: str, version: str, expert_id: int) -> str:
    return hmac.new(seed.encode(), f"{version}:{expert_id}".encode(), hashlib.sha256).hexdigest()


def compute(
    *,
    pool: list[dict],
    filters: dict,
    recorded: list[dict],
    seed: str,
    version: str,
    panel_size: int,
    reserve_count: int,
) -> Outcome:
    if version != ALGORITHM_VERSION:
        raise ValueError(f"未知的抽取算法版本：{version}")
    recorded_by_id = {}
    for item in recorded:
        recorded_by_id.setdefault(item["id"], item)
    exclusions, eligible = [], []
    for snapshot in pool:
        excluded = snapshot_exclusion(snapshot, filters) or recorded_by_id.get(snapshot["id"])
        if excluded is not None:
            exclusions.append(excluded)
        else:
            eligible.append(snapshot["id"])
    order = sorted(sorted(eligible), key=lambda pk: (_score(seed, version, pk), pk))
    return Outcome(
        exclusions=exclusions,
        order=order,
        panel=order[:panel_size],
        reserves=order[panel_size : panel_size + reserve_count],
    )


def record_digest(
    *,
    version: str,
    committed_hash: str,
    filters: dict,
    pool: list[dict],
    exclusions: list[dict],
    panel: list[int],
    reserves: list[int],
) -> str:
    """SHA-256 over the canonical JSON of the whole record: any later edit of it shows."""
    payload = {
        "version": version,
        "seed_hash": committed_hash,
        "filters": filters,
        "pool": pool,
        "exclusions": exclusions,
        "panel": panel,
        "reserves": reserves,
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Replay:
    matches: bool
    differences: list[str]


def replay(record, *, seed: str, entries: list) -> Replay:
    """Recompute a stored v1 DrawRecord; `entries` are its DrawEntry rows. The first difference first."""
    differences: list[str] = []
    if seed_hash(seed) != record.seed_hash:
        differences.append("公开的随机种子与备案时公布的SHA-256不符")
    recorded = [e for e in record.exclusions if e.get("kind") in RECORDED_KINDS]
    try:
        outcome = compute(
            pool=record.pool,
            filters=record.filters,
            recorded=recorded,
            seed=seed,
            version=record.algorithm_version,
            panel_size=record.meeting.panel_size,
            reserve_count=record.meeting.reserve_count,
        )
    except (KeyError, TypeError, ValueError) as exc:
        return Replay(False, [*differences, f"抽取记录无法重算：{exc}"])
    stored = sorted(entries, key=lambda e: e.position)
    stored_panel = [e.expert_id for e in stored if e.drawn_as == "panel"]
    stored_reserves = [e.expert_id for e in stored if e.drawn_as == "reserve"]
    for label, expected, actual in (
        ("执行委员", outcome.panel, stored_panel),
        ("备选专家", outcome.reserves, stored_reserves),
    ):
        for i in range(max(len(expected), len(actual))):
            want = expected[i] if i < len(expected) else None
            got = actual[i] if i < len(actual) else None
            if want != got:
                differences.append(f"{label}第{i + 1}位：重算为专家#{want}，记录为专家#{got}")
                break
    if outcome.exclusions != record.exclusions:
        differences.append("排除名单与按冻结专家库重算的结果不符")
    digest = record_digest(
        version=record.algorithm_version,
        committed_hash=record.seed_hash,
        filters=record.filters,
        pool=record.pool,
        exclusions=record.exclusions,
        panel=stored_panel,
        reserves=stored_reserves,
    )
    if digest != record.record_digest:
        differences.append("抽取记录的摘要与抽取时记录的摘要不符（记录已被改动）")
    differences.extend(replacement_differences(stored))
    return Replay(not differences, differences)
