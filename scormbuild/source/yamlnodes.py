"""YAML parsing that remembers where every key and value came from.

PyYAML's composer keeps line/column marks on nodes but the constructed Python
values lose them; authors need ``file:line:col`` in every message, so we build
plain dicts and lists that carry their marks alongside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from scormbuild.problems import Problem
from scormbuild.source.model import Mark

# libyaml's parser keeps the same marks and is several times faster than pure Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict):
    """A mapping with the mark of itself, of each key and of each value."""

    mark: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]


class YSeq(list):
    """A sequence with the mark of itself and of each item."""

    mark: Mark
    item_marks: list[Mark]


def mark_of(container: Any, key: Any = None, fallback: Mark | None = None) -> Mark:
    """The best mark for ``container[key]`` (or the container itself)."""
    if key is not None:
        if isinstance(container, YMap) and key in container.value_marks:
            return container.value_marks[key]
        if isinstance(container, YSeq) and isinstance(key, int) and key < len(container.item_marks):
            return container.item_marks[key]
    if isinstance(container, (YMap, YSeq)):
        return container.mark
    return fallback or Mark(Path("?"))


class _Converter:
    def __init__(self, path: Path, line_offset: int, problems: list[Problem]):
        self.path = path
        self.line_offset = line_offset
        self.problems = problems
        self.constructor = SafeConstructor()

    def mark(self, node: yaml.Node) -> Mark:
        m = node.start_mark
        return Mark(self.path, m.line + 1 + self.line_offset, m.column + 1)

    def convert(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result = YMap()
            result.mark = self.mark(node)
            result.key_marks = {}
            result.value_marks = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node)
                if not isinstance(key, (str, int, float, bool)):
                    m = self.mark(key_node)
                    self.problems.append(
                        Problem(str(m.path), m.line, m.col, "expected a plain key here")
                    )
                    continue
                key = str(key) if not isinstance(key, bool) else str(key).lower()
                if key in result:
                    m = self.mark(key_node)
                    first = result.key_marks[key]
                    self.problems.append(
                        Problem(
                            str(m.path), m.line, m.col,
                            f"duplicate key '{key}' (first given at line {first.line})",
                        )
                    )
                    continue
                result[key] = self.convert(value_node)
                result.key_marks[key] = self.mark(key_node)
                result.value_marks[key] = self.mark(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            seq = YSeq(self.convert(item) for item in node.value)
            seq.mark = self.mark(node)
            seq.item_marks = [self.mark(item) for item in node.value]
            return seq
        return self.constructor.construct_object(node, deep=True)


def parse_yaml(
    text: str, path: Path, problems: list[Problem], line_offset: int = 0
) -> Any:
    """Parse one YAML document; on a syntax error record a problem and return None."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        m = err.problem_mark or err.context_mark
        line = (m.line + 1 + line_offset) if m else 1
        col = (m.column + 1) if m else 1
        what = err.problem or "not valid YAML"
        problems.append(Problem(str(path), line, col, f"invalid YAML: {what}"))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(str(path), 1 + line_offset, 1, f"invalid YAML: {err}"))
        return None
    if node is None:
        return None
    try:
        return _Converter(path, line_offset, problems).convert(node)
    except ConstructorError as err:
        m = err.problem_mark
        line = (m.line + 1 + line_offset) if m else 1
        problems.append(Problem(str(path), line, (m.column + 1) if m else 1,
                                f"invalid YAML value: {err.problem}"))
        return None
