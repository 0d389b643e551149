"""A cache of rendered Markdown, so a rebuild re-renders only what changed.

Rendering Markdown is most of a build. An entry is keyed by everything the HTML depends
on: the text, where it sits (file and line, for messages), the citation forms, the course
folder, and the code of the renderer itself (so changing scormbuild never serves stale
HTML). The one outside input, the files the links name, is recorded with the entry as the
links themselves and resolved again before the entry is used, so which files go into a
package always comes from the course folder as it is now, never from the cache.

The cache lives outside the course and the output folder (in the user's cache directory),
so neither a source tree nor dist/ ever changes because of it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import markdown_it
import mdit_py_plugins

from scormbuild import __version__
from scormbuild.cachefile import read_json, write_json
from scormbuild.problems import Problem

CACHE_FORMAT = 2
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
    # links to course files as [source, target, line, is_image, result]: checked again before use,
    # and the only way a cached rendering names files for the package (see markdown.py)
    links: list[list]


def _problem(value: object) -> Problem | None:
    if (isinstance(value, list) and len(value) == 5 and isinstance(value[0], str)
            and type(value[1]) is int and type(value[2]) is int and isinstance(value[3], str)
            and value[4] in ("error", "warning")):
        return Problem(*value)
    return None


def link_ok(value: object) -> bool:
    """A link record [source, target, line, is_image, result] (see markdown.resolve_link)."""
    return (isinstance(value, list) and len(value) == 5 and isinstance(value[0], str)
            and isinstance(value[1], str) and type(value[2]) is int
            and isinstance(value[3], bool) and isinstance(value[4], str))


def rendered_from(entry: object) -> Rendered | None:
    """A cache entry as data, or None when it does not have the shape ``put`` writes."""
    if not isinstance(entry, dict) or set(entry) != {"html", "problems", "links"}:
        return None
    html, problems, links = entry["html"], entry["problems"], entry["links"]
    if not (isinstance(html, str) and isinstance(problems, list) and isinstance(links, list)):
        return None
    parsed = [_problem(p) for p in problems]
    if any(p is None for p in parsed) or not all(link_ok(link) for link in links):
        return None
    return Rendered(html=html, problems=parsed, links=links)  # type: ignore[arg-type]


@dataclass
class RenderCache:
    """Entries for one course folder; ``save`` keeps only the entries used in this run.

    The file is data only (JSON behind a SHA-256, see cachefile.py); an entry of the wrong
    shape is a miss.
    """

    file: Path | None
    entries: dict[str, object] = field(default_factory=dict)
    used: dict[str, object] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path | None, course_root: Path) -> RenderCache:
        if folder is None:
            return cls(file=None)
        name = hashlib.sha256(str(course_root.resolve()).encode()).hexdigest()[:24]
        file = folder / f"render-{name}.json"
        data = read_json(file)
        entries = data.get("entries") if isinstance(data, dict) and data.get(
            "format") == CACHE_FORMAT else None
        return cls(file=file, entries=entries if isinstance(entries, dict) else {})

    @staticmethod
    def key(*parts: object) -> str:
        material = json.dumps([CACHE_FORMAT, __version__, markdown_it.__version__,
                               mdit_py_plugins.__version__, hashlib.sha256(_RENDERER_CODE)
                               .hexdigest(), *parts], sort_keys=True, default=str)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> Rendered | None:
        """The entry, as data; the caller checks its links against the files before use."""
        if self.file is None:
            return None
        entry = self.entries.get(key)
        rendered = rendered_from(entry)
        if rendered is not None:
            self.used[key] = entry
        return rendered

    def drop(self, key: str) -> None:
        """Forget an entry whose links no longer hold."""
        self.used.pop(key, None)

    def put(self, key: str, rendered: Rendered) -> None:
        if self.file is None:
            return
        self.used[key] = {
            "html": rendered.html,
            "problems": [[p.path, p.line, p.col, p.message, p.severity]
                         for p in rendered.problems],
            "links": rendered.links,
        }
        self.dirty = True

    def save(self) -> None:
        """Write the entries used in this run (so the file never grows stale)."""
        if self.file is None or not (self.dirty or set(self.used) != set(self.entries)):
            return
        # A read-only home must not fail a build; the next build simply renders again.
        write_json(self.file, {"format": CACHE_FORMAT, "entries": self.used})
