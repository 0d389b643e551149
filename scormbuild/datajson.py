"""Dataclasses to JSON and back, checking every value against the field's type on the way in.

Used for cache files: what comes back is either exactly the shape the code declares or a
ValueError, never an object of some other kind (cache files are data, they never run code).
Supported field types: str, int, float, bool, Path, Literal[...], X | None, list[X],
dict[str, X], plain ``dict`` and ``list`` (any JSON object or list) and nested dataclasses.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

Decode = Callable[[Any], Any]


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {_key(k): to_json(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError("JSON object keys must be text")
    return key


def _fail(expected: str, value: Any) -> ValueError:
    return ValueError(f"expected {expected}, got {type(value).__name__}")


class Decoder:
    """Builds one checking decode function per type, then reuses it (decoding is hot)."""

    def __init__(self) -> None:
        self._plans: dict[Any, Decode] = {}

    def decode(self, tp: Any, value: Any) -> Any:
        return self.plan(tp)(value)

    def plan(self, tp: Any) -> Decode:
        key = tp
        if key not in self._plans:
            self._plans[key] = lambda v: self._plans[key](v)  # placeholder for recursion
            self._plans[key] = self._make(tp)
        return self._plans[key]

    def _make(self, tp: Any) -> Decode:  # noqa: C901 - one branch per supported type
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if dataclasses.is_dataclass(tp):
            return self._dataclass(tp)
        if tp is Any:
            return lambda v: v
        if tp is bool:
            return lambda v: v if isinstance(v, bool) else _raise(_fail("bool", v))
        if tp is int:
            return lambda v: v if type(v) is int else _raise(_fail("int", v))
        if tp is float:
            return lambda v: (float(v) if type(v) in (int, float) else _raise(_fail("number", v)))
        if tp is str:
            return lambda v: v if isinstance(v, str) else _raise(_fail("str", v))
        if tp is Path:
            return self._path
        if tp is dict:
            return lambda v: v if isinstance(v, dict) else _raise(_fail("object", v))
        if tp is list:
            return lambda v: v if isinstance(v, list) else _raise(_fail("list", v))
        if origin is typing.Literal:
            allowed = set(args)
            return lambda v: v if isinstance(v, str) and v in allowed else _raise(
                _fail(f"one of {sorted(allowed)}", v))
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if len(inner) != 1 or len(args) != 2:
                raise TypeError(f"unsupported union {tp}")
            item = self.plan(inner[0])
            return lambda v: None if v is None else item(v)
        if origin is list:
            item = self.plan(args[0])
            return lambda v: ([item(x) for x in v] if isinstance(v, list)
                              else _raise(_fail("list", v)))
        if origin is dict and args and args[0] is str:
            item = self.plan(args[1])
            return lambda v: ({_key_in(k): item(x) for k, x in v.items()}
                              if isinstance(v, dict) else _raise(_fail("object", v)))
        raise TypeError(f"unsupported type {tp}")

    @staticmethod
    def _path(value: Any) -> Path:
        if not isinstance(value, str):
            raise _fail("path", value)
        return _path_of(value)

    def _dataclass(self, cls: type) -> Decode:
        hints = typing.get_type_hints(cls)
        fields = [(f.name, self.plan(hints[f.name])) for f in dataclasses.fields(cls) if f.init]
        names = {name for name, _ in fields}

        def decode(value: Any) -> Any:
            if not isinstance(value, dict) or value.keys() != names:
                raise _fail(f"{cls.__name__} fields", value)
            return cls(**{name: plan(value[name]) for name, plan in fields})

        return decode


def _key_in(key: Any) -> str:
    if not isinstance(key, str):
        raise _fail("text key", key)
    return key


def _raise(error: Exception) -> Any:
    raise error


# Every Mark carries a Path and a course has a few dozen files: making each Path once is most
# of the cost of decoding a large course. Paths are immutable, so sharing them is safe.
_path_of = functools.lru_cache(maxsize=4096)(Path)
_DECODER = Decoder()  # holds only the per-type plans, which never change: built once


def decode(tp: Any, value: Any) -> Any:
    """``value`` (parsed JSON) as ``tp``; ValueError when it does not have that shape."""
    return _DECODER.decode(tp, value)
