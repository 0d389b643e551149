"""Whole-course cache: an unchanged course is not read or rendered again.

A compiled course depends on the files the load used, the folder as the user named it
(messages carry that path), the working folder and scormbuild's own code. An entry stores
the identity (code hash, Python, folder, working folder), every file-system question the load
asked with its answer (source/files.py: which files, their SHA-256, what each path really
points to) and the compiled course as JSON. Before an entry is served, the identity must match
and every question must get the same answer again; only the files the course uses are
opened, so nothing else in the folder (a FIFO, a device, an unreadable file) is touched.

Entries are data (cachefile.py: JSON behind a SHA-256; datajson.py checks every value's
type): nothing read from the cache ever runs code. Only a successful compile is stored;
problems are always found anew. The cache lives beside the render cache, never in the course
or the output folder.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from scormbuild.cachefile import read_json, write_json
from scormbuild.source.files import unchanged

FORMAT = 2
_PACKAGE = Path(__file__).parent


def _code_hash() -> str:
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(file.relative_to(_PACKAGE)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def identity(src: Path) -> dict[str, Any]:
    """What, besides the files, a compiled course depends on."""
    return {"format": FORMAT, "python": ".".join(map(str, sys.version_info[:2])),
            "code": _code_hash(), "src": str(src), "cwd": os.getcwd()}


def _file(cache_dir: Path, src: Path) -> Path:
    name = hashlib.sha256(str(src.resolve()).encode()).hexdigest()[:24]
    return cache_dir / f"compiled-{name}.json"


def load(cache_dir: Path, src: Path) -> Any | None:
    """The stored compiled course (JSON, shape not yet checked) when still valid, else None."""
    entry = read_json(_file(cache_dir, src))
    if not isinstance(entry, dict) or set(entry) != {"identity", "files", "compiled"}:
        return None
    if entry["identity"] != identity(src) or not unchanged(entry["files"]):
        return None
    return entry["compiled"]


def store(cache_dir: Path, src: Path, files: dict[str, list[str]], compiled: Any) -> None:
    """Keep a compiled course (JSON) with the file-system answers it was compiled from."""
    entry = _file(cache_dir, src)
    write_json(entry, {"identity": identity(src), "files": files, "compiled": compiled})
    # scormbuild before the JSON caches kept this course's entry as a pickle beside it: never
    # read again, so removed (only that one file name, only a regular file).
    legacy = entry.with_suffix(".pickle")
    if legacy.is_file() and not legacy.is_symlink():
        legacy.unlink(missing_ok=True)
