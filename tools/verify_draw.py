#!/usr/bin/env python3
"""Check a downloaded expert-draw record (评审会议专家抽取记录) with nothing but Python's standard library.

    python3 tools/verify_draw.py draw-record-<meeting>.json

The record is the JSON the bureau and the committee office download from the meeting's page once the
meeting has started. This script does not use the portal's code or database: it re-implements the
algorithm "sha256-commit-v2" (docs/committees.md, "Meetings and the draw") and checks, in order,

1. the revealed secret s hashes (SHA-256) to the commitment published at filing;
2. the frozen pool and exclusions hash (SHA-256 over their canonical JSON) to the digest of the filing;
3. the panel and the reserves recomputed from the frozen data, s and the draw's random value r equal
   those in the record, and so does the list of exclusions.

Exit status 0 and "一致" when all hold; 1 and the first difference otherwise (also for a record that
cannot be read). The portal's Ed25519 signatures in the record are checked by ``manage.py replay_draw``.
"""

from __future__ import annotations

import hashlib
import json
import sys

VERSION = "sha256-commit-v2"


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def excluded(entry: dict, filters: dict, frozen_exclusions: dict) -> dict | None:
    if entry["specialty"] not in filters["specialties"]:
        return {"expert": entry["expert"], "kind": "specialty"}
    on = filters["on"]
    if entry["active_from"] > on or (entry["active_until"] and entry["active_until"] < on):
        return {"expert": entry["expert"], "kind": "inactive"}
    if entry["title_level"] < filters["min_title_level"]:
        return {"expert": entry["expert"], "kind": "title_level"}
    return frozen_exclusions.get(entry["expert"])


def recompute(frozen: dict, seed: bytes) -> tuple[list, list, list]:
    """(exclusions, panel, reserves) of the frozen filing under this seed."""
    by_expert: dict[str, dict] = {}
    for item in frozen["exclusions"]:
        by_expert.setdefault(item["expert"], item)
    exclusions, eligible = [], []
    for entry in frozen["pool"]:
        reason = excluded(entry, frozen["filters"], by_expert)
        if reason is None:
            eligible.append(entry["expert"])
        else:
            exclusions.append(reason)

    def rank(name: str) -> tuple[str, str]:
        return hashlib.sha256(seed + f"{VERSION}:{name}".encode()).hexdigest(), name

    order = sorted(eligible, key=rank)
    size = frozen["panel_size"]
    return exclusions, order[:size], order[size : size + frozen["reserve_count"]]


def first_difference(label: str, expected: list, actual: list) -> str | None:
    for i in range(max(len(expected), len(actual))):
        want = expected[i] if i < len(expected) else None
        got = actual[i] if i < len(actual) else None
        if want != got:
            return f"{label}第{i + 1}位：重算为{want or '（无）'}，记录为{got or '（无）'}"
    return None


def check(record: dict) -> str | None:
    """The first difference between the record and its recomputation, or None."""
    frozen = record["frozen"]
    if record.get("algorithm_version") != VERSION or frozen.get("version") != VERSION:
        return f"不支持的抽取算法版本：{record.get('algorithm_version')}"
    secret = bytes.fromhex(record["secret"])
    draw_random = bytes.fromhex(record["draw_random"])
    if len(secret) != 32 or len(draw_random) != 32:
        return "抽取密钥或随机值的长度不是32字节"
    commitment = hashlib.sha256(secret).hexdigest()
    if commitment != record["commitment"] or commitment != frozen["commitment"]:
        return "抽取密钥与备案时公布的承诺值不符"
    digest = hashlib.sha256(canonical(frozen)).hexdigest()
    if digest != record["frozen_digest"]:
        return f"冻结专家库及排除名单的摘要为{digest}，与备案摘要{record['frozen_digest']}不符"
    seed = hashlib.sha256(secret + draw_random + bytes.fromhex(digest)).digest()
    exclusions, panel, reserves = recompute(frozen, seed)
    for label, expected, actual in (
        ("执行委员", panel, record["panel"]),
        ("备选专家", reserves, record["reserves"]),
    ):
        difference = first_difference(label, expected, actual)
        if difference:
            return difference
    if exclusions != record["exclusions"]:
        return "排除名单与按冻结专家库重算的结果不符"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python3 tools/verify_draw.py <抽取记录.json>", file=sys.stderr)
        return 1
    try:
        with open(argv[1], encoding="utf-8") as handle:
            record = json.load(handle)
        problem = check(record)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"抽取记录无法读取或格式不符：{exc!r}"
    if problem:
        print(f"不一致：{problem}")
        return 1
    print(f"一致：执行委员{len(record['panel'])}人、备选专家{len(record['reserves'])}人可由记录重算。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
