"""The preview in real Chromium: inspector, live reload, build errors, limits, buttons.

One `scormbuild serve` (against a copy of the sample course) and one page for the module;
the tests run in file order and some edit the copy, each restoring what it changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from serving import Serve
from support.env import require_module

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
require_module("playwright")
from playwright.sync_api import expect  # noqa: E402

READY = 'html[data-sb-ready="true"]'
COURSE = "[data-sb-preview-course]"
CALLS = "[data-sb-inspector] [data-call]"


@pytest.fixture(scope="module")
def page(chromium: Browser, served: Serve) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served.url)
    course_ready(page)
    yield page
    context.close()
    assert not errors, errors


def course_ready(page: Page) -> None:
    page.frame_locator(COURSE).locator(READY).wait_for(state="attached", timeout=20_000)


def view_id(page: Page) -> str | None:
    return page.frame_locator(COURSE).locator("[data-sb-view] > [data-page-id]").get_attribute(
        "data-page-id")


def model_value(page: Page, name: str):  # noqa: ANN201 (a Locator)
    """The inspector's value of one data model row."""
    return page.locator("[data-sb-model] dt", has_text=name).locator(
        "xpath=following-sibling::dd[1]")


def mark(page: Page) -> None:
    """A flag that only survives as long as this document: gone after any reload."""
    page.evaluate("() => { window.__sbTestMark = true; }")


def reloaded(page: Page) -> bool:
    return page.evaluate("() => window.__sbTestMark !== true")


def test_inspector_shows_initialize_then_the_location_set_by_next(page: Page) -> None:
    first = page.locator(CALLS).first
    expect(first).to_have_text(re.compile(r"^LMSInitialize"))
    assert view_id(page) == "course:menu"
    page.frame_locator(COURSE).locator('[data-action="next"]').click()
    location = page.locator(CALLS).filter(
        has_text=re.compile(r"^LMSSetValue cmi\.core\.lesson_location basics-intro"))
    expect(location.first).to_be_visible()
    assert location.first.get_attribute("data-error") is None
    expect(page.locator("[data-sb-location]")).to_have_text("basics-intro")
    expect(page.locator("[data-sb-status]")).to_have_text("incomplete")


def test_editing_the_title_reloads_the_page_by_itself(page: Page, course_copy: Path,
                                                      served: Serve) -> None:
    assert view_id(page) == "basics-intro"
    mark(page)
    yaml_file = course_copy / "course.yaml"
    original = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(original.replace("title: Sample Course for Tests",
                                          "title: Sample Course Renamed", 1), encoding="utf-8")
    title = page.frame_locator(COURSE).locator(".sb-course-title")
    expect(title).to_have_text("Sample Course Renamed", timeout=15_000)
    assert reloaded(page), "the new title appeared without the page reloading?"
    course_ready(page)
    # Back at the same view, as a resumed session (the LMS record survived the reload).
    assert view_id(page) == "basics-intro"
    expect(model_value(page, "entry")).to_have_text("resume")
    # Within a second of the rebuild: the new document started < 1 s after the build ended.
    delay = page.evaluate("""async () => {
        const b = await (await fetch('/__preview/build')).json();
        return performance.timeOrigin / 1000 - b.built_at; }""")
    assert 0 <= delay < 1.0, f"the page reloaded {delay:.2f} s after the rebuild"
    expect(page.locator("[data-sb-preview-title]")).to_have_text("Sample Course Renamed")


def test_a_broken_course_yaml_shows_every_problem_and_recovers(page: Page, course_copy: Path,
                                                               served: Serve) -> None:
    yaml_file = course_copy / "course.yaml"
    good = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(good.replace("version: 2.1.0", "version: [2.1.0", 1), encoding="utf-8")
    overlay = page.locator("[data-sb-build-error]")
    expect(overlay).to_be_visible(timeout=15_000)
    problems = overlay.locator("li")
    expect(problems.first).to_have_text(re.compile(r"course\.yaml:\d+:\d+: "))
    for text in problems.all_inner_texts():
        assert re.match(r"^\S+:\d+:\d+: ", text), text
    assert served.proc.poll() is None, "the server stopped on a source error"
    expect(page.locator(COURSE)).to_be_hidden()
    # Fixing it brings the course back, by itself.
    yaml_file.write_text(good, encoding="utf-8")
    expect(overlay).to_be_hidden(timeout=15_000)
    course_ready(page)
    assert view_id(page) == "basics-intro"


