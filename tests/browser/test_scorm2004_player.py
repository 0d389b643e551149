"""The SCORM 2004 player in real Chromium against a real LMS runtime (issue 12, Part 2).

Every SCORM 1.2 scenario of test_scorm12_player.py, ported: the built ``--target scorm2004``
package runs inside tests/support/lms/harness2004.html (scorm-again's Scorm2004API as
``window.API_1484_11``, every call logged with its error code; any non-zero code fails) and is
driven only through the hooks of docs/automation.md, by the same walker as SCORM 1.2. Expected
statuses, scores and interaction records are computed here from the course outline and the
SCORM 2004 rules (shared/reference/scorm2004.md), never copied from the player's output.

One browser (the session's) and one built package per module; each scenario opens its own
LMS site and browser context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from support import scenarios as steps
from support.build import Built, outline, run_cli, unzip
from support.coursegen import edited_course, write_course
from support.env import SAMPLE_COURSE
from support.lms import LmsOptions, LmsSite
from support.lms2004 import (
    DURATION_RE,
    SCORM2004,
    TIMESTAMP_RE,
    Lms2004Session,
    accepted_values,
    assert_session_ok,
    calls,
    last_value,
    passing_score,
    records,
    sets,
)
from support.server import StaticServer
from support.walker import Attempt, Walker, expected_score

pytestmark = pytest.mark.browser

OpenLms = Callable[..., Lms2004Session]
INTERACTION_RE = re.compile(r"cmi\.interactions\.\d+\..+")
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching",
                     "performance", "sequencing", "likert", "numeric", "other"}
DESCRIPTION_LIMIT = 250  # SCORM 2004 RTE: cmi.interactions.n.description SPM
_LARGEST_RE = re.compile(r"largest[^\n]*?state[^\n]*?:\s*([0-9][0-9,]*)", re.IGNORECASE)


# -- building and opening ------------------------------------------------------------------------
def build_2004(src: Path, out: Path) -> Built:
    """``scormbuild build SRC -o OUT -t scorm2004``: the one SCORM 2004 zip it wrote."""
    proc = run_cli("build", str(src), "-o", str(out), "-t", "scorm2004")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (zip_path,) = out.glob("*-scorm2004.zip")
    m = _LARGEST_RE.search(proc.stdout)
    largest = int(m.group(1).replace(",", "")) if m else None
    return Built(zip_path, proc.stdout, proc.stderr, largest)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_2004(SAMPLE_COURSE, tmp_path_factory.mktemp("dist2004"))


@pytest.fixture(scope="module")
def sco_dir(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package unpacked once for the module (the SCO never writes to its folder)."""
    return unzip(built.zip_path, tmp_path_factory.mktemp("sco2004"))


@pytest.fixture
def lms(chromium: Browser, npm_tools: Path, sco_dir: Path,
        tmp_path: Path) -> Iterator[OpenLms]:
    """Factory: ``lms(options=..., cmi=..., sco=<unpacked folder>)`` opens the SCO in the
    SCORM 2004 harness on a fresh 127.0.0.1 site and returns the open session."""
    sites: list[LmsSite] = []

    def open_course(options: LmsOptions | None = None, cmi: dict[str, Any] | None = None,
                    sco: Path | None = None, passing: str | None = "manifest") -> Lms2004Session:
        folder = sco or sco_dir
        site = LmsSite(folder)
        sites.append(site)
        session = Lms2004Session(
            browser=chromium, site=site, options=options or LmsOptions(), cmi=cmi or {},
            mastery_score=passing_score(folder) if passing == "manifest" else passing,
        )
        return session.open()

    yield open_course
    for site in sites:
        site.stop()


# -- expectations ------------------------------------------------------------------------------
def pattern_2004(q: dict[str, Any], response: Sequence[str]) -> str:
    """A response in SCORM 2004 syntax with the author's ids (RTE 4.2.9.1)."""
    kind = q["type"]
    if kind == "true-false":
        return response[0]
    if kind == "matching":
        sources = [s["id"] for s in q["sources"]]
        pairs = sorted((p.split(".", 1) for p in response), key=lambda st: sources.index(st[0]))
        return "[,]".join(f"{s}[.]{t}" for s, t in pairs)
    if kind == "multiple":
        ids = [c["id"] for c in q["choices"]]
        response = sorted(response, key=ids.index)  # source order
    return "[,]".join(response)


