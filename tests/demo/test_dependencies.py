"""The demo app sits at the end of the dependency chain: it may import every app, and no app imports it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OTHER_APPS = ["portal", "rules", "applications", "committees", "certificates"]


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module


def test_no_other_app_imports_the_demo():
    found = []
    for app in OTHER_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node, module in _imported_modules(tree):
                if module == "demo" or module.startswith("demo."):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    assert not found, "only demo/ and tests/ may import demo:\n" + "\n".join(found)
