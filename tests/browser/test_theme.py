"""course.yaml ``theme:``: logo, primary and accent colours and a font stack reach the player
through CSS custom properties; the default theme is unchanged; colours below 4.5:1 contrast and
font stacks that are not font names are refused with their place in course.yaml."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page
from support.build import assert_build_refused, build_course, outline, run_cli, unzip
from support.env import SAMPLE_COURSE
from support.server import StaticServer
from support.walker import Walker
from ux_audit import axe_violations

pytestmark = pytest.mark.browser

THEME = {"primary": "#5b1a34", "accent": "#7a2e00", "font": "Georgia, 'Times New Roman', serif",
         "logo": "assets/gear.svg"}


def sample_with(dest: Path, theme: dict[str, Any] | None) -> Path:
    shutil.copytree(SAMPLE_COURSE, dest)
    path = dest / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if theme is not None:
        data["theme"] = theme
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("themes")
    servers = []
    out: dict[str, Any] = {}
    for name, theme in (("themed", THEME), ("default", None)):
        src = sample_with(work / name, theme)
        built = build_course(src, work / f"dist-{name}")
        server = StaticServer(root=unzip(built.zip_path, work / f"sco-{name}"))
        servers.append(server)
        out[name] = (server.url("/index.html"), outline(src))
    try:
        yield out
    finally:
        for server in servers:
            server.stop()


def open_page(chromium: Browser, url: str) -> Page:
    page = chromium.new_context(viewport={"width": 1100, "height": 800}).new_page()
    page.goto(url)
    Walker(page, {}).wait_ready()
    return page


STYLES = """() => {
  const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
  const logo = document.querySelector('.sb-header img');
  return {header: css('.sb-header', 'backgroundColor'),
          start: css('.sb-primary', 'backgroundColor'),
          next: css('[data-action="next"]', 'backgroundColor'),
          menu: css('[data-action="menu"]', 'color'), font: css('body', 'fontFamily'),
          logo: logo ? [logo.getAttribute('src'), logo.naturalWidth] : null};
}"""


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def test_theme_colours_font_and_logo_reach_the_player(
        chromium: Browser, urls: dict[str, Any]) -> None:
    url, course = urls["themed"]
    page = open_page(chromium, url)
    try:
        got = page.evaluate(STYLES)
        assert got["header"] == rgb(THEME["primary"])
        assert got["start"] == got["next"] == rgb(THEME["accent"])
        assert got["menu"] == rgb(THEME["accent"])
        assert got["font"].startswith("Georgia")
        assert got["logo"][0] == "assets/gear.svg" and got["logo"][1] > 0
        assert axe_violations(page) == []
        Walker(page, course).next()
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_default_theme_is_unchanged(chromium: Browser, urls: dict[str, Any]) -> None:
    page = open_page(chromium, urls["default"][0])
    try:
        got = page.evaluate(STYLES)
        assert got["header"] == rgb("#12355b")
        assert got["start"] == got["next"] == rgb("#0b57a4")
        assert got["font"].startswith("system-ui")
        assert got["logo"] is None
    finally:
        page.context.close()


@pytest.mark.parametrize("theme,expected", [
    # #777777 on white is 4.48:1 (just under AA); #ffcc00 with white text 1.51:1 (L = 0.644).
    ({"accent": "#777777"}, r"course\.yaml:\d+:\d+: theme\.accent #777777: .* 4\.48:1; it needs "
                            r"at least 4\.5:1"),
    ({"primary": "#ffcc00"}, r"course\.yaml:\d+:\d+: theme\.primary #ffcc00: white text on it "
                             r"has a contrast of 1\.51:1"),
    ({"primary": "navy"}, r"course\.yaml:\d+:\d+: theme\.primary must be a colour"),
    ({"font": "x; } body { display: none"}, r"course\.yaml:\d+:\d+: theme\.font must be a list"),
    ({"logo": "assets/nothing.svg"}, r"course\.yaml:\d+:\d+: logo 'assets/nothing.svg' names a"),
])
def test_bad_theme_is_refused_with_the_measured_ratio(
        tmp_path: Path, theme: dict[str, str], expected: str) -> None:
    assert_build_refused(sample_with(tmp_path / "course", theme), tmp_path / "dist", expected)


def test_a_colour_just_at_the_threshold_builds(tmp_path: Path) -> None:
    # #767676 on white is 4.54:1, the lightest grey that passes AA.
    src = sample_with(tmp_path / "course", {"accent": "#767676", "primary": "#767676"})
    proc = run_cli("build", str(src), "-o", str(tmp_path / "dist"))
    assert proc.returncode == 0, proc.stderr
