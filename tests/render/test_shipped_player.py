"""The shipped player (templates/player/min/) is the minified form of today's sources."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from support.env import REPO_ROOT, missing_tool

from scormbuild.build import TARGETS
from tests.player.conftest import sample_course

SCRIPT = REPO_ROOT / "scripts" / "minify_player.py"


def _script():  # the script is not a package module: load it from its file
    spec = importlib.util.spec_from_file_location("minify_player", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.terser_command()
    except module.MinifierMissing as missing:
        missing_tool(str(missing))
    return module


def test_min_matches_the_sources() -> None:
    script = _script()
    stale = [name for name, data in script.expected().items()
             if not (script.SHIPPED / name).is_file()
             or (script.SHIPPED / name).read_bytes() != data]
    assert stale == [], f"run scripts/minify_player.py: stale {stale}"
    shipped = sorted(str(p.relative_to(script.SHIPPED)) for p in script.SHIPPED.rglob("*")
                     if p.is_file())
    assert shipped == sorted(script.SOURCES)  # nothing left over from a removed source


def test_every_player_source_is_shipped() -> None:
    sources = sorted(str(p.relative_to(_script().PLAYER)) for p in _script().PLAYER.rglob("*")
                     if p.suffix in (".js", ".css") and "min" not in p.parts)
    assert sources == sorted(_script().SOURCES)


def test_packages_ship_the_minified_files() -> None:
    course = sample_course()
    for target in TARGETS.values():
        files = target.player(course)
        for path, data in files.items():
            if path.startswith("player/"):  # content/*.js is the course's, not the player's
                name = path.removeprefix("player/")
                assert data == (_script().SHIPPED / name).read_bytes()
                assert len(data) < len((_script().PLAYER / name).read_bytes())


def test_minifying_shortens_local_names_but_keeps_globals(tmp_path: Path) -> None:
    source = tmp_path / "x.js"
    source.write_text("(function (root) { var longLocalName = 1;"
                      " root.ScormbuildThing = longLocalName; })(this);\n")
    out = _script().minified(source).decode()
    assert "longLocalName" not in out
    assert "ScormbuildThing" in out
