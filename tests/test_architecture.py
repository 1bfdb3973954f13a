"""Rules about the code itself, checked on its syntax tree."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["portal", "rules", "applications", "committees", "certificates"]


def _modules(*, with_migrations: bool = False):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not with_migrations and "migrations" in path.parts:
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


# ---------------------------------------------------------------- the clock

_CLOCK_BYPASSES = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
}


def test_the_clock_is_read_only_through_portal_clock():
    """Tests and the demo move time by moving portal.clock; a direct read would not move with it."""
    found = []
    for path, tree in _modules():
        if path == ROOT / "portal" / "clock.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
                owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
                if (owner, node.attr) in _CLOCK_BYPASSES:
                    # timezone.localdate(value) / localtime(value) convert a given time: allowed.
                    parent_calls = [
                        c
                        for c in ast.walk(tree)
                        if isinstance(c, ast.Call) and c.func is node and (c.args or c.keywords)
                    ]
                    if owner == "timezone" and node.attr in ("localdate", "localtime") and parent_calls:
                        continue
                    found.append(f"{_where(path, node)} {owner}.{node.attr}")
            if isinstance(node, ast.keyword) and node.arg in ("auto_now", "auto_now_add"):
                call = next(c for c in ast.walk(tree) if isinstance(c, ast.Call) and node in c.keywords)
                name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id
                if name != "ClockDateTimeField":
                    found.append(f"{_where(path, node)} {name}({node.arg}=…)")
    assert not found, "read the time through portal.clock:\n" + "\n".join(found)
