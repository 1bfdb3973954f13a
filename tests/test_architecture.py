"""Rules about the code itself, checked on its syntax tree."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["portal", "rules", "applications", "committees", "certificates", "demo"]


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


# ---------------------------------------------------------------- state changes

STATE_FIELDS = {"state", "status", "outcome"}
# The one writer of each kind of record: the application's transition and the records' Machine.take.
WRITERS = {
    ("applications/workflow.py", "transition"),
    ("portal/workflow.py", "take"),
    ("portal/workflow.py", "take_set"),  # a system move of the same table for a set of locked rows
    # A system move of applications/workflow.MOVES for a set of locked applications (a certificate
    # batch), each with its history row.
    ("applications/workflow_sets.py", "take_system_move"),
    # The publicity sweep in sets: the same moves of the same tables (applications/workflow.MOVES and
    # publicity_workflow.ENTRY) for a batch of rows, each with its history row.
    ("applications/publicity_sweep.py", "settle_batch"),
}
# Objects that are not records: a verification's verdict and a public lookup's outcome are values
# computed for one answer, never stored.
NOT_RECORDS = {
    ("certificates/signing/verification.py", "verify_token"),  # signing.Verdict
    ("certificates/signing/verification.py", "fail"),
    ("certificates/selectors.py", "certificate_lookup"),  # selectors.Lookup
    ("certificates/selectors.py", "_check_record"),
    # The volume generator builds new rows for COPY, each with the full history of the moves it took
    # (hash chain and seal computed from the same moves); no stored record changes state there.
    ("demo/volume_apps.py", "add"),
}


def _functions(tree: ast.AST):
    """Every node with the name of the function (or method) that encloses it."""
    stack = [(tree, "")]
    while stack:
        node, owner = stack.pop()
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else owner
            yield child, name
            stack.append((child, name))


def _assigns_state(node: ast.AST) -> str | None:
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    for target in targets:
        for t in ast.walk(target):
            if isinstance(t, ast.Attribute) and t.attr in STATE_FIELDS and isinstance(t.ctx, ast.Store):
                return f".{t.attr} = …"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "update" and any(k.arg in STATE_FIELDS for k in node.keywords):
            return ".update(state/status/outcome=…)"
        if node.func.attr in ("update_or_create", "get_or_create"):
            for k in node.keywords:
                if k.arg == "defaults" and isinstance(k.value, ast.Dict):
                    keys = {getattr(key, "value", None) for key in k.value.keys}
                    if keys & STATE_FIELDS:
                        return f".{node.func.attr}(defaults={{state…}})"
    is_setattr = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
    if is_setattr and len(node.args) >= 2 and getattr(node.args[1], "value", None) in STATE_FIELDS:
        return f"setattr(…, {node.args[1].value!r}, …)"
    return None


def test_only_the_transition_functions_change_a_state():
    """A record's state changes only through its table of moves, so the history is complete."""
    found = []
    for path, tree in _modules():
        rel = str(path.relative_to(ROOT))
        for node, function in _functions(tree):
            what = _assigns_state(node)
            if what and (rel, function) not in WRITERS | NOT_RECORDS:
                found.append(f"{rel}:{node.lineno} in {function or 'module'}: {what}")
    assert not found, "state written outside its transition function:\n" + "\n".join(found)
