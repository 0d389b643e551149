#!/usr/bin/env python3
"""Write the shipped (minified) player files, templates/player/min/, from the sources.

    .venv/bin/python scripts/minify_player.py          # after editing any player JS or CSS

Packages ship templates/player/min/ (render/player.py copies it), so a build spends no time
minifying and needs no minifier. JavaScript is minified by terser (npm, pinned in
tests/tools/package.json, installed by scripts/setup-test-env): it compresses and shortens
local names; globals and property names keep theirs, so the files still meet through
window.ScormbuildState and friends. It gives about 5% less than calmjs.parse did, which the
60 KB player budget needed once completion.js was split out. CSS is minified by rcssmin. Both
are deterministic: the same sources give the same bytes. tests/render/test_shipped_player.py
fails, naming this script, when a source changed and min/ was not written again.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PLAYER = Path(__file__).resolve().parents[1] / "templates" / "player"
SHIPPED = PLAYER / "min"
TERSER = PLAYER.parents[1] / "tests" / "tools" / "node_modules" / "terser" / "bin" / "terser"
# ES5 in and out (the player runs in old LMS browsers too); no comments kept. hoist_vars
# gathers a function's var statements into one at its top: the same function scope var
# already has, ~120 bytes less in an LRS package. (No property mangling, no unsafe options.)
TERSER_ARGS = ("--ecma", "5", "--compress", "passes=2,hoist_vars=true", "--mangle",
               "--comments", "false")


class MinifierMissing(RuntimeError):
    """node or the pinned terser is not installed (scripts/setup-test-env installs both)."""


def terser_command() -> list[str]:
    node = shutil.which("node")
    if node is None or not TERSER.is_file():
        raise MinifierMissing(f"minifying the player needs node and {TERSER}: "
                              "run scripts/setup-test-env")
    return [node, str(TERSER), *TERSER_ARGS]
# The player's sources, as paths under templates/player/ (and under min/).
SOURCES = ("player.css", "state.js", "completion.js", "player.js", "tracking/standalone.js",
           "tracking/scorm.js", "tracking/scorm12.js", "tracking/scorm2004.js", "tracking/lrs.js",
           "tracking/xapi.js", "tracking/cmi5.js")


def minified(source: Path) -> bytes:
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".css":
        import rcssmin

        out = rcssmin.cssmin(text)
    else:
        out = subprocess.run(terser_command(), input=text, capture_output=True, text=True,
                             check=True, timeout=120).stdout
    return (out.strip() + "\n").encode("utf-8")


def expected() -> dict[str, bytes]:
    """What min/ must hold: path under min/ -> bytes."""
    return {name: minified(PLAYER / name) for name in SOURCES}


def main() -> int:
    try:
        terser_command()
    except MinifierMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    for name, data in expected().items():
        target = SHIPPED / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(PLAYER.parents[1])} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
