"""A cache of rendered Markdown, so a rebuild re-renders only what changed.

Rendering Markdown is most of a build. An entry is keyed by everything the HTML depends
on: the text, where it sits (file and line, for messages), the citation forms, the course
folder, and the code of the renderer itself (so changing scormbuild never serves stale
HTML). The one outside input, whether each linked file exists, is recorded with the entry
and checked again before the entry is used.

The cache lives outside the course and the output folder (in the user's cache directory),
so neither a source tree nor dist/ ever changes because of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import markdown_it
import mdit_py_plugins

from scormbuild import __version__
from scormbuild.package import write_atomically
from scormbuild.problems import Problem

CACHE_FORMAT = 1
_RENDERER_CODE = (Path(__file__).parent / "markdown.py").read_bytes()


def default_cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """SCORMBUILD_CACHE_DIR, else $XDG_CACHE_HOME/scormbuild, else ~/.cache/scormbuild.

    SCORMBUILD_CACHE_DIR set to an empty string turns the cache off.
    """
    env = os.environ if environ is None else environ
    if "SCORMBUILD_CACHE_DIR" in env:
        value = env["SCORMBUILD_CACHE_DIR"]
        return Path(value) if value else None
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scormbuild"


@dataclass
class Rendered:
    html: str
    problems: list[Problem]
    assets: dict[str, Path]
    checked: dict[str, bool]  # linked file -> did it exist


@dataclass
class RenderCache:
    """Entries for one course folder; ``save`` keeps only the entries used in this run."""

    file: Path | None
    entries: dict[str, dict] = field(default_factory=dict)
    used: dict[str, dict] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path | None, course_root: Path) -> RenderCache:
        if folder is None:
            return cls(file=None)
        name = hashlib.sha256(str(course_root.resolve()).encode()).hexdigest()[:24]
        file = folder / f"render-{name}.json"
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("format") == CACHE_FORMAT else {}
        except (OSError, ValueError, KeyError, TypeError):
            entries = {}  # a missing or damaged cache is simply empty
        return cls(file=file, entries=entries if isinstance(entries, dict) else {})

    @staticmethod
    def key(*parts: object) -> str:
        material = json.dumps([CACHE_FORMAT, __version__, markdown_it.__version__,
                               mdit_py_plugins.__version__, hashlib.sha256(_RENDERER_CODE)
                               .hexdigest(), *parts], sort_keys=True, default=str)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> Rendered | None:
        if self.file is None:
            return None
        entry = self.entries.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            checked = {str(p): bool(v) for p, v in entry["checked"].items()}
            if any(Path(p).is_file() != existed for p, existed in checked.items()):
                return None
            rendered = Rendered(
                html=str(entry["html"]),
                problems=[Problem(*p) for p in entry["problems"]],
                assets={k: Path(v) for k, v in entry["assets"].items()},
                checked=checked,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        self.used[key] = entry
        return rendered

    def put(self, key: str, rendered: Rendered) -> None:
        if self.file is None:
            return
        self.used[key] = {
            "html": rendered.html,
            "problems": [[p.path, p.line, p.col, p.message, p.severity]
                         for p in rendered.problems],
            "assets": {k: str(v) for k, v in rendered.assets.items()},
            "checked": rendered.checked,
        }
        self.dirty = True

    def save(self) -> None:
        """Write the entries used in this run (so the file never grows stale)."""
        if self.file is None or not (self.dirty or set(self.used) != set(self.entries)):
            return
        data = json.dumps({"format": CACHE_FORMAT, "entries": self.used}, sort_keys=True)
        # A read-only home must not fail a build; the next build simply renders again.
        with contextlib.suppress(OSError):
            write_atomically(self.file, data.encode("utf-8"))
