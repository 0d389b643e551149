"""CE completion in real Chromium against scorm-again (issue 6): completion rules, seat time,
the certificate, and the evidence the LMS gets.

Every LMS scenario runs the built package in tests/support/lms/harness.html and drives the
player only through the hooks of docs/automation.md; every LMS API call must end with error
code 0. Expected values (names, dates, likert responses) are computed here, never read back
from the player and compared with themselves.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page
from support.build import Built
from support.env import SAMPLE_COURSE
from support.lms import (
    SESSION_TIME_RE,
    LmsOptions,
    LmsSession,
    assert_no_errors,
    assert_session_ok,
    interactions,
    last_value,
)
from support.server import StaticServer
from support.walker import LETTERS, Walker

pytestmark = pytest.mark.browser

OpenLms = Callable[..., LmsSession]
COMPLETION = "course:completion"
CERT_ID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")  # Crockford base 32
XSS = "<img src=x onerror=alert(1)>"
# The learner's local date as the player computes it (the browser's, not this process's).
LOCAL_DATE_JS = """() => { const d = new Date();
  return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'),
          String(d.getDate()).padStart(2, '0')].join('-'); }"""


# -- helpers (additions to the walker live here, not in tests/support) -----------------------
def course_copy(tmp_path: Path, completion: dict[str, Any] | None = None,
                approvals: list[dict[str, str]] | None = None) -> Path:
    """A copy of the sample course with a ``completion`` block and/or other approvals."""
    dest = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, dest)
    path = dest / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if completion is not None:
        data["completion"] = completion
    if approvals is not None:
        data["ce"]["approvals"] = approvals
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def to_completion(walker: Walker) -> None:
    walker.goto(COMPLETION)


def missing(walker: Walker) -> dict[str, str]:
    """The completion view's to-do list: data-missing key -> the text it shows."""
    items = walker.loc("[data-missing]")
    keys = items.evaluate_all("els => els.map(e => e.dataset.missing)")
    return dict(zip(keys, items.all_inner_texts(), strict=True))


def attest(walker: Walker) -> None:
    walker.loc("input[data-attestation]").check()


def certificate_facts(root: Any) -> dict[str, str]:
    """The certificate's <dt>/<dd> pairs as text."""
    cert = root.locator("[data-certificate]")
    dts = cert.locator("dt").all_inner_texts()
    dds = cert.locator("dd").all_inner_texts()
    return dict(zip(dts, dds, strict=True))


def finish_session(session: LmsSession) -> list[dict[str, Any]]:
    walker = Walker(session.sco, {})
    walker.click_action("exit")
    walker.wait_view("course:exited")
    return session.close()


