"""Typed reading of one YAML mapping, collecting precise problems instead of raising.

Every reader returns a usable default after recording a problem, so one run of
``scormbuild check`` reports every problem in the source, not just the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from scormbuild.problems import Problem
from scormbuild.source.model import Mark
from scormbuild.source.yamlnodes import YMap, YSeq

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 64


def add(problems: list[Problem], mark: Mark, message: str, severity: str = "error") -> None:
    problems.append(Problem(str(mark.path), mark.line, mark.col, message, severity))  # type: ignore[arg-type]


def type_name(value: Any) -> str:
    if isinstance(value, (YMap, dict)):
        return "a mapping"
    if isinstance(value, (YSeq, list)):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    return f"'{value}'"


def id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid author id, or None when it is."""
    if not ID_PATTERN.match(value):
        return (
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens "
            "([a-z0-9-]+), e.g. 'intro-page'"
        )
    if len(value) > ID_MAX:
        return f"'{value}' is too long for an id: at most {ID_MAX} characters"
    return None


class Fields:
    """Reads the keys of one mapping (``what`` names it in messages)."""

    def __init__(
        self,
        data: Any,
        where: Mark,
        what: str,
        allowed: Iterable[str],
        problems: list[Problem],
    ):
        self.what = what
        self.problems = problems
        self.allowed = list(allowed)
        self.suggested: set[str] = set()  # keys already named in a "did you mean" hint
        if isinstance(data, YMap):
            self.data: YMap = data
            self.mark = data.mark
        else:
            if data is not None:
                add(problems, where,
                    f"{what} must be a mapping of keys to values, not {type_name(data)}")
            else:
                add(problems, where, f"{what} is empty: expected keys {', '.join(self.allowed)}")
            self.data = YMap()
            self.data.mark = where
            self.data.key_marks = {}
            self.data.value_marks = {}
            self.mark = where
        for key in self.data:
            if key not in self.allowed:
                close = difflib.get_close_matches(key, self.allowed, n=1, cutoff=0.6)
                self.suggested.update(close)
                hint = (
                    f"; did you mean '{close[0]}'?"
                    if close
                    else f"; expected one of: {', '.join(self.allowed)}"
                )
                add(problems, self.data.key_marks[key], f"unknown key '{key}' in {what}{hint}")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def at(self, key: str) -> Mark:
        """Where the value of ``key`` is (or the mapping, when the key is missing)."""
        return self.data.value_marks.get(key, self.mark)

    def _missing(self, key: str, expected: str) -> None:
        if key in self.suggested:  # the misspelt key's message already says it
            return
        add(self.problems, self.mark, f"{self.what} is missing '{key}' ({expected})")

    def text(self, key: str, required: bool = True, default: str = "",
             numbers_ok: bool = False) -> str:
        if not self.has(key):
            if required:
                self._missing(key, "text")
            return default
        value = self.data[key]
        if isinstance(value, str):
            if required and not value.strip():
                add(self.problems, self.at(key), f"'{key}' in {self.what} must not be empty")
            return value.strip()
        if numbers_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        add(self.problems, self.at(key),
            f"'{key}' in {self.what} must be text, not {type_name(value)}")
        return default

    def ident(self, key: str = "id", required: bool = True) -> str:
        value = self.text(key, required=required)
        if value:
            why = id_problem(value)
            if why:
                add(self.problems, self.at(key), why)
        return value

    def integer(self, key: str, low: int, high: int, default: int) -> int:
        if not self.has(key):
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be a whole number from {low} to {high}, "
                f"not {type_name(value)}")
            return default
        if not low <= value <= high:
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be from {low} to {high}, not {value}")
            return default
        return value

    def number(self, key: str, low: float, high: float, default: float,
               required: bool = False) -> float:
        if not self.has(key):
            if required:
                self._missing(key, f"a number from {low:g} to {high:g}")
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be a number, not {type_name(value)}")
            return default
        if not low <= value <= high:
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be from {low:g} to {high:g}, not {value:g}")
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be true or false, not {type_name(value)}")
            return default
        return value

    def one_of(self, key: str, options: Iterable[str], default: str) -> str:
        options = list(options)
        if not self.has(key):
            return default
        value = self.data[key]
        if value not in options:
            close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be one of {', '.join(options)}, "
                f"not {type_name(value)}{hint}")
            return default
        return str(value)

    def seq(self, key: str, required: bool = False, what: str = "a list") -> YSeq:
        empty = YSeq()
        empty.mark = self.at(key)
        empty.item_marks = []
        if not self.has(key):
            if required:
                self._missing(key, what)
            return empty
        value = self.data[key]
        if not isinstance(value, YSeq):
            add(self.problems, self.at(key),
                f"'{key}' in {self.what} must be {what}, not {type_name(value)}")
            return empty
        return value

    def text_list(self, key: str, required: bool = False) -> list[str]:
        items = self.seq(key, required=required, what="a list of text")
        out: list[str] = []
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                add(self.problems, items.item_marks[i],
                    f"items of '{key}' in {self.what} must be text, not {type_name(item)}")
        return out

    def mapping(self, key: str) -> Any:
        return self.data.get(key)
