"""The package's shape: data flows one way, corpus → index → search → answer → serve, with no
import circle, and no module grows past what one reader takes in at once."""

from __future__ import annotations

import ast
from pathlib import Path

import askback

PACKAGE = Path(askback.__file__).parent
# Each stage may import its own modules and those of the stages before it, never a later one.
STAGES = {
    "askback.config": 0,
    "askback.errors": 0,
    "askback.templates": 0,
    "askback.records": 0,
    "askback.limits": 0,
    "askback.corpus": 1,
    "askback.index": 2,
    "askback.search": 3,
    "askback.answer": 4,
    "askback.api": 5,
    "askback.newbot": 6,
    "askback.teaching": 5,
    "askback.evaluation": 6,
    "askback.gaps": 6,
    "askback.serve": 6,
    "askback.cli": 7,
    "askback.cli_report": 7,
    "askback.cli_teach": 7,
    "askback": 8,  # the package itself re-exports the public API
}
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every askback module and the askback modules it imports anywhere (in functions too)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("askback"):
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("askback")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _stage(module: str) -> int:
    """The stage of the longest prefix that names ``module`` or its package."""
    prefix = max((p for p in STAGES if module == p or module.startswith(p + ".")), key=len)
    return STAGES[prefix]


def test_no_module_imports_a_later_stage() -> None:
    late = [
        f"{module} imports {other}"
        for module, others in _imports().items()
        for other in others
        if _stage(other) > _stage(module)
    ]
    assert late == []


def test_no_import_cycle() -> None:
    graph = _imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " → ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for other in sorted(graph[module]):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_no_module_is_over_400_lines() -> None:
    long = {
        p.name: n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
