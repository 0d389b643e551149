"""render_player: the files of the player, the inlined course data, size and determinism."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from support.env import node

from scormbuild.render.player import course_json_for_html, render_player

PLAYER_BUDGET = 60 * 1024  # issue 3: player JS + CSS at most 60 KB uncompressed

DATA_RE = re.compile(r'<script type="application/json" id="course-data">(.*?)</script>', re.DOTALL)


def test_files(course: dict[str, Any]) -> None:
    files = render_player(course, "scorm12")
    assert sorted(files) == [
        "index.html",
        "player/player.css",
        "player/player.js",
        "player/state.js",
        "player/tracking/scorm12.js",
        "player/tracking/standalone.js",
    ]
    html = files["index.html"].decode()
    # Every script the page loads is in the package; every path is relative.
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src in files and not src.startswith("/")
    assert 'href="player/player.css"' in html
    assert 'data-tracking="scorm12"' in html
    # The hooks automation.md promises that live in the page shell.
    for action in ("next", "prev", "menu", "exit"):
        assert html.count(f'data-action="{action}"') == 1
    assert "data-warning" in html and "data-notice" in html and "data-sb-view" in html
    # No external requests: nothing loads from a URL.
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_xapi_package_loads_every_script_it_names(course: dict[str, Any]) -> None:
    files = render_player(course, "xapi")
    html = files["index.html"].decode()
    assert 'data-tracking="xapi"' in html
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src in files


def test_course_data_inlined_safely(course: dict[str, Any]) -> None:
    course["title"] = 'Widgets </script><script>alert(1)</script> & "more" <!--'
    course["objectives"][0]["text"] = "\u2028line\u2029 <b>&amp;"
    html = render_player(course, "scorm12")["index.html"].decode()
    match = DATA_RE.search(html)
    assert match
    raw = match.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.loads(raw) == course
    # The title element is escaped HTML, not markup.
    assert "<title>Widgets &lt;/script&gt;" in html
    assert html.count("<script>alert") == 0


def _reversed_keys(value: Any) -> Any:
    """The same data with every dict's keys in reverse insertion order."""
    if isinstance(value, dict):
        return {k: _reversed_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(v) for v in value]
    return value


def test_deterministic(course: dict[str, Any]) -> None:
    shuffled = _reversed_keys(course)
    assert list(shuffled) == list(reversed(list(course)))  # the orders really differ
    assert shuffled == course
    assert render_player(course, "scorm12") == render_player(shuffled, "scorm12")
    assert course_json_for_html({"b": 1, "a": 2}) == '{"a":2,"b":1}'


def test_player_size_budget(course: dict[str, Any]) -> None:
    files = render_player(course, "scorm12")
    size = sum(len(b) for p, b in files.items() if p.endswith((".js", ".css")))
    print(f"player JS + CSS: {size:,} bytes")
    assert size <= PLAYER_BUDGET


def test_shipped_javascript_parses(course: dict[str, Any], tmp_path: Any) -> None:
    node_bin = node()
    for path, data in render_player(course, "scorm12").items():
        if path.endswith(".js"):
            f = tmp_path / path.replace("/", "_")
            f.write_bytes(data)
            proc = subprocess.run([node_bin, "--check", str(f)], capture_output=True, text=True)
            assert proc.returncode == 0, f"{path}: {proc.stderr}"
