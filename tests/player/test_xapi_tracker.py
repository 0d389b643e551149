"""tracking/xapi.js without a browser: it ships in xAPI packages within the player's size
budget, parses, and writes durations exactly as the Python side (docs/xapi.md) does.
The in-browser behaviour against a real LRS is tests/browser/test_xapi_player.py."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from support.env import node

from scormbuild.resources import templates_dir
from scormbuild.xapi.statements import iso_duration
from scormbuild.xapi.target import XapiTarget

PLAYER_BUDGET = 60 * 1024  # issue 3: player JS + CSS at most 60 KB uncompressed
XAPI_JS = templates_dir() / "player" / "tracking" / "xapi.js"
LRS_JS = XAPI_JS.with_name("lrs.js")  # the shared statement machinery xapi.js builds on

# Loads xapi.js the way a browser would (a global object), prints duration(ms) for each input.
DURATION_SCRIPT = """
const root = {ScormbuildTrackers: {}};
const read = (f) => require('fs').readFileSync(f, 'utf8');
for (const f of process.argv.slice(1)) new Function(read(f)).call(root);
const ms = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(ms.map(root.ScormbuildTrackers.lrs.duration)));
"""




def test_xapi_package_ships_the_tracker_within_budget(course: dict[str, Any]) -> None:
    files = XapiTarget.player(course)
    assert "player/tracking/xapi.js" in files
    assert "player/tracking/scorm12.js" not in files
    html = files["index.html"].decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    # The registry and the standalone fallback first, the DOM last.
    assert (
        scripts.index("player/tracking/standalone.js")
        < scripts.index("player/tracking/lrs.js")  # the statement machinery xapi.js uses
        < scripts.index("player/tracking/xapi.js")
        < scripts.index("player/player.js")
    )
    size = sum(len(b) for p, b in files.items()
               if p.startswith("player/") and p.endswith((".js", ".css")))
    print(f"xAPI player JS + CSS: {size:,} bytes")
    assert size <= PLAYER_BUDGET
    # No credentials or LRS address can be built in: the tracker reads them from the URL.
    shipped = files["player/tracking/lrs.js"].decode() + files["player/tracking/xapi.js"].decode()
    assert "location.search" in shipped
    assert not re.search(r"Basic [A-Za-z0-9+/=]{8,}", shipped)


def test_shipped_xapi_tracker_parses(course: dict[str, Any], tmp_path: Any) -> None:
    node_bin = node()
    f = tmp_path / "xapi.js"
    f.write_bytes(XapiTarget.player(course)["player/tracking/xapi.js"])
    proc = subprocess.run([node_bin, "--check", str(f)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_durations_match_the_python_side() -> None:
    node_bin = node()
    # No exact half-centiseconds (5 ms): JS rounds them up, Python to even; 5 ms is noise.
    values = [
        0,
        4,
        6,
        10,
        999,
        1000,
        1234,
        59_999,
        60_000,
        83_450,
        3_599_996,
        3_600_000,
        3_723_450,
        93_784_560,
        360_000_000,
    ]
    proc = subprocess.run(
        [node_bin, "-e", DURATION_SCRIPT, str(LRS_JS), str(XAPI_JS)],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got == [iso_duration(ms / 1000) for ms in values]
    assert got[values.index(83_450)] == "PT1M23.45S"
