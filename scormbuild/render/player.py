"""Assemble the in-browser player: index.html with the course structure inlined, one content
script per module (and one for the post-test), plus JS and CSS.

Nothing is a separate .json file because browsers block fetching JSON from a package opened as
a plain folder (``file://``); ``<script>`` elements load there, so content ships as scripts
that hand their (escaped) JSON to ``ScormbuildContent.register`` (player.js). What goes where:
render/player_data.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scormbuild.render.player_data import content_path, split_course
from scormbuild.resources import templates_dir

# Player files every package ships: the learner state, the completion rules, the tracker
# registry with the standalone fallback, and the DOM. A target adds its own tracker scripts
# (Target.tracker_scripts); this module knows no standard.
PLAYER_CSS = "player.css"
CORE_SCRIPTS: tuple[str, ...] = ("state.js", "completion.js", "tracking/standalone.js")
DOM_SCRIPT = "player.js"


def course_json_for_html(course_data: dict) -> str:
    """JSON safe to place inside ``<script type="application/json">``.

    Sorted keys keep the output deterministic; ``<``, ``>`` and ``&`` become ``\\u003c``-style
    escapes so no string in the course can close the script element or open a comment, and
    U+2028/U+2029 are escaped for old JavaScript parsers. JSON.parse reads them back unchanged.
    """
    text = json.dumps(course_data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def content_script(key: str, content: dict) -> bytes:
    """One content file: a call that registers its JSON under ``key``.

    The JSON is escaped as for the inline script element: a script file cannot be closed by
    ``</script>``, but the same escapes keep U+2028/U+2029 from breaking old parsers and cost
    nothing. The key is one of render/player_data.py's (m1, posttest): no escaping needed.
    """
    return (f'ScormbuildContent.register("{key}",{course_json_for_html(content)});\n'
            .encode())


def _shipped(folder: Path, name: str) -> bytes:
    """The shipped form of a player file: templates/player/min/<name>.

    The readable, commented sources stay in templates/player/; scripts/minify_player.py
    writes their minified form (local names shortened) into min/, which keeps the player
    within its 60 KB budget without spending build time or a runtime dependency on it. A test
    fails when a source changed and min/ was not written again.
    """
    return (folder / "min" / name).read_bytes()


def _environment(folder: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_player(course_data: dict, tracking: str,
                  tracker_scripts: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Return the player's files (path inside the package -> bytes).

    ``course_data`` is the course JSON (see docs/internals.md); ``tracking`` names the
    adapter the package prefers (a key of ``ScormbuildTrackers``), ``tracker_scripts`` the
    files under templates/player/ that define it, in load order; the player falls back to
    standalone when that adapter finds no LMS or LRS. index.html gets the structure,
    content/*.js the rest (render/player_data.py). Scripts load in order: core, trackers, DOM.
    """
    split = split_course(course_data)
    folder = templates_dir() / "player"
    files: dict[str, bytes] = {}
    names = (PLAYER_CSS, *CORE_SCRIPTS, *tracker_scripts, DOM_SCRIPT)
    for name in names:
        files[f"player/{name}"] = _shipped(folder, name)
    scripts = [f"player/{name}" for name in names[1:]]
    html = (
        _environment(folder)
        .get_template("index.html.j2")
        .render(
            title=course_data.get("title", ""),
            language=course_data.get("language", "en"),
            tracking=tracking,
            scripts=scripts,
            # Already escaped for the script element above; Markup stops a second (HTML) escape
            # that would corrupt the JSON.
            course_json=Markup(course_json_for_html(split.structure)),
        )
    )
    files["index.html"] = html.encode("utf-8")
    for key, content in split.content.items():
        files[content_path(key)] = content_script(key, content)
    return dict(sorted(files.items()))