def open_standalone(browser: Browser, server: StaticServer) -> tuple[Any, Page, list[str]]:
    """The package opened as the top-level page with no LMS (the standalone tracker)."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url("/index.html"))
    Walker(page, {}).wait_ready()
    return context, page, errors


def assert_clean(session: LmsSession) -> None:
    assert not session.page_errors, session.page_errors
    assert not session.external_requests, session.external_requests


@pytest.fixture
def sample_zip(sample_build: Built) -> Path:
    return sample_build.zip_path


# -- completion rules ------------------------------------------------------------------------
def test_failing_the_post_test_shows_no_certificate(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """A failed attempt, even with the evaluation and the attestation done, gives no
    certificate (the to-do list says to pass the post-test); once the attempts are used up the
    view says failed and offers neither certificate nor attestation."""
    session = lms(sample_zip)
    walker = Walker(session.sco, sample_outline)
    walker.walk_to(walker.posttest_view)
    assert walker.take_posttest(right=[]).result == "failed"
    walker.goto(f"evaluation:{sample_outline['evaluation']['id']}")
    walker.fill_evaluation()
    to_completion(walker)
    attest(walker)
    assert walker.loc("[data-completion]").get_attribute("data-completion") == "pending"
    assert missing(walker) == {"posttest": "Pass the post-test"}
    assert walker.loc("[data-certificate]").count() == 0

    walker.goto(walker.posttest_view)
    walker.retake()
    assert walker.take_posttest(right=[]).attempts_left == "0"
    to_completion(walker)
    assert walker.loc("[data-completion]").get_attribute("data-completion") == "failed"
    assert walker.loc("[data-certificate]").count() == 0
    assert walker.loc("[data-attestation]").count() == 0
    assert session.player("p.state().cert.day") == 0
    log = finish_session(session)
    assert_session_ok(log)
    assert_clean(session)
    assert not [r for r in interactions(log) if r["id"] == "course:certificate"]


def test_passing_without_the_evaluation_says_what_is_missing(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """Passed, but no evaluation and no attestation: both are listed in plain words, the
    attestation alone does not issue the certificate, and the to-do item leads to the
    evaluation."""
    session = lms(sample_zip)
    walker = Walker(session.sco, sample_outline)
    walker.walk_to(walker.posttest_view)
    assert walker.take_posttest().result == "passed"
    to_completion(walker)
    assert walker.loc("[data-completion]").get_attribute("data-completion") == "pending"
    assert missing(walker) == {
        "evaluation": "Complete the evaluation",
        "attestation": "Confirm the attestation below",
    }
    assert walker.loc("[data-certificate]").count() == 0
    attest(walker)
    assert missing(walker) == {"evaluation": "Complete the evaluation"}
    assert walker.loc("[data-certificate]").count() == 0
    assert walker.loc("input[data-attestation]").is_checked()
    walker.loc('[data-missing="evaluation"] [data-goto]').click()
    walker.wait_view(f"evaluation:{sample_outline['evaluation']['id']}")
    assert_no_errors(session.log())
    assert_clean(session)


def test_rules_can_be_switched_off(
    lms: OpenLms, course_builder: Callable[[Path], Built], sample_outline: dict[str, Any],
    tmp_path: Path,
) -> None:
    """evaluation_required and attestation_required false: passing the post-test is enough."""
    src = course_copy(tmp_path, {"evaluation_required": False, "attestation_required": False})
    session = lms(course_builder(src).zip_path)
    walker = Walker(session.sco, sample_outline)
    walker.walk_to(walker.posttest_view)
    walker.take_posttest()
    to_completion(walker)
    walker.loc("[data-certificate]").wait_for()
    assert walker.loc("[data-attestation]").count() == 0
    assert walker.loc("[data-missing]").count() == 0
    assert_no_errors(session.log())


# -- the certificate and the evidence ----------------------------------------------------------
def test_everything_done_shows_the_certificate_and_tells_the_lms(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """Post-test passed, evaluation submitted, attestation confirmed: the certificate shows the
    LMS learner name as "First Last", the CE facts, the date and a certificate number; the LMS
    gets the likert answers and the certificate as interactions; a later session shows the same
    certificate (number and date are kept in suspend_data)."""
    session = lms(sample_zip, LmsOptions(student_name="Doe, Jane"))
    walker = Walker(session.sco, sample_outline)
    assert walker.walk_course() == "passed"
    assert missing(walker) == {"attestation": "Confirm the attestation below"}
    attest(walker)
    cert = walker.loc("[data-certificate]")
    cert.wait_for()
    today = session.frame.evaluate(LOCAL_DATE_JS)

    assert cert.locator("[data-certificate-name]").inner_text() == "Jane Doe"
    facts = certificate_facts(session.sco)
    course = yaml.safe_load((SAMPLE_COURSE / "course.yaml").read_text(encoding="utf-8"))
    ce = course["ce"]
    assert facts["Credit"] == f"{float(ce['hours']):.1f} {ce['credit_type']}"
    assert facts["Course number"] == ce["course_number"]
    assert facts["Format"] == ce["format"]
    assert facts["Post-test score"] == "100%"
    assert cert.locator("[data-date]").get_attribute("data-date") == today
    assert str(int(today[:4])) in facts["Date of completion"]
    cert_id = cert.locator("[data-certificate-id]").get_attribute("data-certificate-id") or ""
    assert CERT_ID_RE.match(cert_id) and facts["Certificate number"] == cert_id
    assert re.fullmatch(r"(\d+ h )?\d+ min", facts["Active time in the course"])
    text = cert.inner_text()
    approval = ce["approvals"][0]
    for expected in (course["title"], approval["statement"], approval["provider_number"],
                     approval["period"], ce["provider"]["name"], ce["provider"]["contact"],
                     "Dr. Ada Example, PhD, LMFT"):
        assert expected in text, expected
    # Optional license details, typed by the learner, appear on the certificate.
    walker.loc("input[data-license-number]").fill("LCSW 12345")
    walker.loc("input[data-license-state]").fill("CA")
    assert cert.locator("[data-certificate-license]").inner_text() == "License LCSW 12345, CA"
    assert walker.loc("input[data-learner-name]").count() == 0  # the LMS gave a name

    state = session.player("p.state()")
    assert state["cert"]["attested"] == 1 and state["cert"]["day"] > 0
    log = finish_session(session)
    assert_session_ok(log)
    assert_clean(session)
    assert last_value(log, "cmi.core.exit") == ""
    records = {r["id"]: r for r in interactions(log)}
    for item in sample_outline["evaluation"]["items"]:
        key = f"evaluation:{item['id']}"
        if item["type"] != "likert":
            assert key not in records
            continue
        # The walker picks the last label of each scale.
        assert records[key]["type"] == "likert"
        assert records[key]["student_response"] == LETTERS[len(item["scale"]) - 1]
        assert records[key]["result"] == "neutral"
    record = records["course:certificate"]
    assert record["type"] == "fill-in"
    assert record["student_response"] == f"{cert_id} {today}"
    committed = session.committed()
    assert committed is not None

    again = session.next_session()
    again_walker = Walker(again.sco, sample_outline)
    if again_walker.view() != COMPLETION:
        to_completion(again_walker)
    again_cert = again.sco.locator("[data-certificate]")
    again_cert.wait_for()
    again_id = again_cert.locator("[data-certificate-id]").get_attribute("data-certificate-id")
    assert again_id == cert_id
    assert again_cert.locator("[data-date]").get_attribute("data-date") == today
    assert again.sco.locator("input[data-attestation]").is_disabled()
    again_log = finish_session(again)
    assert_session_ok(again_log)
    # Issued once: the second session does not report the certificate again.
    assert not [r for r in interactions(again_log) if r["id"] == "course:certificate"]


def test_names_from_the_lms_and_the_learner_are_text(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any], chromium: Browser,
    unpack: Callable[[Path], Path], static_server: Callable[..., StaticServer],
) -> None:
    """A learner name containing markup is shown literally and runs nothing: no dialog, no
    <img> element, whether it comes from cmi.core.student_name or is typed by the learner
    (no LMS, so no name: the name field appears)."""
    dialogs: list[str] = []
    session = lms(sample_zip, LmsOptions(student_name=XSS))
    assert session.page is not None
    session.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    walker = Walker(session.sco, sample_outline)
    walker.walk_course()
    attest(walker)
    name = walker.loc("[data-certificate] [data-certificate-name]")
    assert name.inner_text() == XSS
    walker.loc("input[data-license-number]").fill(XSS)
    assert walker.loc("[data-certificate-license]").inner_text() == f"License {XSS}"
    assert walker.loc("[data-certificate] img").count() == 0
    assert session.frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert_no_errors(session.log())
    assert_clean(session)

    context, page, errors = open_standalone(chromium, static_server(unpack(sample_zip)))
    try:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        typed = Walker(page, sample_outline)
        typed.walk_course()
        attest(typed)
        page.locator("input[data-learner-name]").fill(XSS)
        assert page.locator("[data-certificate-name]").inner_text() == XSS
        assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
        page.wait_for_timeout(300)  # an onerror handler would have run by now
        assert errors == []
    finally:
        context.close()
    assert dialogs == []


# -- seat time -------------------------------------------------------------------------------
def test_seat_time_below_the_minimum_keeps_the_post_test_locked(
    lms: OpenLms, course_builder: Callable[[Path], Built], sample_outline: dict[str, Any],
    tmp_path: Path,
) -> None:
    """min_seat_minutes 2, idle_minutes 1, on Playwright's fake clock: the post-test is locked
    and says how many minutes remain; five idle minutes count as one; active minutes unlock it;
    session_time reports the active time, not the wall-clock time."""
    src = course_copy(tmp_path, {"min_seat_minutes": 2, "idle_minutes": 1})
    session = lms(course_builder(src).zip_path)
    assert session.page is not None
    clock = session.page.clock
    clock.install()
    walker = Walker(session.sco, sample_outline)
    walker.walk_to(walker.posttest_view)
    lock = walker.loc("[data-seat-lock]")
    assert lock.get_attribute("data-minutes-left") == "2"
    assert "2 more minutes" in lock.inner_text()
    assert walker.loc(f'[data-page-id="{walker.posttest_view}"] [data-question-id]').count() == 0
    assert walker.loc('[data-action="submit"]').count() == 0
    # The completion view names the post-test as missing while it is locked.
    to_completion(walker)
    assert "posttest" in missing(walker)

    clock.fast_forward("05:00")  # five minutes with no input: only one (idle_minutes) counts
    walker.goto(walker.posttest_view)
    assert lock.get_attribute("data-minutes-left") == "1"
    assert "1 more minute " in lock.inner_text()
    seat = session.player("p.state().seat")
    assert 60 <= seat < 90, seat

    for _ in range(9):  # ninety active seconds: input every ten
        session.page.mouse.move(200, 300)
        session.page.mouse.move(240, 320)
        clock.fast_forward(10_000)
    walker.goto(walker.posttest_view)
    walker.loc("[data-question-id]").first.wait_for()
    assert walker.loc("[data-seat-lock]").count() == 0
    state = session.player("p.state()")
    # 60 (idle-capped) + 90 active: more than the 60 + 60 that idle capping alone would give.
    assert state["seat"] >= 145, state["seat"]
    assert sum(state["mseat"]) <= state["seat"]  # per-module time is part of the total
    log = finish_session(session)
    assert_session_ok(log)
    assert_clean(session)
    session_time = last_value(log, "cmi.core.session_time") or ""
    assert SESSION_TIME_RE.match(session_time)
    h, m, s = session_time.split(":")
    active = int(h) * 3600 + int(m) * 60 + float(s)
    # Well over six minutes passed on the clock; about two and a half were active.
    assert 120 <= active < 240, session_time


# -- printing --------------------------------------------------------------------------------
def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_certificate_prints_on_one_page(
    chromium: Browser, course_builder: Callable[[Path], Built], unpack: Callable[[Path], Path],
    static_server: Callable[..., StaticServer], sample_outline: dict[str, Any], tmp_path: Path,
) -> None:
    """The certificate alone (no navigation, no form, no to-do list) on one US Letter page and
    one A4 page, even with three long approval statements; here without an LMS (standalone),
    opened as the top-level page so Chromium's page.pdf prints the player itself."""
    long = ("Example CE Provider, provider #1234, is approved as an ACE provider to offer social "
            "work continuing education by the Association of Social Work Boards (ASWB) Approved "
            "Continuing Education (ACE) program. Regulatory boards are the final authority on "
            "courses accepted for continuing education credit. ACE provider approval period: "
            "2026-01-01 to 2028-12-31. Social workers completing this course receive 1.0 "
            "continuing education credits.")
    approvals = [{"body": f"Board {n}", "provider_number": f"{n}234", "period": "2026 to 2028",
                  "statement": long} for n in range(1, 4)]
    sco = unpack(course_builder(course_copy(tmp_path, approvals=approvals)).zip_path)
    context, page, errors = open_standalone(chromium, static_server(sco))
    try:
        walker = Walker(page, sample_outline)
        assert walker.walk_course() == "passed"
        attest(walker)
        page.locator("input[data-learner-name]").fill("Jane Doe")
        for fmt in ("Letter", "A4"):
            pdf = page.pdf(format=fmt)
            assert pdf.startswith(b"%PDF")
            assert _pdf_pages(pdf) == 1, f"{fmt}: {_pdf_pages(pdf)} pages"
        page.emulate_media(media="print")
        assert page.locator("[data-certificate]").is_visible()
        for hidden in ('[data-action="next"]', '[data-action="print"]', "input[data-attestation]",
                       "input[data-learner-name]", "[data-completion]", "h1"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("[data-certificate-name]").inner_text() == "Jane Doe"
        assert errors == []
    finally:
        context.close()