def type_2004(q: dict[str, Any]) -> str:
    return {"single": "choice", "multiple": "choice"}.get(q["type"], q["type"])


def assert_interactions(log: list[dict[str, Any]], course: dict[str, Any],
                        attempts: list[Attempt]) -> None:
    """One record per post-test answer of every attempt, in SCORM 2004 syntax with the author's
    ids; every other record (survey, certificate) valid SCORM 2004 too."""
    questions = {q["id"]: q for q in course["assessment"]["questions"]}
    every = records(log, "interactions")
    for rec in every:
        assert rec.get("type") in INTERACTION_TYPES, rec
        assert TIMESTAMP_RE.match(rec.get("timestamp", "")), rec
        assert rec.get("result") in ("correct", "incorrect", "neutral"), rec
        assert len(rec.get("description", "")) <= DESCRIPTION_LIMIT, rec
    found = [r for r in every if r["id"] in questions]
    per_attempt = len(questions)
    assert len(found) == per_attempt * len(attempts), (len(found), len(attempts))
    for n, attempt in enumerate(attempts):
        chunk = found[n * per_attempt:(n + 1) * per_attempt]
        assert sorted(r["id"] for r in chunk) == sorted(questions), f"attempt {n + 1}: ids"
        for rec in chunk:
            q = questions[rec["id"]]
            assert rec["type"] == type_2004(q), rec
            assert rec["learner_response"] == pattern_2004(q, attempt.responses[q["id"]]), rec
            assert rec["correct_responses.0.pattern"] == pattern_2004(q, q["correct"]), rec
            assert rec["result"] == ("correct" if attempt.correct[q["id"]] else "incorrect"), rec
            assert float(rec["weighting"]) == 1, rec
            assert DURATION_RE.match(rec["latency"]), rec
            assert rec["objectives.0.id"] == q["objective"], rec
            assert rec["description"] == " ".join(q["prompt"].split())[:DESCRIPTION_LIMIT], rec


def assert_score(log: list[dict[str, Any]], raw: float) -> None:
    """score.scaled/raw/min/max set, all before the success status that depends on them."""
    assert float(last_value(log, "cmi.score.raw") or "nan") == pytest.approx(raw, abs=0.01)
    assert float(last_value(log, "cmi.score.scaled") or "nan") == pytest.approx(raw / 100,
                                                                                abs=0.0001)
    assert float(last_value(log, "cmi.score.min") or "nan") == 0
    assert float(last_value(log, "cmi.score.max") or "nan") == 100
    last_score = max(e["seq"] for e in sets(log, re.compile(r"cmi\.score\..+")))
    assert any(e["seq"] > last_score for e in sets(log, "cmi.success_status")), (
        "success_status not set after the score")


def objective_status(log: list[dict[str, Any]]) -> dict[str, str]:
    """cmi.objectives by id: the last success_status the SCO set."""
    out: dict[str, str] = {}
    ids: dict[int, str] = {}
    pat = re.compile(r"cmi\.objectives\.(\d+)\.(id|success_status)")
    for e in log:
        m = pat.fullmatch(e["args"][0]) if e["fn"] == "SetValue" and e["ret"] == "true" else None
        if m and m.group(2) == "id":
            ids[int(m.group(1))] = e["args"][1]
        elif m:
            out[ids[int(m.group(1))]] = e["args"][1]
    return out


def expected_objectives(course: dict[str, Any], attempt: Attempt) -> dict[str, str]:
    """An objective is passed when every post-test question on it was answered correctly."""
    result: dict[str, str] = {}
    for q in course["assessment"]["questions"]:
        ok = attempt.correct[q["id"]]
        result[q["objective"]] = "passed" if ok and result.get(q["objective"]) != "failed" \
            else "failed"
    return result


