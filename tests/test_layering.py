"""The package map of docs/internals.md, enforced: every module imports, no import runs back up
the pipeline, and nothing imports in a loop.

Imports are read with ``ast`` (including those inside functions, which only defer loading), so
a lazy import cannot hide a layering slip.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "scormbuild"

# What a part may not import (by its first name under scormbuild). Upstream knows no target;
# a standard knows neither the pipeline driver, the preview, the validate driver nor the CLI.
STANDARDS = ("scorm12", "scorm2004", "xapi", "cmi5")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "source": ("render", "target", "imscp", *STANDARDS, "build", "validate", "serve", "commands"),
    "render": ("target", "imscp", *STANDARDS, "build", "validate", "serve", "commands"),
    "target": ("imscp", *STANDARDS, "build", "validate", "serve", "commands"),
    # What SCORM 1.2 and 2004 share: below both, above target and pkgcheck.
    "imscp": (*STANDARDS, "build", "validate", "serve", "commands"),
    "scorm12": ("scorm2004", "xapi", "cmi5", "build", "validate", "serve", "commands"),
    "scorm2004": ("scorm12", "xapi", "cmi5", "build", "validate", "serve", "commands"),
    "xapi": ("scorm12", "scorm2004", "cmi5", "imscp", "build", "validate", "serve", "commands"),
    # cmi5 is an xAPI profile: it builds on xapi/ (IRIs, vocabulary), never the reverse.
    "cmi5": ("scorm12", "scorm2004", "imscp", "build", "validate", "serve", "commands"),
    "pkgcheck": ("imscp", *STANDARDS, "target", "build", "validate", "serve", "commands"),
    "zipsafety": ("imscp", *STANDARDS, "target", "build", "validate", "serve", "commands"),
    "build": ("validate", "serve", "commands"),
    "validate": ("build", "serve", "commands"),
    "serve": ("commands",),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The scormbuild modules ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in MODULES else base)
    return {m for m in out if m == "scormbuild" or m.startswith("scormbuild.")}


GRAPH = {name: _imports(name, path) - {name} for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"scormbuild.__main__"}))  # runs the CLI
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_no_import_runs_back_up() -> None:
    wrong = sorted(f"{name} imports {target}"
                   for name, targets in GRAPH.items()
                   for target in targets
                   if _part(target) in FORBIDDEN.get(_part(name), ()))
    assert wrong == []


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` as a path, or [] (depth-first search, colouring nodes)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_module_imports_in_a_loop() -> None:
    assert _cycle(GRAPH) == []


def test_no_part_imports_in_a_loop() -> None:
    """Parts (source, render, scorm12, xapi, commands, ...) form a hierarchy too."""
    parts: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        parts.setdefault(_part(name), set()).update(
            _part(t) for t in targets if _part(t) != _part(name))
    assert _cycle(parts) == []


def test_the_checker_sees_a_loop_and_a_slip() -> None:
    """The two checks above would fail on the map as it was (targets <-> xapi)."""
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _part("scormbuild.xapi.cli") in FORBIDDEN["source"]
