"""The one deterministic zip writer, and atomic replacement of output files.

Same input, same bytes: entries sorted, timestamps fixed (SOURCE_DATE_EPOCH or 1980-01-01),
permissions fixed, one compression level. Output is written to a temporary file beside the
destination and renamed over it, so a reader never sees half a package.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can store
COMPRESS_LEVEL = 6
FILE_MODE = 0o100644  # regular file, rw-r--r--


def zip_timestamp(environ: dict[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    env = os.environ if environ is None else environ
    try:
        epoch = int(env.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    except ValueError:
        epoch = DEFAULT_EPOCH
    epoch = max(epoch, DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


def zip_bytes(files: dict[str, bytes], timestamp: tuple[int, ...] | None = None) -> bytes:
    """A zip of ``files`` (package path -> content); the same dict gives the same bytes."""
    stamp = timestamp or zip_timestamp()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr means the same everywhere
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, files[name], compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def write_atomically(dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` atomically (see write_atomically_with)."""
    write_atomically_with(dest, lambda handle: handle.write(data))


def write_atomically_with(dest: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``dest`` through a temporary file beside it, renamed over it when complete.

    ``write`` writes the content to the open (seekable) file, so a large cache entry need not
    be held in memory as bytes first. The temporary file is
    ``.<dest name>.<8 random characters>.tmp`` and is locked while it is written. A build
    killed mid-write leaves one behind; the next write of the same destination removes such
    files once no live writer holds their lock.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(dest)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            _lock(handle.fileno(), blocking=True)
            write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_name_pattern(dest: Path) -> re.Pattern[str]:
    """Names write_atomically gives its temporary files for ``dest`` (mkstemp's alphabet)."""
    return re.compile(rf"^\.{re.escape(dest.name)}\.[a-z0-9_]{{8}}\.tmp$")


def remove_stale_temp_files(dest: Path) -> None:
    pattern = temp_name_pattern(dest)
    try:
        names = [n for n in os.listdir(dest.parent) if pattern.match(n)]
    except OSError:
        return
    for name in names:
        path = dest.parent / name
        # Regular files only, never followed through a symlink; a file whose lock is held
        # belongs to a build still writing it.
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode) and _lock(fd, blocking=False):
                    path.unlink()
            finally:
                os.close(fd)


def _lock(fd: int, blocking: bool) -> bool:
    """An exclusive lock on ``fd``, released when the process ends however it ends."""
    if fcntl is None:  # pragma: no cover - not POSIX: temp files are left in place
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        return False
    return True