# -- scenarios ---------------------------------------------------------------------------------
def test_walk_whole_course_and_pass(lms: OpenLms, sample_outline: dict[str, Any]) -> None:
    """Every view, the post-test passed, the survey: completed and passed reported apart,
    score before success, one interaction per answer in 2004 syntax, objectives passed, the
    survey's text as a learner comment, exit normal, exitAll, one Terminate, no API error."""
    session = lms()
    walker = Walker(session.sco, sample_outline)
    assert walker.view() == "course:menu"
    assert session.frame.evaluate("() => document.documentElement.dataset.sbTracker") == \
        "scorm2004"
    assert walker.walk_course() == "passed"
    attempt = walker.attempts[0]
    expected = expected_score(list(attempt.correct.values()))
    assert float(attempt.score) == expected == 100
    # The attestation completes the certificate rules: its record goes to the LMS.
    walker.loc("input[data-attestation]").check()
    assert session.page is not None
    session.page.wait_for_function(
        "() => harness.log.some(e => e.fn === 'SetValue' && e.args[1] === 'course:certificate')",
        timeout=10_000)
    cmi = session.cmi_json()
    log = steps.exit_course(session)

    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.completion_status") == "completed"
    assert last_value(log, "cmi.success_status") == "passed"
    assert_score(log, expected)
    assert_interactions(log, sample_outline, walker.attempts)
    assert last_value(log, "cmi.exit") == "normal"
    assert last_value(log, "adl.nav.request") == "exitAll"
    assert objective_status(log) == {o["id"]: "passed" for o in sample_outline["objectives"]}
    # Survey: likert answers as interactions, free text as a learner comment.
    every = records(log, "interactions")
    likert = [r for r in every if r["id"].startswith("evaluation:")]
    scales = {i["id"]: i for i in sample_outline["evaluation"]["items"] if i["type"] == "likert"}
    assert sorted(r["id"] for r in likert) == sorted(f"evaluation:{i}" for i in scales)
    for rec in likert:
        assert rec["type"] == "likert" and rec["result"] == "neutral", rec
        assert 1 <= int(rec["learner_response"]) <= len(scales[rec["id"][11:]]["scale"]), rec
    (certificate,) = [r for r in every if r["id"] == "course:certificate"]
    assert certificate["type"] == "fill-in" and certificate["result"] == "neutral"
    assert re.fullmatch(r"\S+\[,\]\d{4}-\d{2}-\d{2}", certificate["learner_response"])
    comments = records(log, "comments_from_learner")
    assert {"comment": "Clear and useful.", "location": "eval-comments"}.items() <= \
        comments[0].items()
    # scorm-again's own record agrees with the log.
    assert cmi["completion_status"] == "completed" and cmi["success_status"] == "passed"
    committed = session.committed()
    assert committed is not None and committed["completion_status"] == "completed"


def test_fail_then_retake_and_pass(lms: OpenLms, sample_outline: dict[str, Any]) -> None:
    """A failed first attempt with a retake left: completion stays incomplete, the score is
    reported, objectives answered wrongly are failed; the passing retake reports passed."""
    session = lms()
    walker = Walker(session.sco, sample_outline)
    questions = sample_outline["assessment"]["questions"]
    walker.walk_to(walker.posttest_view)
    first = walker.take_posttest(right=[questions[0]["id"]])
    assert first.result == "failed"
    mid = session.log()
    assert last_value(mid, "cmi.completion_status") == "incomplete"
    # A retake is left: no verdict yet (completion.js's policy), whatever the score.
    assert accepted_values(mid, "cmi.success_status") == []
    assert float(last_value(mid, "cmi.score.raw") or "nan") == pytest.approx(
        expected_score(list(first.correct.values())), abs=0.01)
    assert objective_status(mid) == expected_objectives(sample_outline, first)

    assert walker.walk_course(attempts=[None]) == "passed"
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.completion_status") == "completed"
    assert last_value(log, "cmi.success_status") == "passed"
    assert_score(log, 100)
    assert_interactions(log, sample_outline, walker.attempts)
    assert objective_status(log) == {o["id"]: "passed" for o in sample_outline["objectives"]}


@pytest.mark.parametrize(("reporting", "completion", "success"), [
    ("passed-incomplete", "incomplete", None), ("passed-failed", "completed", "failed")])
