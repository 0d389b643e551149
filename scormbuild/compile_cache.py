"""Whole-course cache: an unchanged course is not read or rendered again.

The compiled course depends only on the files under the course folder (links may not
leave it), the folder as the user named it (messages carry that path) and scormbuild's own
code. The key hashes all three, so any edit, added or removed file, or new scormbuild
version compiles afresh (and the per-page render cache still helps then). Only a
successful compile is stored; problems are always found anew. The cache lives beside the
render cache, never in the course or the output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from scormbuild.package import write_atomically

FORMAT = 1
_PACKAGE = Path(__file__).parent


def _code_hash() -> str:
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(file.relative_to(_PACKAGE)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def source_key(src: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{sys.version_info[:2]}|{_code_hash()}|{src}|{os.getcwd()}".encode())
    for folder, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            digest.update(str(path.relative_to(src)).encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _file(cache_dir: Path, src: Path) -> Path:
    name = hashlib.sha256(str(src.resolve()).encode()).hexdigest()[:24]
    return cache_dir / f"compiled-{name}.pickle"


def load(cache_dir: Path, src: Path, key: str) -> Any | None:
    try:
        stored_key, compiled = pickle.loads(_file(cache_dir, src).read_bytes())  # noqa: S301
    except Exception:  # noqa: BLE001 - any unreadable or foreign cache is simply a miss
        return None
    return compiled if stored_key == key else None


def store(cache_dir: Path, src: Path, key: str, compiled: Any) -> None:
    data = pickle.dumps((key, compiled), protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):  # a read-only cache must never fail a build
        write_atomically(_file(cache_dir, src), data)
