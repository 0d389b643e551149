#!/usr/bin/env python3
"""Write the shipped (minified) player files, templates/player/min/, from the sources.

    .venv/bin/python scripts/minify_player.py          # after editing any player JS or CSS

Packages ship templates/player/min/ (render/player.py copies it), so a build spends no time
minifying and needs no minifier. JavaScript is minified by calmjs.parse with local names
shortened (obfuscate: globals keep their names, so the files still meet through
window.ScormbuildState and friends), CSS by rcssmin. Both are deterministic: the same sources
give the same bytes. tests/render/test_shipped_player.py fails, naming this script, when a
source changed and min/ was not written again.
"""

from __future__ import annotations

import sys
from pathlib import Path

PLAYER = Path(__file__).resolve().parents[1] / "templates" / "player"
SHIPPED = PLAYER / "min"
# The player's sources, as paths under templates/player/ (and under min/).
SOURCES = ("player.css", "state.js", "player.js", "tracking/standalone.js",
           "tracking/scorm12.js", "tracking/xapi.js")


def minified(source: Path) -> bytes:
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".css":
        import rcssmin

        out = rcssmin.cssmin(text)
    else:
        from calmjs.parse import es5
        from calmjs.parse.unparsers.es5 import minify_print

        out = minify_print(es5(text), obfuscate=True, obfuscate_globals=False)
    return (out.strip() + "\n").encode("utf-8")


def expected() -> dict[str, bytes]:
    """What min/ must hold: path under min/ -> bytes."""
    return {name: minified(PLAYER / name) for name in SOURCES}


def main() -> int:
    for name, data in expected().items():
        target = SHIPPED / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(PLAYER.parents[1])} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
