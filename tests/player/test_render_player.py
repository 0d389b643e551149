"""render_player: the files of the player, the inlined course structure, the content scripts,
size and determinism."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from support.env import node

from scormbuild.build import TARGETS
from scormbuild.render.player import course_json_for_html
from scormbuild.scorm12.target import Scorm12Target
from scormbuild.scorm2004.target import Scorm2004Target
from scormbuild.xapi.target import XapiTarget

PLAYER_BUDGET = 60 * 1024  # issue 3: player JS + CSS at most 60 KB uncompressed

DATA_RE = re.compile(r'<script type="application/json" id="course-data">(.*?)</script>', re.DOTALL)


def test_files(course: dict[str, Any]) -> None:
    files = Scorm12Target.player(course)
    assert sorted(files) == [
        "content/m1.js",  # one per module, then the post-test's
        "content/m2.js",
        "content/posttest.js",
        "index.html",
        "player/completion.js",
        "player/player.css",
        "player/player.js",
        "player/state.js",
        "player/tracking/scorm.js",
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
    files = XapiTarget.player(course)
    html = files["index.html"].decode()
    assert 'data-tracking="xapi"' in html
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src in files


def test_scorm2004_package_ships_its_tracker_only(course: dict[str, Any]) -> None:
    files = Scorm2004Target.player(course)
    html = files["index.html"].decode()
    assert 'data-tracking="scorm2004"' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    for src in scripts:
        assert src in files
    trackers = sorted(p for p in files if p.startswith("player/tracking/"))
    assert trackers == ["player/tracking/scorm.js", "player/tracking/scorm2004.js",
                        "player/tracking/standalone.js"]
    # The registry and the standalone fallback first, the shared SCORM run-time before the
    # tracker built on it, the DOM last.
    assert (scripts.index("player/tracking/standalone.js")
            < scripts.index("player/tracking/scorm.js")
            < scripts.index("player/tracking/scorm2004.js")
            < scripts.index("player/player.js"))


def test_course_data_inlined_safely(course: dict[str, Any]) -> None:
    course["title"] = 'Widgets </script><script>alert(1)</script> & "more" <!--'
    course["objectives"][0]["text"] = "\u2028line\u2029 <b>&amp;"
    html = Scorm12Target.player(course)["index.html"].decode()
    match = DATA_RE.search(html)
    assert match
    raw = match.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    inlined = json.loads(raw)
    assert inlined["title"] == course["title"]
    assert inlined["objectives"] == course["objectives"]
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
    assert Scorm12Target.player(course) == Scorm12Target.player(shuffled)
    assert course_json_for_html({"b": 1, "a": 2}) == '{"a":2,"b":1}'


def test_index_html_carries_structure_only(course: dict[str, Any]) -> None:
    """Issue 11 point 9: no page or question text in index.html, only what the menu, the
    progress figures and the state codec need (ids, titles, counts)."""
    page = course["modules"][0]["pages"][0]
    page["html"] = "<p>PAGE-BODY-MARKER</p>"
    kc = course["modules"][0]["knowledge_check"][0]
    kc["prompt_html"] = "KC-PROMPT-MARKER"
    test_q = course["assessment"]["questions"][0]
    test_q["prompt_html"] = "TEST-PROMPT-MARKER"
    course["assessment"]["instructions_html"] = "<p>INSTRUCTIONS-MARKER</p>"
    files = Scorm12Target.player(course)
    html = files["index.html"].decode()
    for marker in ("PAGE-BODY", "KC-PROMPT", "TEST-PROMPT", "INSTRUCTIONS"):
        assert f"{marker}-MARKER" not in html
    assert page["id"] in html and page["title"] in html
    assert "PAGE-BODY-MARKER" in files["content/m1.js"].decode()
    assert "KC-PROMPT-MARKER" in files["content/m1.js"].decode()
    posttest = files["content/posttest.js"].decode()
    assert "TEST-PROMPT-MARKER" in posttest and "INSTRUCTIONS-MARKER" in posttest


def test_content_scripts_register_their_data_safely(course: dict[str, Any], tmp_path: Any) -> None:
    """A content script, run as the browser would, hands back exactly the rendered data, and
    no string in it can close a script element or break an old JavaScript parser."""
    nasty = '</script><script>alert(1)</script> <!-- \u2028 & \u2029'
    course["modules"][1]["pages"][0]["html"] = f"<p>{nasty}</p>"
    course["modules"][0]["knowledge_check"][0]["rationale_html"] = nasty
    files = Scorm12Target.player(course)
    runner = tmp_path / "run.js"
    runner.write_text(
        "const fs = require('fs'); const got = {};\n"
        "global.ScormbuildContent = {register: (k, d) => { got[k] = d; }};\n"
        "for (const f of process.argv.slice(2)) eval(fs.readFileSync(f, 'utf8'));\n"
        "process.stdout.write(JSON.stringify(got));\n", encoding="utf-8")
    paths = []
    for name in ("content/m1.js", "content/m2.js", "content/posttest.js"):
        text = files[name].decode()
        assert "<" not in text and ">" not in text and "&" not in text
        assert "\u2028" not in text and "\u2029" not in text
        f = tmp_path / name.replace("/", "_")
        f.write_bytes(files[name])
        paths.append(str(f))
    proc = subprocess.run([node(), str(runner), *paths], capture_output=True, text=True,
                          check=True)
    got = json.loads(proc.stdout)
    assert sorted(got) == ["m1", "m2", "posttest"]
    assert got["m2"]["pages"][0]["html"] == f"<p>{nasty}</p>"
    assert got["m1"]["questions"][0]["rationale_html"] == nasty
    assert [p["html"] for p in got["m1"]["pages"]] == [
        p["html"] for p in course["modules"][0]["pages"]]
    assert got["posttest"]["questions"] == course["assessment"]["questions"]


def test_player_size_budget(course: dict[str, Any]) -> None:
    for name, target in TARGETS.items():  # every package, with the trackers it ships
        files = target.player(course)
        size = sum(len(b) for p, b in files.items()
                   if p.startswith("player/") and p.endswith((".js", ".css")))
        print(f"{name}: player JS + CSS: {size:,} bytes")
        assert size <= PLAYER_BUDGET, name


def test_shipped_javascript_parses(course: dict[str, Any], tmp_path: Any) -> None:
    node_bin = node()
    shipped = {**Scorm12Target.player(course), **Scorm2004Target.player(course)}
    for path, data in shipped.items():
        if path.endswith(".js"):
            f = tmp_path / path.replace("/", "_")
            f.write_bytes(data)
            proc = subprocess.run([node_bin, "--check", str(f)], capture_output=True, text=True)
            assert proc.returncode == 0, f"{path}: {proc.stderr}"
