"""The SCORM 1.2 player in real Chromium against a real LMS runtime (issue 3, "Tests").

Every scenario runs the built package inside tests/support/lms/harness.html (scorm-again's
Scorm12API, 4,096-character suspend_data enforced, every call logged with its error code) and
drives the player only through the hooks of docs/automation.md. Expected scores, statuses and
interaction records are computed here from the course outline and the SCORM rules, never copied
from the player's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from support import scenarios as steps
from support.build import Built
from support.coursegen import edited_course, write_course
from support.env import SAMPLE_COURSE
from support.lms import (
    SCORM12,
    SESSION_TIME_RE,
    LmsOptions,
    LmsSession,
    accepted_values,
    assert_session_ok,
    calls,
    interactions,
    last_value,
    sets,
)
from support.server import StaticServer
from support.walker import (
    Attempt,
    Walker,
    expected_score,
    scorm_pattern,
    scorm_type,
)

pytestmark = pytest.mark.browser

OpenLms = Callable[..., LmsSession]
CMITIME_RE = re.compile(r"^[0-9]{2}:[0-9]{2}:[0-9]{2}$")
INTERACTION_RE = re.compile(r"cmi\.interactions\.\d+\..+")
# SCORM 1.2 interaction vocabularies (scorm12.md).
INTERACTION_ID_RE = re.compile(r"^[\x21-\x7E]{1,255}$")
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
}
INTERACTION_RESULTS = {"correct", "wrong", "unanticipated", "neutral"}


# -- helpers ---------------------------------------------------------------------------------
def assert_interactions(
    log: list[dict[str, Any]], course: dict[str, Any], attempts: list[Attempt]
) -> None:
    """One record per post-test answer of every attempt, each field as automation.md and
    scorm12.md define it. Other records (e.g. survey items) must still be valid SCORM 1.2."""
    questions = {q["id"]: q for q in course["assessment"]["questions"]}
    every = interactions(log)
    for rec in every:
        assert INTERACTION_ID_RE.match(rec.get("id", "")), rec
        assert rec.get("type") in INTERACTION_TYPES, rec
        if "result" in rec:
            assert rec["result"] in INTERACTION_RESULTS or _is_number(rec["result"]), rec
    records = [r for r in every if r["id"] in questions]
    per_attempt = len(questions)
    assert len(records) == per_attempt * len(attempts), (
        f"{len(records)} post-test interaction records for {len(attempts)} attempt(s) of "
        f"{per_attempt} questions"
    )
    for n, attempt in enumerate(attempts):
        chunk = records[n * per_attempt : (n + 1) * per_attempt]
        assert sorted(r["id"] for r in chunk) == sorted(questions), f"attempt {n + 1}: ids"
        for rec in chunk:
            q = questions[rec["id"]]
            response = attempt.responses[q["id"]]
            assert rec["type"] == scorm_type(q), rec
            assert rec["student_response"] == scorm_pattern(q, response), rec
            assert rec["correct_responses.0.pattern"] == scorm_pattern(q, q["correct"]), rec
            assert rec["result"] == ("correct" if attempt.correct[q["id"]] else "wrong"), rec
            assert float(rec["weighting"]) == 1, rec
            assert SESSION_TIME_RE.match(rec["latency"]), rec
            assert CMITIME_RE.match(rec["time"]), rec


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_score(log: list[dict[str, Any]], raw: float, mastery: str | None) -> None:
    """Score raw/min/max reported, before the status that depends on it, and consistent with
    the mastery score (Moodle recomputes passed/failed from raw vs mastery)."""
    got_raw = last_value(log, "cmi.core.score.raw")
    assert got_raw is not None, "score.raw never set"
    assert float(got_raw) == pytest.approx(raw, abs=0.01)
    assert float(last_value(log, "cmi.core.score.min") or "nan") == 0
    assert float(last_value(log, "cmi.core.score.max") or "nan") == 100
    status_sets = sets(log, "cmi.core.lesson_status")
    last_score = max(e["seq"] for e in sets(log, re.compile(r"cmi\.core\.score\.(raw|min|max)")))
    assert any(e["seq"] > last_score for e in status_sets), "status not set after the score"
    status = last_value(log, "cmi.core.lesson_status")
    if mastery is not None:
        assert (status == "passed") == (raw >= float(mastery)), (status, raw, mastery)


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture
def sample_zip(sample_build: Built) -> Path:
    return sample_build.zip_path


# -- scenarios -------------------------------------------------------------------------------
def test_walk_whole_course_and_pass(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """Every page, every knowledge check, the post-test passed, the evaluation: the LMS gets
    status passed, score 100/0/100 before it, one interaction per answer, a Moodle-strict
    session_time, exit "" and exactly one LMSFinish, with no API error."""
    session = lms(sample_zip)
    walker = Walker(session.sco, sample_outline)
    assert walker.view() == "course:menu"
    assert session.page is not None
    assert session.page.locator("#sco").count() == 1
    outcome = walker.walk_course()
    assert outcome == "passed"
    attempt = walker.attempts[0]
    assert attempt.result == "passed"
    expected = expected_score(list(attempt.correct.values()))
    assert float(attempt.score) == expected == 100
    cmi = session.cmi_json()
    log = steps.exit_course(session)

    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.core.lesson_status") == "passed"
    assert "not attempted" not in accepted_values(log, "cmi.core.lesson_status")
    assert_score(log, expected, session.mastery_score)
    assert_interactions(log, sample_outline, walker.attempts)
    assert last_value(log, "cmi.core.exit") == ""
    # scorm-again's own record agrees with the log.
    assert cmi["core"]["lesson_status"] == "passed"
    assert float(cmi["core"]["score"]["raw"]) == expected
    # The evaluation's free text reaches the LMS in cmi.comments (automation.md).
    comments = last_value(log, "cmi.comments") or ""
    assert "eval-comments: Clear and useful." in comments
    committed = session.committed()
    assert committed is not None and committed["core"]["lesson_status"] == "passed"


def test_fail_then_retake_and_pass(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """A failed first attempt reports incomplete (retakes left: some LMSs lock an attempt after
    "failed"), shows the objectives to review, then a passing retake reports passed."""
    session = lms(sample_zip)
    walker = Walker(session.sco, sample_outline)
    questions = sample_outline["assessment"]["questions"]
    first_only = [questions[0]["id"]]
    walker.walk_to(walker.posttest_view)
    first = walker.take_posttest(right=first_only)
    expected_first = expected_score(list(first.correct.values()))
    assert first.result == "failed"
    assert float(first.score) == expected_first
    assert first.attempts_left == str(sample_outline["assessment"]["attempts"] - 1)
    wrong_objectives = {q["objective"] for q in questions if not first.correct[q["id"]]}
    assert set(first.review_objectives) == wrong_objectives
    mid_log = session.log()
    assert last_value(mid_log, "cmi.core.lesson_status") == "incomplete"
    assert_score(mid_log, expected_first, session.mastery_score)

    outcome = walker.walk_course(attempts=[None])
    assert outcome == "passed"
    assert walker.attempts[1].result == "passed"
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert "failed" not in accepted_values(log, "cmi.core.lesson_status")
    assert last_value(log, "cmi.core.lesson_status") == "passed"
    assert_score(log, 100, session.mastery_score)
    assert_interactions(log, sample_outline, walker.attempts)


@pytest.mark.parametrize(
    ("reporting", "final_status"),
    [("passed-incomplete", "incomplete"), ("passed-failed", "failed")],
)
def test_attempts_exhausted_without_passing(
    lms: OpenLms,
    course_builder: Callable[[Path], Built],
    sample_outline: dict[str, Any],
    tmp_path: Path,
    reporting: str,
    final_status: str,
) -> None:
    """Every attempt failed: the status follows the reporting mode (scorm12.md), the retake
    is no longer offered, and the completion screen says failed."""
    built = course_builder(edited_course(SAMPLE_COURSE, tmp_path / reporting, reporting=reporting))
    session = lms(built.zip_path)
    walker = Walker(session.sco, sample_outline)

    def before_retake() -> None:
        # Before the last attempt the learner is never reported failed (retakes left).
        assert last_value(session.log(), "cmi.core.lesson_status") == "incomplete"

    steps.fail_every_attempt(walker, sample_outline, before_retake)
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.core.lesson_status") == final_status
    assert_score(log, 0, session.mastery_score)
    assert_interactions(log, sample_outline, walker.attempts)


def test_reload_mid_module_resumes_same_page_and_answers(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """Leave in the middle of module 2 after answering module 1's knowledge check on purpose
    wrongly; the next session (a fresh browser, only the LMS record) resumes on the same page
    with the same answers."""
    session = lms(sample_zip)
    left = steps.leave_mid_module(session, sample_outline)
    first_log = session.close()  # the tab goes away: pagehide must finish with exit=suspend
    assert_session_ok(first_log)
    assert last_value(first_log, "cmi.core.exit") == "suspend"
    assert last_value(first_log, "cmi.core.lesson_location") == left.target

    resumed = session.next_session()
    assert resumed.cmi["core"]["entry"] == "resume"
    steps.assert_resumed_mid_module(resumed, sample_outline, left)
    log = steps.exit_course(resumed)
    assert_session_ok(log)
    steps.assert_clean(session)
    steps.assert_clean(resumed)
    # A resumed learner is still in progress: never "not attempted", never passed yet.
    assert accepted_values(log, "cmi.core.lesson_status") in ([], ["incomplete"])


def test_reload_mid_posttest_resumes_same_answers_and_shuffle(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """Leave half-way through the post-test: the next session shows the post-test with the
    same answers in the same (shuffled) order, and the attempt can be finished and passed."""
    session = lms(sample_zip)
    walker = Walker(session.sco, sample_outline)
    half = steps.answer_half_posttest(walker)
    first_log = session.close()
    assert_session_ok(first_log)
    assert last_value(first_log, "cmi.core.lesson_location") == walker.posttest_view

    resumed = session.next_session()
    walker = Walker(resumed.sco, sample_outline)
    steps.assert_same_posttest(walker, half)
    outcome = walker.walk_course()
    assert outcome == "passed"
    log = steps.exit_course(resumed)
    assert_session_ok(log)
    steps.assert_clean(resumed)
    assert last_value(log, "cmi.core.lesson_status") == "passed"
    assert_interactions(log, sample_outline, walker.attempts)


@pytest.mark.parametrize("how", ["close-tab", "close-tab-beforeunload", "frame-navigated-away"])
def test_abrupt_close_keeps_last_answer_and_finishes(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any], how: str
) -> None:
    """The last answer is committed when it is given (not at unload, where Chrome forbids
    the synchronous request an LMS needs), and the abrupt end still calls LMSFinish once."""
    session = lms(sample_zip)
    q, answer = steps.answer_and_see_it_committed(session, sample_outline, SCORM12)
    final = steps.end_abruptly(session, how)
    assert_session_ok(final)
    assert last_value(final, "cmi.core.exit") == "suspend"
    steps.assert_answer_resumed(session, sample_outline, q, answer)
    steps.assert_clean(session)


def test_no_lms_course_works_and_state_survives_reload(
    chromium: Browser,
    sample_zip: Path,
    sample_outline: dict[str, Any],
    unpack: Callable[[Path], Path],
    static_server: Callable[..., StaticServer],
) -> None:
    """index.html served on its own (no API anywhere): the standalone tracker takes over, tells
    the learner progress stays in this browser, keeps state across a reload, and the whole
    course can be completed."""
    server = static_server(root=unpack(sample_zip))
    steps.walk_standalone(chromium, server.url("/index.html"), server.origin, sample_outline)


def test_lms_refusing_commits_warns_and_course_stays_usable(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """LMSCommit answers "false" with error 101 every time: the learner sees a warning,
    nothing throws, and the course can still be completed."""
    session = lms(sample_zip, options=LmsOptions(refuse_commits=True))
    log = steps.walk_with_warning(session, sample_outline, warned_from_start=True)
    assert_session_ok(log)  # injected 101s excepted, nothing else may fail
    steps.assert_clean(session)
    commits = calls(log, "LMSCommit")
    assert commits and all(e["ret"] == "false" and e.get("injected") for e in commits)
    assert last_value(log, "cmi.core.lesson_status") == "passed"


def test_lms_without_interactions_warns_and_course_stays_usable(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """cmi.interactions is not implemented (get _count: 401, set: 201): the learner sees a
    warning, nothing throws, score and status are still reported."""
    session = lms(sample_zip, options=LmsOptions(no_interactions=True))
    log = steps.walk_with_warning(session, sample_outline, warned_from_start=False)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.core.lesson_status") == "passed"
    assert_score(log, 100, session.mastery_score)
    assert interactions(log) == []
    assert not sets(log, INTERACTION_RE), "kept writing interactions the LMS does not have"


def _assert_state_budget(session: LmsSession, built: Built, outline: dict[str, Any],
                         attempts: list[list[str] | None], fast: bool = False) -> None:
    # The harness refuses more than 4,096 characters with error 405: assert_session_ok fails.
    steps.assert_state_budget(session, built, outline, attempts, 4096, SCORM12, assert_session_ok,
                              fast=fast)


def test_largest_state_fits_sample_course(
    lms: OpenLms, sample_build: Built, sample_outline: dict[str, Any]
) -> None:
    """Every page visited, every check answered, every attempt used, the survey filled: the
    state stays within the build's worst case, which fits 4,096 characters."""
    session = lms(sample_build.zip_path)
    tries = max(1, sample_outline["assessment"]["attempts"])
    plan: list[list[str] | None] = [[] for _ in range(tries - 1)] + [None]
    _assert_state_budget(session, sample_build, sample_outline, plan)


