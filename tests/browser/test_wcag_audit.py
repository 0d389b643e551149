"""Every view of the flagship course (course_src) at 320, 375 and 1280 px: axe-core finds no
WCAG 2.0/2.1/2.2 A or AA violation, nothing scrolls sideways (1.4.10 reflow), and no focus stop
is fully hidden by the sticky navigation bar (2.4.11). Headings do not skip levels and the
player does not repeat a label the author wrote ("fictional composite", "Reflect").

One build and one browser for the module, one page per width; the walk covers the menu, every
page, every knowledge check (answered, feedback shown), the post-test (questions, error
summary, result), the evaluation (before and after submitting) and the completion screen with
its certificate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from support.build import build_course, outline, unzip
from support.server import StaticServer
from support.walker import Walker
from ux_audit import (
    WIDTHS,
    axe_violations,
    flagship_copy,
    sideways,
    structure_problems,
    tab_through,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    work = tmp_path_factory.mktemp("flagship")
    src = flagship_copy(work / "course")
    built = build_course(src, work / "dist")
    server = StaticServer(root=unzip(built.zip_path, work / "sco"))
    try:
        yield server.url("/index.html"), outline(src)
    finally:
        server.stop()


def audit(page: Page, label: str, problems: list[str], focus: bool = True) -> None:
    for v in axe_violations(page):
        problems.append(f"{label}: axe {v}")
    for v in structure_problems(page):
        problems.append(f"{label}: {v}")
    over = sideways(page)
    if over > 1:
        problems.append(f"{label}: scrolls {over}px sideways")
    if focus:
        walk = tab_through(page)
        for el in walk.hidden:
            problems.append(f"{label}: focus hidden by the nav: {el}")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_passes_axe_reflows_and_keeps_focus_in_sight(
        chromium: Browser, flagship: tuple[str, dict[str, Any]], width: int) -> None:
    url, course = flagship
    context = chromium.new_context(viewport={"width": width, "height": 720})
    page = context.new_page()
    page.goto(url)
    walker = Walker(page, course, fast=True)
    walker.wait_ready()
    problems: list[str] = []
    seen = 0
    try:
        for _ in range(500):
            view, kind = walker.view(), walker.view_kind()
            seen += 1
            if kind == "check":
                walker.answer_check(view, skip_answered=True)
            if kind == "posttest":
                audit(page, f"{width}px {view} questions", problems)
                page.click(f'[data-page-id="{view}"] [data-action="submit"]')
                audit(page, f"{width}px {view} error summary", problems, focus=False)
                walker.take_posttest()
                audit(page, f"{width}px {view} result", problems)
            elif kind == "evaluation":
                audit(page, f"{width}px {view}", problems)
                walker.fill_evaluation()
                audit(page, f"{width}px {view} submitted", problems, focus=False)
            elif kind == "completion":
                page.check("input[data-attestation]")
                page.wait_for_selector("[data-certificate]")
                audit(page, f"{width}px {view} certificate", problems)
                break
            else:
                audit(page, f"{width}px {view}", problems)
            walker.next()
        assert seen > 60, f"walked only {seen} views"
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    finally:
        context.close()
