"""The built course as the preview serves it: rebuilt in memory, never written to disk.

A ``Snapshot`` is immutable; a rebuild swaps in a new one, so request threads read one
consistent build without locks. Waiters (the server-sent-event streams) are woken on swap.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from scormbuild.problems import Problem, ProblemsFound


@dataclass(frozen=True)
class Snapshot:
    generation: int
    files: dict[str, bytes]  # package path -> bytes; empty when the build failed
    problems: tuple[Problem, ...]  # errors (the build failed) and warnings
    title: str = ""
    built_at: float = 0.0  # time.time() when the build finished (the page's reload is timed)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def build_in_memory(src: Path, target: str, cache_dir: Path | None) -> tuple[dict[str, bytes],
                                                                             list[Problem], str]:
    """Compile SRC and produce the package files of TARGET (no zip, nothing written)."""
    from scormbuild.build import TARGETS, compile_course

    try:
        compiled = compile_course(src, cache_dir)
    except ProblemsFound as found:
        return {}, found.problems, ""
    except OSError as err:  # the folder vanished mid-edit, a file is unreadable, ...
        return {}, [Problem(str(err.filename or src), 0, 0, err.strerror or str(err))], ""
    try:
        made = TARGETS[target](compiled.course, compiled.rendered)
        problems = list(compiled.warnings) + made.check()
        if any(p.severity == "error" for p in problems):
            return {}, problems, compiled.course.title
        return made.files(), problems, compiled.course.title
    except OSError as err:  # an asset deleted between compiling and packaging
        return {}, [Problem(str(err.filename or src), 0, 0, err.strerror or str(err))], ""


@dataclass
class PreviewSite:
    src: Path
    target: str
    cache_dir: Path | None
    snapshot: Snapshot = field(default_factory=lambda: Snapshot(0, {}, ()))
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False

    def rebuild(self) -> Snapshot:
        files, problems, title = build_in_memory(self.src, self.target, self.cache_dir)
        with self._changed:
            self.snapshot = Snapshot(self.snapshot.generation + 1, files, tuple(problems), title,
                                     time.time())
            self._changed.notify_all()
        return self.snapshot

    def wait_newer(self, generation: int, timeout: float) -> Snapshot | None:
        """The snapshot once it is newer than ``generation``; None on timeout or close."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self.snapshot.generation > generation, timeout)
            if self._closed or self.snapshot.generation <= generation:
                return None
            return self.snapshot

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
