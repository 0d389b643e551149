"""The player is keyboard-operable, labelled, and fits phone widths and 200% zoom."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support.build import Built
from support.server import StaticServer

pytestmark = pytest.mark.browser

READY = 'html[data-sb-ready="true"]'


def open_player(chromium: Browser, url: str, width: int, height: int = 800,
                scale: float = 1) -> Page:
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   device_scale_factor=scale)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY)
    return page


def served(sample_build: Built, unpack: Callable[[Path], Path],
           static_server: Callable[..., StaticServer]) -> str:
    folder = unpack(sample_build.zip_path)
    return static_server(folder).url("/index.html")


def focus_and_press(page: Page, selector: str, key: str, limit: int = 60) -> None:
    """Tab until ``selector`` has focus (as a keyboard user would), then press ``key``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            page.keyboard.press(key)
            return
    raise AssertionError(f"{selector} never received keyboard focus")


def test_course_can_be_walked_and_answered_with_the_keyboard_alone(
        chromium: Browser, sample_build: Built, unpack, static_server) -> None:
    page = open_player(chromium, served(sample_build, unpack, static_server), 1100)
    first = page.get_attribute("[data-sb-view] [data-page-id]", "data-page-id") or \
        page.get_attribute("[data-page-id]", "data-page-id")
    focus_and_press(page, '[data-action="next"]', "Enter")
    second = page.get_attribute("[data-sb-view] [data-page-id], [data-sb-view][data-page-id]",
                                "data-page-id")
    assert second and second != first
    # Go to the first knowledge check and answer it with Space on a radio, then Enter on submit.
    page.click('[data-action="menu"]')
    page.click('[data-goto="check:basics"]')
    page.wait_for_selector('[data-question-id="kc-basics-kinds"]')
    # A radio group is one Tab stop; arrow keys move the choice within it, as in any form.
    focus_and_press(page, '[data-question-id="kc-basics-kinds"] input[type="radio"]', "Home")
    target = '[data-question-id="kc-basics-kinds"] input[data-choice-id="two"]'
    for _ in range(5):
        if page.is_checked(target):
            break
        page.keyboard.press("ArrowDown")
    assert page.is_checked(target)
    focus_and_press(page, '[data-question-id="kc-basics-kinds"] [data-action="submit"]', "Enter")
    feedback = page.wait_for_selector('[data-question-id="kc-basics-kinds"] [data-feedback]')
    assert feedback.get_attribute("aria-live") == "polite"
    assert (feedback.inner_text() or "").strip()
    page.context.close()


def test_every_input_has_a_label_and_focus_is_visible(
        chromium: Browser, sample_build: Built, unpack, static_server) -> None:
    page = open_player(chromium, served(sample_build, unpack, static_server), 1100)
    page.click('[data-action="menu"]')
    page.click('[data-goto="posttest:post-test"]')
    page.wait_for_selector("[data-question-id]")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby'))
        .map(el => el.outerHTML.slice(0, 80))""")
    assert unlabelled == []
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
               || s.boxShadow !== 'none'; }""")
    assert outline, "the focused control must show a visible focus indicator"
    page.context.close()


@pytest.mark.parametrize("width,scale", [(375, 2), (640, 2)], ids=["phone", "zoom-200"])
def test_no_horizontal_scrolling_on_narrow_screens(
        chromium: Browser, sample_build: Built, unpack, static_server,
        width: int, scale: float) -> None:
    # 200% zoom of a 1280-pixel window leaves a 640-CSS-pixel layout viewport.
    page = open_player(chromium, served(sample_build, unpack, static_server), width,
                       scale=scale)
    for view in ("course:menu", "basics-kinds", "posttest:post-test", "evaluation:evaluation"):
        page.evaluate("v => { const el = document.querySelector(`[data-goto=\"${v}\"]`);"
                      " if (el) el.click(); }", view)
        page.wait_for_timeout(50)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{view}: {overflow}px of horizontal scrolling at {width}px"
        page.click('[data-action="menu"]')
    page.context.close()
