"""The cmi5 package's player without a browser: lrs.js then cmi5.js load before player.js,
the course data carries the cmi5 names from scormbuild/cmi5/spec.py (the JS spells none of
them), the player JS + CSS fit the 60 KB budget, and the shipped scripts parse.
The in-browser behaviour against an LMS harness and a real LRS: tests/browser/test_cmi5_player.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from support.env import node

from scormbuild.cmi5 import spec
from scormbuild.cmi5.target import Cmi5Target
from tests.player.conftest import sample_course

PLAYER_BUDGET = 60 * 1024
DATA_RE = re.compile(r'<script type="application/json" id="course-data">(.*?)</script>', re.DOTALL)


def test_the_cmi5_package_loads_lrs_then_cmi5_before_the_player() -> None:
    files = Cmi5Target.player(sample_course())
    html = files["index.html"].decode()
    assert 'data-tracking="cmi5"' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert all(src in files for src in scripts)
    assert (scripts.index("player/tracking/standalone.js") < scripts.index("player/tracking/lrs.js")
            < scripts.index("player/tracking/cmi5.js") < scripts.index("player/player.js"))
    assert not {"player/tracking/xapi.js", "player/tracking/scorm12.js"} & set(files)
    size = sum(len(b) for p, b in files.items()
               if p.startswith("player/") and p.endswith((".js", ".css")))
    print(f"cmi5 player JS + CSS: {size:,} bytes")
    assert size <= PLAYER_BUDGET


def test_the_cmi5_names_come_with_the_course_data() -> None:
    html = Cmi5Target.player(sample_course())["index.html"].decode()
    match = DATA_RE.search(html)
    assert match
    names = json.loads(match.group(1))["cmi5"]
    assert names == {
        "categories": {"cmi5": "https://w3id.org/xapi/cmi5/context/categories/cmi5",
                       "moveon": "https://w3id.org/xapi/cmi5/context/categories/moveon"},
        "mastery": "https://w3id.org/xapi/cmi5/context/extensions/masteryscore",
        "launchData": "LMS.LaunchData",
        "preferences": "cmi5LearnerPreferences",
    }
    assert names["launchData"] == spec.LAUNCH_DATA
    # The shipped trackers spell none of them: one definition, in spec.py.
    files = Cmi5Target.player(sample_course())
    for name in ("player/tracking/lrs.js", "player/tracking/cmi5.js"):
        code = files[name].decode()
        assert "w3id.org" not in code and "LMS.LaunchData" not in code, name


def test_the_shipped_trackers_parse(tmp_path: Path) -> None:
    files = Cmi5Target.player(sample_course())
    for name in ("player/tracking/lrs.js", "player/tracking/cmi5.js"):
        f = tmp_path / name.replace("/", "_")
        f.write_bytes(files[name])
        proc = subprocess.run([node(), "--check", str(f)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
