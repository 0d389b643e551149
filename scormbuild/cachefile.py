"""Cache files: JSON data behind a SHA-256 of itself, read without ever running anything.

A cache file is ``scormbuild-cache <sha256 of the rest>\\n`` followed by UTF-8 JSON. A file
that is missing, not a regular file, truncated, edited or not JSON reads as None (a miss):
the caller then builds afresh. Callers check the shape of what they get.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from scormbuild.package import write_atomically_with

MAGIC = b"scormbuild-cache "
_SLICE = 1 << 20  # characters encoded at a time when writing


def read_json(path: Path) -> Any | None:
    """The JSON stored in ``path`` when its hash matches, else None."""
    try:
        # O_NONBLOCK: a FIFO planted in the cache folder must not hang the build; the fstat
        # below then refuses anything but a regular file (devices, FIFOs).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            data = handle.read()
        except OSError:
            return None
    header, newline, payload = data.partition(b"\n")
    if not newline or not header.startswith(MAGIC):
        return None
    if header[len(MAGIC):] != hashlib.sha256(payload).hexdigest().encode():
        return None  # truncated or edited
    try:
        return json.loads(payload)
    except ValueError:  # UnicodeDecodeError is a ValueError
        return None


def write_json(path: Path, value: Any) -> None:
    """Store ``value``; a cache folder that cannot be written must never fail a build."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def write(handle: BinaryIO) -> None:
        # Encoded and hashed a slice at a time, the hash filled in last: a compiled course
        # with a 50 MB page is not held as bytes beside its text.
        handle.write(MAGIC + b"0" * 64 + b"\n")
        digest = hashlib.sha256()
        for start in range(0, len(text), _SLICE):
            chunk = text[start:start + _SLICE].encode("utf-8")
            digest.update(chunk)
            handle.write(chunk)
        handle.seek(len(MAGIC))
        handle.write(digest.hexdigest().encode())

    with contextlib.suppress(OSError):
        write_atomically_with(path, write)