def test_attempts_exhausted_without_passing(
    lms: OpenLms, sample_outline: dict[str, Any], tmp_path: Path, reporting: str,
    completion: str, success: str | None,
) -> None:
    """Every attempt failed: the reporting mode decides, as in SCORM 1.2 (shared/reference/
    scorm12.md: some LMSs lock an attempt after "failed"): passed-incomplete reports no
    verdict and leaves the course incomplete; passed-failed reports failed and completed. The
    retake is no longer offered; the completion screen says failed."""
    built = build_2004(edited_course(SAMPLE_COURSE, tmp_path / "src", reporting=reporting),
                       tmp_path / "dist")
    session = lms(sco=unzip(built.zip_path, tmp_path / "sco"))
    walker = Walker(session.sco, sample_outline)
    steps.fail_every_attempt(walker, sample_outline)
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert accepted_values(log, "cmi.success_status") == ([success] if success else [])
    assert last_value(log, "cmi.completion_status") == completion
    raw = float(last_value(log, "cmi.score.raw") or "nan")
    assert raw == 0 and float(last_value(log, "cmi.score.scaled") or "nan") == 0
    assert_interactions(log, sample_outline, walker.attempts)
    assert set(objective_status(log).values()) == {"failed"}


def test_lms_passing_score_decides_success(lms: OpenLms, sample_outline: dict[str, Any]) -> None:
    """The LMS sets cmi.scaled_passing_score 0.5 (the course's pass mark is 80): a score of
    60 is a pass for the LMS and for the learner alike, in the player's own result screen and
    in what the SCO reports (docs/scorm2004.md)."""
    session = lms(passing="0.5")
    walker = Walker(session.sco, sample_outline)
    questions = sample_outline["assessment"]["questions"]
    right = [q["id"] for q in questions[: round(len(questions) * 0.6)]]
    walker.walk_to(walker.posttest_view)
    attempt = walker.take_posttest(right=right)
    score = expected_score(list(attempt.correct.values()))
    assert 50 <= score < sample_outline["assessment"]["passing_score"]
    assert attempt.result == "passed"  # the LMS's pass mark, on the learner's screen too
    assert session.sco.locator("[data-result]").first.inner_text().count("Pass mark: 50%") == 1
    log = session.log()
    assert last_value(log, "cmi.success_status") == "passed"  # the LMS's threshold
    assert session.cmi_json()["success_status"] == "passed"
    assert_session_ok(steps.exit_course(session))
    steps.assert_clean(session)


def test_reload_mid_module_resumes_same_page_and_answers(
    lms: OpenLms, sample_outline: dict[str, Any]
) -> None:
    """Leave in the middle of module 2: the next session (a fresh browser, only the LMS
    record, cmi.entry resume) opens the same page with the same knowledge-check answers."""
    session = lms()
    left = steps.leave_mid_module(session, sample_outline)
    first_log = session.close()
    assert_session_ok(first_log)
    assert last_value(first_log, "cmi.exit") == "suspend"
    assert last_value(first_log, "adl.nav.request") == "suspendAll"
    assert last_value(first_log, "cmi.location") == left.target

    resumed = session.next_session()
    assert resumed.cmi["entry"] == "resume"
    steps.assert_resumed_mid_module(resumed, sample_outline, left)
    log = steps.exit_course(resumed)
    assert_session_ok(log)
    steps.assert_clean(session)
    steps.assert_clean(resumed)
    assert accepted_values(log, "cmi.completion_status") in ([], ["incomplete"])
    assert accepted_values(log, "cmi.success_status") == []


def test_reload_mid_posttest_resumes_same_answers_and_shuffle(
    lms: OpenLms, sample_outline: dict[str, Any]
) -> None:
    """Leave half-way through the post-test: the next session shows the same answers in the
    same (shuffled) order, and the attempt can be finished and passed."""
    session = lms()
    walker = Walker(session.sco, sample_outline)
    half = steps.answer_half_posttest(walker)
    first_log = session.close()
    assert_session_ok(first_log)
    assert last_value(first_log, "cmi.location") == walker.posttest_view

    resumed = session.next_session()
    walker = Walker(resumed.sco, sample_outline)
    steps.assert_same_posttest(walker, half)
    assert walker.walk_course() == "passed"
    log = steps.exit_course(resumed)
    assert_session_ok(log)
    steps.assert_clean(resumed)
    assert last_value(log, "cmi.success_status") == "passed"
    assert_interactions(log, sample_outline, walker.attempts)


@pytest.mark.parametrize("how", ["close-tab", "close-tab-beforeunload", "frame-navigated-away"])
def test_abrupt_close_keeps_last_answer_and_finishes(
    lms: OpenLms, sample_outline: dict[str, Any], how: str
) -> None:
    """The last answer is committed when given; an abrupt end still Terminates once with
    exit suspend, and the next session shows the answer."""
    session = lms()
    q, answer = steps.answer_and_see_it_committed(session, sample_outline, SCORM2004)
    final = steps.end_abruptly(session, how)
    assert_session_ok(final)
    assert last_value(final, "cmi.exit") == "suspend"
    steps.assert_answer_resumed(session, sample_outline, q, answer)
    steps.assert_clean(session)


