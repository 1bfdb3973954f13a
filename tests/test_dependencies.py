"""How the code hangs together: which app may import which, no import cycle, modules small enough to
read, and one naming scheme for the API's routes."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1]
# design.md: dependencies run one way; an app may import those to its left, never to its right.
ORDER = ["portal", "rules", "applications", "committees", "certificates", "demo"]
RANK = {app: i for i, app in enumerate(ORDER)}
# The project's URL configuration wires every app's URLs; wiring is not a dependency of the registry.
WIRING = {"portal/urls.py"}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources():
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" not in path.parts:
                yield path


MODULES = {_module_name(path): path for path in _sources()}


def _imports(path: Path):
    """(line, module) for every import of a project module, at the top or inside a function; `from
    package import name` counts as importing package.name when that is a module."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in RANK:
                yield node.lineno, target


def test_apps_import_only_the_apps_to_their_left():
    found = []
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        if rel in WIRING:
            continue
        own = RANK[rel.split("/")[0]]
        for line, target in _imports(path):
            if RANK[target.split(".")[0]] > own:
                found.append(f"{rel}:{line} imports {target}")
    assert not found, "an app imports one to its right:\n" + "\n".join(found)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for _, target in _imports(path):
            # `import a.b.c` runs a.b.c; the nearest module of the project is the edge.
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_counting_imports_inside_functions():
    # A package's __init__ importing its own modules, which import their siblings through the package,
    # is the package's structure, not a cycle between concerns: edges into a package's own __init__
    # from its members are ignored.
    graph = {
        name: {t for t in targets if not (name.startswith(t + ".") and MODULES[t].name == "__init__.py")}
        for name, targets in _graph().items()
    }
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(", ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_over_400_lines():
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in _sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "split these along their sections:\n" + "\n".join(long)


def _routes(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.name


def test_api_routes_are_named_api_thing_without_a_namespace():
    wrong = [
        f"/{route} {namespace + ':' if namespace else ''}{name}"
        for route, namespace, name in _routes(get_resolver().url_patterns)
        if route.startswith("api/v1/") and (namespace or not (name or "").startswith("api-"))
    ]
    assert not wrong, "\n".join(wrong)


def test_no_app_installs_rules_into_another_at_start_up():
    """An AppConfig.ready that imports another project app registers behaviour into it at run time (a
    hidden dependency the direction test cannot see): the higher app calls the lower one instead."""
    found = []
    for path in _sources():
        if path.name != "apps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                for inner in ast.walk(node):
                    app = (getattr(inner, "module", None) or "").split(".")[0]
                    if isinstance(inner, ast.ImportFrom) and app in RANK and app != path.parent.name:
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.module}")
    assert not found, "start-up registrations:\n" + "\n".join(found)
