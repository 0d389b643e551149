"""The player in real Chromium, without the lead's build: the hand-made course, rendered by
render_player, opened from a plain folder (standalone) and under a minimal mock LMS (API
discovery through a cross-origin frame and through the opener). The full scorm-again
scenarios live in tests/browser/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from scormbuild.scorm12.target import Scorm12Target
from scormbuild.state_budget import max_suspend_data_length

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

READY = 'html[data-sb-ready="true"]'
TIMESPAN = r"^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$"

MOCK_LMS = """<!doctype html><meta charset="utf-8"><title>mock LMS</title>
<script>
var calls = [];
var store = {'cmi.core.entry': 'ab-initio', 'cmi.core.lesson_status': 'not attempted',
  'cmi.core.student_name': 'Doe, Jane', 'cmi.core.student_id': 'j1',
  'cmi.interactions._count': '0'};
window.API = {
  LMSInitialize: function () { calls.push(['LMSInitialize']); return 'true'; },
  LMSGetValue: function (k) { calls.push(['LMSGetValue', k]); return store[k] || ''; },
  LMSSetValue: function (k, v) {
    calls.push(['LMSSetValue', k, v]); store[k] = v;
    var m = /^cmi\\.interactions\\.(\\d+)\\.id$/.exec(k);
    if (m) store['cmi.interactions._count'] = String(+m[1] + 1);
    return 'true';
  },
  LMSCommit: function () { calls.push(['LMSCommit']); return 'true'; },
  LMSFinish: function () { calls.push(['LMSFinish']); return 'true'; },
  LMSGetLastError: function () { return '0'; },
  LMSGetErrorString: function () { return ''; },
  LMSGetDiagnostic: function () { return ''; }
};
var u = new URLSearchParams(location.search).get('frame');
if (u) document.write('<iframe id="f" width="900" height="700" src="' + u + '"></iframe>');
</script>"""

# A page on ANOTHER origin between the LMS and the SCO: touching its window.API throws.
MIDDLE = """<!doctype html><meta charset="utf-8"><title>middle</title>
<script>document.write('<iframe id="g" width="880" height="680" src="' +
  new URLSearchParams(location.search).get('sco') + '"></iframe>');</script>"""


def write_package(course: dict[str, Any], folder: Path) -> Path:
    for path, data in Scorm12Target.player(course).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder / "index.html"


def test_standalone_from_a_plain_folder(page: Page, course: dict[str, Any], tmp_path: Path) -> None:
    index = write_package(course, tmp_path / "sco")
    page.goto(index.as_uri())
    page.wait_for_selector(READY)
    assert page.get_attribute("html", "data-sb-tracker") == "standalone"
    assert "only in this browser" in (page.text_content("[data-notice]") or "")
    assert page.get_attribute("[data-sb-view] [data-page-id]", "data-page-id") == "course:menu"

    # Pages, and a vignette labelled as a fictional composite.
    page.click('[data-action="next"]')
    page.wait_for_selector('[data-page-id="intro"]')
    page.click('[data-action="next"]')
    vignette = page.locator('[data-page-id="vignette-ana"]')
    assert vignette.get_attribute("data-kind") == "vignette"
    assert "Vignette" in vignette.inner_text()
    assert "fictional composite" in vignette.inner_text()

    # Knowledge check: per-choice feedback in a live region, saved across a reload.
    page.click('[data-action="next"]')
    q = page.locator('[data-question-id="kc-kinds"]')
    q.locator('[data-choice-id="two"]').check()
    q.locator('[data-action="submit"]').click()
    fb = q.locator("[data-feedback]")
    assert fb.get_attribute("data-result") == "wrong"
    assert fb.get_attribute("aria-live") == "polite"
    assert "sprockets are widgets too" in fb.inner_text()
    page.reload()
    page.wait_for_selector(READY)
    assert page.get_attribute("[data-sb-view] [data-page-id]", "data-page-id") == "check:basics"
    assert page.is_checked('[data-question-id="kc-kinds"] [data-choice-id="two"]')

    # Post-test: partial answers and shuffle survive a reload.
    page.click('[data-action="menu"]')
    page.click('[data-goto="posttest:post-test"]')
    view = page.locator('[data-page-id="posttest:post-test"]')
    view.wait_for()  # the post-test's content file loads on demand (automation.md)
    order = view.locator('[data-question-id="pt-multi"] input').evaluate_all(
        "els => els.map(e => e.dataset.choiceId)"
    )
    view.locator('[data-question-id="pt-match"] select[data-source-id="cog"]').select_option("hold")
    view.locator('[data-action="submit"]').click()
    assert "Incomplete" in view.locator("[data-form-error]").inner_text()
    page.reload()
    page.wait_for_selector(READY)
    view = page.locator('[data-page-id="posttest:post-test"]')
    assert (
        view.locator('[data-question-id="pt-multi"] input').evaluate_all(
            "els => els.map(e => e.dataset.choiceId)"
        )
        == order
    )
    assert view.locator('select[data-source-id="cog"]').input_value() == "hold"

    # Fail (objectives to review, no key), retake, pass.
    answer_posttest(page, right=False)
    view.locator('[data-action="submit"]').click()
    result = view.locator("[data-result]")
    assert result.get_attribute("data-result") == "failed"
    assert result.get_attribute("data-attempts-left") == "1"
    assert result.get_attribute("data-score") == "0"
    review = view.locator("[data-review-objectives] [data-objective-id]").evaluate_all(
        "els => els.map(e => e.dataset.objectiveId)"
    )
    assert review == ["obj-kinds", "obj-use"]
    view.locator('[data-action="retake"]').click()
    answer_posttest(page, right=True)
    view.locator('[data-action="submit"]').click()
    assert view.locator("[data-result]").get_attribute("data-result") == "passed"
    assert view.locator("[data-result]").get_attribute("data-score") == "100"

    # Evaluation, then the completion screen.
    page.click('[data-action="next"]')
    ev = page.locator('[data-page-id="evaluation:evaluation"]')
    ev.locator('[data-action="submit"]').click()
    assert "1" in ev.locator("[data-form-error]").inner_text()
    ev.locator('[data-item-id="eval-kinds"] [data-choice-id="4"]').check()
    ev.locator('[data-item-id="eval-comments"] textarea').fill("Great <b>course</b>")
    ev.locator('[data-action="submit"]').click()
    page.wait_for_selector("[data-evaluation-done]")
    page.click('[data-action="next"]')
    assert page.get_attribute("[data-completion]", "data-completion") == "passed"

    state = page.evaluate("window.scormbuildPlayer.suspendData()")
    assert len(state) == max_suspend_data_length(course)
    page.reload()
    page.wait_for_selector(READY)
    assert page.get_attribute("[data-completion]", "data-completion") == "passed"


def answer_posttest(page: Page, right: bool) -> None:
    view = page.locator('[data-page-id="posttest:post-test"]')

    def q(qid: str) -> Any:
        return view.locator(f'[data-question-id="{qid}"]')

    q("pt-kinds").locator(f'[data-choice-id="{"three" if right else "two"}"]').check()
    q("pt-tf").locator(f'[data-choice-id="{"true" if right else "false"}"]').check()
    for cid in ("gear", "cog", "spoon", "sprocket"):
        q("pt-multi").locator(f'[data-choice-id="{cid}"]').set_checked(
            (cid != "spoon") if right else cid == "spoon"
        )
    pairs = {"gear": "turn", "cog": "hold", "sprocket": "chain"}
    wrong = {"gear": "hold", "cog": "chain", "sprocket": "turn"}
    for src, tgt in (pairs if right else wrong).items():
        q("pt-match").locator(f'select[data-source-id="{src}"]').select_option(tgt)
    order = ["open", "oil", "close"] if right else ["close", "oil", "open"]
    for pos, cid in enumerate(order, start=1):
        q("pt-order").locator(f'select[data-position="{pos}"]').select_option(cid)


def test_text_is_never_html(page: Page, course: dict[str, Any], tmp_path: Path) -> None:
    course["title"] = "<img src=x onerror=alert(1)>Widgets"
    course["objectives"][0]["text"] = "<b>bold</b>"
    page.goto(write_package(course, tmp_path / "sco").as_uri())
    page.wait_for_selector(READY)
    assert page.locator("img[src=x]").count() == 0
    assert "<b>bold</b>" in page.inner_text("[data-sb-view]")


@pytest.fixture
def mock_lms(static_server: Callable[..., Any], course: dict[str, Any], tmp_path: Path) -> Any:
    write_package(course, tmp_path / "sco")
    (tmp_path / "lms").mkdir()
    (tmp_path / "lms" / "lms.html").write_text(MOCK_LMS)
    (tmp_path / "lms" / "middle.html").write_text(MIDDLE)
    return static_server(mounts={"/sco/": tmp_path / "sco", "/lms/": tmp_path / "lms"})


def calls(page: Page) -> list[list[str]]:
    result: list[list[str]] = page.evaluate("calls")
    return result


def test_api_found_through_a_cross_origin_frame(page: Page, mock_lms: Any) -> None:
    sco = mock_lms.url("/sco/index.html")
    # The middle frame is served as "localhost": another origin than 127.0.0.1.
    middle = mock_lms.url("/lms/middle.html").replace("127.0.0.1", "localhost")
    page.goto(mock_lms.url("/lms/lms.html") + "?frame=" + _q(middle + "?sco=" + _q(sco)))
    frame = page.frame_locator("#f").frame_locator("#g")
    frame.locator(READY).wait_for(state="attached")
    assert frame.locator("html").get_attribute("data-sb-tracker") == "scorm12"
    log = calls(page)
    assert log[0] == ["LMSInitialize"]
    assert ["LMSSetValue", "cmi.core.lesson_status", "incomplete"] in log
    frame.locator('[data-action="exit"]').click()
    frame.locator('[data-action="confirm-exit"]').click()  # "Save and exit" asks first
    frame.locator('[data-page-id="course:exited"]').wait_for()
    log = calls(page)
    assert [c for c in log if c[0] == "LMSFinish"] == [["LMSFinish"]]
    session = [c[2] for c in log if c[:2] == ["LMSSetValue", "cmi.core.session_time"]]
    assert session and all(re.match(TIMESPAN, s) for s in session)
    assert ["LMSSetValue", "cmi.core.exit", "suspend"] in log
    # Nothing after LMSFinish, even when the course's frame then goes away (its pagehide and
    # unload handlers run while the LMS page, which keeps the log, stays).
    page.evaluate("document.getElementById('f').remove()")
    page.wait_for_timeout(200)  # let any late callback of the removed frames run
    log = calls(page)
    finish = log.index(["LMSFinish"])
    assert log[finish + 1 :] == []


def test_api_found_through_the_opener(page: Page, mock_lms: Any) -> None:
    page.goto(mock_lms.url("/lms/lms.html"))
    with page.expect_popup() as info:
        page.evaluate("url => window.open(url, 'course')", mock_lms.url("/sco/index.html"))
    popup = info.value
    popup.wait_for_selector(READY)
    assert popup.get_attribute("html", "data-sb-tracker") == "scorm12"
    popup.close(run_before_unload=True)
    page.wait_for_function("calls.some(c => c[0] === 'LMSFinish')")
    log = calls(page)
    assert len([c for c in log if c[0] == "LMSFinish"]) == 1
    finish = log.index(["LMSFinish"])
    assert all(c[0] != "LMSSetValue" for c in log[finish:])


def _q(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def test_worst_case_in_the_browser_matches(
    page: Page, course: dict[str, Any], tmp_path: Path
) -> None:
    page.goto(write_package(course, tmp_path / "sco").as_uri())
    page.wait_for_selector(READY)
    assert page.evaluate("window.scormbuildPlayer.maxSuspendLength()") == max_suspend_data_length(
        course
    )
    assert json.loads(json.dumps(page.evaluate("window.scormbuildPlayer.state()")))["loc"] == 0


def test_course_without_post_test_reports_completed(
    page: Page, static_server: Callable[..., Any], course: dict[str, Any], tmp_path: Path
) -> None:
    course["assessment"] = None
    course["evaluation"] = None
    write_package(course, tmp_path / "sco")
    (tmp_path / "lms").mkdir()
    (tmp_path / "lms" / "lms.html").write_text(MOCK_LMS)
    server = static_server(mounts={"/sco/": tmp_path / "sco", "/lms/": tmp_path / "lms"})
    page.goto(server.url("/lms/lms.html") + "?frame=" + _q(server.url("/sco/index.html")))
    sco = page.frame_locator("#f")
    sco.locator(READY).wait_for(state="attached")
    while sco.locator('[data-page-id="course:completion"]').count() == 0:
        sco.locator('[data-action="next"]').click()
    assert sco.locator("[data-completion]").get_attribute("data-completion") == "completed"
    log = calls(page)
    statuses = [c[2] for c in log if c[:2] == ["LMSSetValue", "cmi.core.lesson_status"]]
    assert statuses == ["incomplete", "completed"]
    assert ["LMSSetValue", "cmi.core.exit", ""] in log
    assert not [c for c in log if c[1:2] == ["cmi.core.score.raw"]]
