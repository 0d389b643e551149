"""YAML parsing that remembers where every key and value came from.

PyYAML's composer keeps line/column marks on nodes but the constructed Python
values lose them; authors need ``file:line:col`` in every message, so we build
plain dicts and lists that carry their marks alongside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

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


# Limits that keep a hostile or mistaken file from exhausting time and memory: course YAML
# is at most about six levels deep, and aliases are a convenience, not a compression scheme
# (a "billion laughs" file expands to 9^9 values).
MAX_DEPTH = 32
DEEPER_THAN = f"values are nested more than {MAX_DEPTH} levels deep"
MAX_ALIAS_VALUES = 10_000
# Control characters cannot be carried by XML (imsmanifest.xml, tincan.xml) and are never
# meant in course text; tab and newline are fine.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_STR = "tag:yaml.org,2002:str"
_KEY = object()  # a mapping frame waiting for a key
_SKIP = object()  # a mapping frame skipping the value of a refused key


class _Stop(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


@dataclass
class _Frame:
    container: YMap | YSeq
    anchor: str | None
    size: int = 1  # values the container stands for, aliases expanded
    key: Any = _KEY
    key_mark: Mark | None = None


class _Builder:
    """Plain values with marks, built straight from the parser's events.

    Building from events (not PyYAML's composed node graph) keeps the work iterative, so depth
    is checked before anything deep exists (libyaml's composer crashes the interpreter on
    100,000 nested brackets), and it sees each alias where it is written. An alias gives
    the anchored value itself (never a copy), and what aliases stand for is counted.
    """

    def __init__(self, path: Path, line_offset: int, problems: list[Problem]):
        self.path = path
        self.line_offset = line_offset
        self.problems = problems
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0

    def mark(self, m: yaml.Mark) -> Mark:
        return Mark(self.path, m.line + 1 + self.line_offset, m.column + 1)

    def problem(self, m: yaml.Mark, message: str) -> None:
        where = self.mark(m)
        self.problems.append(Problem(str(where.path), where.line, where.col, message))

    def build(self, events: Any) -> Any:
        stack: list[_Frame] = []
        root: list[Any] = []
        documents = 0
        for event in events:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(event.start_mark, DEEPER_THAN)
                container = self.container(event)
                if event.anchor:
                    self.open_anchors.add(event.anchor)
                stack.append(_Frame(container, event.anchor))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.container, frame.size)
                self.add(stack, root, frame.container, frame.size, frame.container.mark)
            elif isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                self.add(stack, root, value, 1, self.mark(event.start_mark))
            elif isinstance(event, yaml.AliasEvent):
                value, size = self.alias(event)
                self.add(stack, root, value, size, self.mark(event.start_mark))
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Stop(event.start_mark, "expected one YAML document, found a second "
                                                  "('---')")
        return root[0] if root else None

    def container(self, event: Any) -> YMap | YSeq:
        mark = self.mark(event.start_mark)
        if isinstance(event, yaml.MappingStartEvent):
            result = YMap()
            result.key_marks = {}
            result.value_marks = {}
        else:
            result = YSeq()
            result.item_marks = []
        result.mark = mark
        return result

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            value: Any = event.value
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   event.style)
            value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, str):
            found = CONTROL.search(value)
            if found:
                self.problem(event.start_mark,
                             f"text contains the control character U+{ord(found.group()):04X}, "
                             "which packages cannot carry; remove it")
        return value

    def alias(self, event: yaml.AliasEvent) -> tuple[Any, int]:
        name = event.anchor
        if name in self.open_anchors:
            raise _Stop(event.start_mark, f"alias '*{name}' refers to a value that contains it")
        if name not in self.anchors:
            raise _Stop(event.start_mark, f"alias '*{name}' names no anchor ('&{name}') above it")
        value, size = self.anchors[name]
        self.expanded += size
        if self.expanded > MAX_ALIAS_VALUES:
            raise _Stop(event.start_mark,
                        f"aliases in this file stand for more than {MAX_ALIAS_VALUES:,} values; "
                        "write the values out instead of nesting aliases")
        return value, size

    def add(self, stack: list[_Frame], root: list[Any], value: Any, size: int,
            mark: Mark) -> None:
        if not stack:
            root.append(value)
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, YSeq):
            container.append(value)
            container.item_marks.append(mark)
            return
        if frame.key is _KEY:
            frame.key = self.key(container, value, mark)
            frame.key_mark = mark
            return
        if frame.key is not _SKIP and frame.key_mark is not None:
            container[frame.key] = value
            container.key_marks[frame.key] = frame.key_mark
            container.value_marks[frame.key] = mark
        frame.key = _KEY

    def key(self, mapping: YMap, key: Any, mark: Mark) -> Any:
        if not isinstance(key, (str, int, float, bool)):
            self.problems.append(Problem(str(mark.path), mark.line, mark.col,
                                         "expected a plain key here"))
            return _SKIP
        key = str(key) if not isinstance(key, bool) else str(key).lower()
        if key in mapping or key in mapping.key_marks:
            first = mapping.key_marks[key]
            self.problems.append(Problem(
                str(mark.path), mark.line, mark.col,
                f"duplicate key '{key}' (first given at line {first.line})"))
            return _SKIP
        return key


def parse_yaml(
    text: str, path: Path, problems: list[Problem], line_offset: int = 0
) -> Any:
    """Parse one YAML document; on a syntax error record a problem and return None."""
    builder = _Builder(path, line_offset, problems)
    try:
        return builder.build(yaml.parse(text, Loader=_LOADER))
    except _Stop as stop:
        builder.problem(stop.mark, f"invalid YAML: {stop.message}")
        return None
    except yaml.MarkedYAMLError as err:
        m = err.problem_mark or err.context_mark
        line = (m.line + 1 + line_offset) if m else 1
        col = (m.column + 1) if m else 1
        what = err.problem or "not valid YAML"
        if "maximum nesting depth" in what:
            # libyaml 0.2.5 (PyYAML >= 6.0.2 wheels) stops at 1,000 levels before our own
            # limit is reached on one line: say it the way the builder does.
            what = DEEPER_THAN
        prefix = "invalid YAML value" if isinstance(err, ConstructorError) else "invalid YAML"
        problems.append(Problem(str(path), line, col, f"{prefix}: {what}"))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(str(path), 1 + line_offset, 1, f"invalid YAML: {err}"))
        return None