def test_largest_state_fits_300_question_course(
    lms: OpenLms, course_builder: Callable[[Path], Built], tmp_path: Path
) -> None:
    """A generated course with 300 questions of every type: the build check and the runtime
    agree, and both fit 4,096 characters."""
    from support.build import outline

    src = write_course(tmp_path / "src", questions=300)
    built = course_builder(src)
    course = outline(src)
    total = len(course["assessment"]["questions"]) + sum(
        len(m["questions"]) for m in course["modules"]
    )
    assert total == 300
    session = lms(built.zip_path)
    # One attempt: the state is fixed-width per course, and 250 questions twice is slow.
    _assert_state_budget(session, built, course, [None], fast=True)


def test_review_mode_shows_saved_answers_and_writes_nothing(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any]
) -> None:
    """An LMS opening a finished-or-suspended attempt with lesson_mode=review: the learner sees
    the saved answers, cannot change them, and the SCO writes nothing to the record."""
    session = lms(sample_zip)
    review = steps.open_review(session, sample_outline, assert_session_ok)
    log = review.close()
    assert_session_ok(log, finished=False)
    assert len(calls(log, "LMSFinish")) <= 1
    written = {e["args"][0] for e in calls(log, "LMSSetValue")}
    forbidden = {
        "cmi.core.lesson_location",
        "cmi.suspend_data",
        "cmi.core.lesson_status",
        "cmi.core.score.raw",
    }
    assert not written & forbidden, f"review mode wrote {sorted(written & forbidden)}"
    assert not any(INTERACTION_RE.fullmatch(name) for name in written)
    steps.assert_clean(review)


@pytest.mark.parametrize("launch", ["nested", "popup"])
def test_api_found_behind_cross_origin_frame_and_from_popup(
    lms: OpenLms, sample_zip: Path, sample_outline: dict[str, Any], launch: str
) -> None:
    """LMS launch setups where builders lose the API (scorm12.md): the SCO behind a frame of
    another origin (reading its window.API throws), and the SCO in a pop-up (the API is in
    window.opener). Both find the API, track, pass and finish once."""
    session = lms(sample_zip, options=LmsOptions(launch=launch))
    walker = Walker(session.sco, sample_outline)
    # The setup is what it claims: a cross-origin parent, or a top window with an opener.
    assert steps.launch_setup(session) == launch
    assert session.frame.evaluate("() => document.documentElement.dataset.sbTracker") == "scorm12"
    assert walker.walk_course() == "passed"
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.core.lesson_status") == "passed"
    assert_interactions(log, sample_outline, walker.attempts)