def test_every_problem_of_several_files_is_listed(page: Page, course_copy: Path) -> None:
    page_md = course_copy / "modules" / "01-basics" / "kinds.md"
    posttest = course_copy / "posttest.yaml"
    saved = {f: f.read_text(encoding="utf-8") for f in (page_md, posttest)}
    page_md.write_text(saved[page_md].replace("title: The three kinds\n", "", 1), encoding="utf-8")
    posttest.write_text(saved[posttest].replace("objective: identify-widgets",
                                                "objective: no-such-objective"), encoding="utf-8")
    problems = page.locator("[data-sb-build-error] li[data-problem='error']")
    expect(problems.filter(has_text="kinds.md")).to_have_count(1, timeout=15_000)
    expect(problems.filter(has_text=re.compile(r"posttest\.yaml:\d+:\d+: .*no-such-objective"))
           ).not_to_have_count(0)
    texts = problems.all_inner_texts()
    assert len(texts) >= 3 and all(re.match(r"^\S+:\d+:\d+: ", t) for t in texts), texts
    for file, text in saved.items():
        file.write_text(text, encoding="utf-8")
    expect(page.locator("[data-sb-build-error]")).to_be_hidden(timeout=15_000)
    course_ready(page)


def test_an_over_limit_suspend_data_is_flagged(page: Page) -> None:
    # What a hand-made SCO does that scormbuild's player never would: 5,000 characters.
    ret = page.frame_locator(COURSE).locator("html").evaluate(
        "() => window.parent.API.LMSSetValue('cmi.suspend_data', 'x'.repeat(5000))")
    assert ret == "false"
    flagged = page.locator(CALLS + '[data-error="405"]').filter(
        has_text=re.compile(r"^LMSSetValue cmi\.suspend_data"))
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("5,000 characters, the limit is 4,096")
    suspend = page.locator("[data-sb-suspend]")
    expect(suspend).to_contain_text("/ 4,096 characters")
    expect(suspend).to_contain_text("REFUSED a value of 5,000 characters")
    expect(suspend).to_have_class(re.compile("sbp-over"))


def test_rule_breaks_and_interactions_show(page: Page) -> None:
    frame = page.frame_locator(COURSE).locator("html")
    frame.evaluate("""() => { const A = window.parent.API;
        A.LMSSetValue('cmi.core.session_time', '1:02:03');
        const n = A.LMSGetValue('cmi.interactions._count');
        A.LMSSetValue('cmi.interactions.' + n + '.id', 'q-hand');
        A.LMSSetValue('cmi.interactions.' + n + '.type', 'choice');
        A.LMSSetValue('cmi.interactions.' + n + '.result', 'incorrect');
        A.LMSGetValue('cmi.interactions.' + n + '.id'); }""")
    expect(page.locator(CALLS + '[data-error="405"]').filter(
        has_text="cmi.core.session_time 1:02:03")).to_contain_text("CMITimespan")
    result = re.compile(r"^LMSSetValue cmi\.interactions\.\d+\.result incorrect")
    expect(page.locator(CALLS + '[data-error="405"]').filter(has_text=result)).to_contain_text(
        "is not one of")
    expect(page.locator(CALLS + '[data-error="404"]').filter(
        has_text=re.compile(r"^LMSGetValue cmi\.interactions\.\d+\.id"))).to_contain_text(
        "write-only")
    row = page.locator('[data-sb-interactions] [data-interaction="q-hand"]')
    expect(row).to_contain_text("choice")


def test_buttons_relaunch_review_phone_new_learner(page: Page) -> None:
    mark(page)
    page.click('[data-sb-action="relaunch"]')
    course_ready(page)
    assert reloaded(page)
    assert view_id(page) == "basics-intro"
    expect(page.locator("[data-sb-session]")).to_contain_text("learner 1")

    page.click('[data-sb-action="review"]')
    course_ready(page)
    expect(page.frame_locator(COURSE).locator("html")).to_have_attribute("data-sb-mode", "review")
    expect(page.locator('[data-sb-action="review"]')).to_have_attribute("aria-pressed", "true")
    page.click('[data-sb-action="review"]')
    course_ready(page)
    expect(page.frame_locator(COURSE).locator("html")).to_have_attribute("data-sb-mode", "normal")

    page.click('[data-sb-action="phone"]')
    expect(page.locator('[data-sb-action="phone"]')).to_have_attribute("aria-pressed", "true")
    width = page.locator(COURSE).evaluate("f => f.getBoundingClientRect().width")
    assert width == 375
    page.click('[data-sb-action="phone"]')

    page.click('[data-sb-action="new-learner"]')
    course_ready(page)
    expect(page.locator("[data-sb-session]")).to_contain_text("learner 2")
    assert view_id(page) == "course:menu"
    expect(model_value(page, "entry")).to_have_text("ab-initio")