def test_no_lms_course_works_and_state_survives_reload(
    chromium: Browser, sco_dir: Path, sample_outline: dict[str, Any],
    static_server: Callable[..., StaticServer],
) -> None:
    """The 2004 package served on its own (no API_1484_11 anywhere): standalone takes over,
    says so, keeps state across a reload, and the course can be completed."""
    server = static_server(root=sco_dir)
    steps.walk_standalone(chromium, server.url("/index.html"), server.origin, sample_outline)


def test_lms_refusing_commits_warns_and_course_stays_usable(
    lms: OpenLms, sample_outline: dict[str, Any]
) -> None:
    """Commit answers "false" with error 391 every time: a warning, nothing throws, the
    course can be completed."""
    session = lms(options=LmsOptions(refuse_commits=True))
    log = steps.walk_with_warning(session, sample_outline, warned_from_start=True)
    assert_session_ok(log)
    steps.assert_clean(session)
    commits = calls(log, "Commit")
    assert commits and all(e["ret"] == "false" and e.get("injected") for e in commits)
    assert last_value(log, "cmi.success_status") == "passed"


def test_lms_without_interactions_warns_and_course_stays_usable(
    lms: OpenLms, sample_outline: dict[str, Any]
) -> None:
    session = lms(options=LmsOptions(no_interactions=True))
    log = steps.walk_with_warning(session, sample_outline, warned_from_start=False)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.success_status") == "passed"
    assert_score(log, 100)
    assert not sets(log, INTERACTION_RE), "kept writing interactions the LMS does not have"


def _assert_state_budget(session: Lms2004Session, built: Built, course: dict[str, Any],
                         attempts: list[list[str] | None], fast: bool = False) -> None:
    # scorm-again refuses more than 64,000 characters: assert_session_ok fails.
    steps.assert_state_budget(session, built, course, attempts, 64_000, SCORM2004,
                              assert_session_ok, fast=fast)


def test_largest_state_fits_sample_course(lms: OpenLms, built: Built,
                                          sample_outline: dict[str, Any]) -> None:
    session = lms()
    tries = max(1, sample_outline["assessment"]["attempts"])
    _assert_state_budget(session, built, sample_outline, [[] for _ in range(tries - 1)] + [None])


def test_largest_state_fits_300_question_course(lms: OpenLms, tmp_path: Path) -> None:
    """300 questions of every type: the build's worst case and the runtime agree."""
    src = write_course(tmp_path / "src", questions=300)
    built = build_2004(src, tmp_path / "dist")
    course = outline(src)
    session = lms(sco=unzip(built.zip_path, tmp_path / "sco"))
    _assert_state_budget(session, built, course, [None], fast=True)


def test_review_mode_shows_saved_answers_and_writes_nothing(
    lms: OpenLms, sample_outline: dict[str, Any]
) -> None:
    """cmi.mode review: saved answers shown read-only, nothing written to the record."""
    session = lms()
    review = steps.open_review(session, sample_outline, assert_session_ok)
    log = review.close()
    assert_session_ok(log, finished=False)
    assert len(calls(log, "Terminate")) <= 1
    written = {e["args"][0] for e in calls(log, "SetValue")}
    assert not written, f"review mode wrote {sorted(written)}"
    steps.assert_clean(review)


@pytest.mark.parametrize("launch", ["nested", "popup"])
def test_api_found_behind_cross_origin_frame_and_from_popup(
    lms: OpenLms, sample_outline: dict[str, Any], launch: str
) -> None:
    """API_1484_11 found past a frame of another origin, and through window.opener."""
    session = lms(options=LmsOptions(launch=launch))
    walker = Walker(session.sco, sample_outline)
    assert steps.launch_setup(session) == launch
    assert session.frame.evaluate("() => document.documentElement.dataset.sbTracker") == \
        "scorm2004"
    assert walker.walk_course() == "passed"
    log = steps.exit_course(session)
    assert_session_ok(log)
    steps.assert_clean(session)
    assert last_value(log, "cmi.success_status") == "passed"
    assert_interactions(log, sample_outline, walker.attempts)
