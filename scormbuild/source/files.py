"""The file-system questions a course load asks, with their answers, so they can be replayed.

The loader asks every question through ``SourceFiles``: is this a folder, a file, where does
it really point, what does it contain. The compile cache stores the answers and, before it
serves a compiled course, asks the same questions again: the course is unchanged when every
answer is. Only files the course uses are ever opened, and only regular files: a FIFO, a
device or an unreadable file elsewhere in the folder is never touched.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

STATES = ("file", "dir", "other", "missing")


class NotRegularFile(OSError):
    """A path the course uses is a FIFO, a device, a socket or similar."""


def _state(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return "missing"
    if stat.S_ISREG(mode):
        return "file"
    return "dir" if stat.S_ISDIR(mode) else "other"


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``; NotRegularFile for anything but a regular file (never blocks)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotRegularFile(0, "not a regular file", str(path))
        return handle.read()


@dataclass
class SourceFiles:
    """Answers by path: [state, real path, sha256 of the content or "" when not read]."""

    seen: dict[str, list[str]] = field(default_factory=dict)

    def _note(self, path: Path) -> list[str]:
        entry = [_state(path), os.path.realpath(path), ""]
        self.seen[str(path)] = entry
        return entry

    def is_dir(self, path: Path) -> bool:
        return self._note(path)[0] == "dir"

    def is_file(self, path: Path) -> bool:
        return self._note(path)[0] == "file"

    def exists(self, path: Path) -> bool:
        return self._note(path)[0] != "missing"

    def resolve(self, path: Path) -> Path:
        return Path(self._note(path)[1])

    def read_text(self, path: Path) -> str:
        """UTF-8 text of a regular file; raises OSError, NotRegularFile or UnicodeDecodeError."""
        data = read_regular(path)
        entry = self._note(path)
        entry[2] = hashlib.sha256(data).hexdigest()
        text = data.decode("utf-8")
        del data  # pages can be megabytes: keep one copy
        if "\r" in text:  # universal newlines, as text-mode reading gives
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text


def unchanged(seen: object) -> bool:
    """True when every recorded answer is still the same (``seen`` as stored: checked here)."""
    if not isinstance(seen, dict):
        return False
    for name, answer in seen.items():
        if not (isinstance(answer, list) and len(answer) == 3
                and all(isinstance(a, str) for a in answer)):
            return False
        path = Path(name)
        state, real, digest = answer
        if _state(path) != state or os.path.realpath(path) != real:
            return False
        if digest:
            try:
                if hashlib.sha256(read_regular(path)).hexdigest() != digest:
                    return False
            except OSError:
                return False
    return True
