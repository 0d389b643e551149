"""`scormbuild serve --target xapi`: statements go to the preview's own endpoint and are checked."""

from __future__ import annotations

import json
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

COURSE = "[data-sb-preview-course]"


@pytest.fixture(scope="module")
def xapi_served(course_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = Serve.start(str(course_copy), "--port", "0", "--target", "xapi",
                        cache_dir=tmp_path_factory.mktemp("cache"))
    yield serve
    serve.stop()


@pytest.fixture(scope="module")
def page(chromium: Browser, xapi_served: Serve) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(xapi_served.url)
    page.frame_locator(COURSE).locator('html[data-sb-ready="true"]').wait_for(
        state="attached", timeout=20_000)
    yield page
    context.close()


def test_the_player_runs_against_the_preview_endpoint(page: Page) -> None:
    expect(page.frame_locator(COURSE).locator("html")).to_have_attribute("data-sb-tracker", "xapi")
    # A page's "experienced" goes out when the learner leaves it: menu -> page -> next.
    for _ in range(2):
        page.frame_locator(COURSE).locator('[data-action="next"]').click()
    statements = page.locator("[data-sb-inspector] [data-statement]")
    expect(statements.first).to_be_visible(timeout=15_000)
    # The player's own statements pass the project's checks.
    expect(page.locator("[data-statement][data-invalid]")).to_have_count(0)
    expect(statements.filter(has_text="page/basics-intro").first).to_be_visible(timeout=15_000)


def test_a_bad_statement_is_listed_with_what_is_wrong(page: Page) -> None:
    bad = {"actor": {"mbox": "preview@example.invalid"},
           "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
           "object": {"id": "https://courses.example.org/sample-course"},
           "result": {"score": {"scaled": 1.5}}}
    status = page.evaluate("""async (s) => (await fetch('/__preview/xapi/statements', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(s)})).status""", bad)
    assert status == 200
    flagged = page.locator("[data-statement][data-invalid]")
    expect(flagged).to_have_count(1, timeout=5_000)
    expect(flagged).to_contain_text("mailto")
    expect(flagged).to_contain_text(re.compile("scaled"))
    log = json.loads(page.evaluate(
        "async () => JSON.stringify(await (await fetch('/__preview/xapi/log')).json())"))
    assert any(entry["problems"] for entry in log)
