"""The demo's JSON tables (demo/data/*.json, described in demo/data/README.md) and its shared constants."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DATA_DIR = Path(__file__).resolve().parent / "data"

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_PASSWORD = "demo12345"
PORTAL_URL = "http://127.0.0.1:8000"
# Seed 004 (衢市人社专〔2021〕61号) is read as this year's plan.
PLAN_YEAR = 2026
QUZHOU_AREA_CODE = "0570"


@functools.cache
def table(name: str) -> Any:
    """The content of demo/data/<name>.json, read once per process; callers must not change it."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
