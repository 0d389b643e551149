"""The learner's steps the SCORM 1.2 and SCORM 2004 browser scenarios share
(tests/browser/test_scorm12_player.py, test_scorm2004_player.py).

Each helper drives one part of a scenario through the walker and the harness and checks what
does not depend on the standard (the view shown, the answers read back, the shuffle); the test
modules keep the assertions on their standard's data model. A helper that reads the harness log
takes the standard's ``ApiLog`` (support/lms.py ``SCORM12``, support/lms2004.py ``SCORM2004``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser

from support.build import Built
from support.lms import ApiLog, LmsOptions, LmsSession, LogEntry, calls
from support.walker import Walker, wrong_answer


def exit_course(session: LmsSession) -> list[LogEntry]:
    """Press "Save and exit", then close the tab; return the whole session's log."""
    walker = Walker(session.sco, {})
    walker.click_action("exit")
    walker.wait_view("course:exited")
    # Closing the tab after the explicit exit must not finish a second time.
    return session.close()


def assert_clean(session: LmsSession) -> None:
    assert not session.page_errors, f"uncaught exceptions in the page: {session.page_errors}"
    assert not session.external_requests, f"requests off 127.0.0.1: {session.external_requests}"


def fail_every_attempt(walker: Walker, course: dict[str, Any],
                       before_retake: Callable[[], None] = lambda: None) -> None:
    """Fail every post-test attempt (``before_retake`` runs before each retake), then check
    the retake is gone, and finish the course: the completion screen says failed."""
    allowed = course["assessment"]["attempts"]
    assert allowed >= 1
    walker.walk_to(walker.posttest_view)
    for n in range(allowed):
        if n:
            before_retake()
            walker.retake()
        assert walker.take_posttest(right=[]).result == "failed"
    assert walker.attempts[-1].attempts_left == "0"
    assert walker.loc('[data-action="retake"]').count() == 0
    assert walker.walk_course(attempts=[]) == "failed"


@dataclass
class MidModule:
    """Where ``leave_mid_module`` left the learner."""

    check_view: str  # module 1's knowledge check, answered wrongly
    given: dict[str, list[str]]  # its answers by question id
    target: str  # the module 2 page the learner left on


def leave_mid_module(session: LmsSession, course: dict[str, Any]) -> MidModule:
    """Answer module 1's knowledge check wrongly on purpose and walk into module 2, where the
    test closes the tab (pagehide must finish the session with exit suspend)."""
    walker = Walker(session.sco, course)
    first_module, second_module = course["modules"][0], course["modules"][1]
    check_view = f"check:{first_module['id']}"
    walker.walk_to(check_view)
    walker.answer_check(check_view, correct=False)
    given = {q["id"]: wrong_answer(q) for q in first_module["questions"]}
    target = second_module["pages"][min(1, len(second_module["pages"]) - 1)]["id"]
    walker.walk_to(target)
    return MidModule(check_view, given, target)


def assert_resumed_mid_module(resumed: LmsSession, course: dict[str, Any],
                              left: MidModule) -> None:
    """The next session opens on the page left, with module 1's answers."""
    walker = Walker(resumed.sco, course)
    assert walker.view() == left.target
    walker.goto(left.check_view)
    for q in course["modules"][0]["questions"]:
        assert walker.read_answer(q) == left.given[q["id"]], q["id"]


@dataclass
class HalfPosttest:
    """The post-test as ``answer_half_posttest`` left it."""

    order: dict[str, list[str]]  # each question's (shuffled) choice order
    answers: dict[str, list[str]]  # each question's answer as read back (empty: unanswered)


def answer_half_posttest(walker: Walker) -> HalfPosttest:
    """Answer just over half of the post-test wrongly, reading back order and answers."""
    questions = walker.assessment["questions"]
    walker.walk_to(walker.posttest_view)
    order = {q["id"]: walker.choice_order(q) for q in questions}
    answered = {q["id"]: wrong_answer(q) for q in questions[: len(questions) // 2 + 1]}
    for q in questions:
        if q["id"] in answered:
            walker.set_answer(q, answered[q["id"]])
    before = {q["id"]: walker.read_answer(q) for q in questions}
    assert all(before[qid] == ans for qid, ans in answered.items())
    return HalfPosttest(order, before)


def assert_same_posttest(walker: Walker, half: HalfPosttest) -> None:
    """The resumed post-test shows the same answers in the same (shuffled) order."""
    assert walker.view() == walker.posttest_view
    for q in walker.assessment["questions"]:
        assert walker.choice_order(q) == half.order[q["id"]], f"{q['id']}: shuffle changed"
        assert walker.read_answer(q) == half.answers[q["id"]], f"{q['id']}: answer changed"


def answer_and_see_it_committed(session: LmsSession, course: dict[str, Any],
                                api: ApiLog) -> tuple[dict[str, Any], list[str]]:
    """Answer the first post-test question wrongly: the state holding it is committed when
    it is given (not at unload, where Chrome forbids the synchronous request an LMS needs).
    Returns the question and the answer."""
    walker = Walker(session.sco, course)
    q = course["assessment"]["questions"][0]
    walker.walk_to(walker.posttest_view)
    answer = wrong_answer(q)
    walker.set_answer(q, answer)
    log = session.log()
    last_state = api.sets(log, "cmi.suspend_data")[-1]
    commits_after = [e for e in calls(log, api.commit)
                     if e["seq"] > last_state["seq"] and e["ret"] == "true"]
    assert commits_after, "the answer was saved but not committed"
    session.wait_committed()
    committed = session.committed()
    assert committed is not None and committed["suspend_data"] == last_state["args"][1]
    return q, answer


def end_abruptly(session: LmsSession, how: str) -> list[LogEntry]:
    """End the session without "Save and exit": the tab closed (with or without beforeunload)
    or the SCO's frame navigated away. Returns the log."""
    if how == "frame-navigated-away":
        session.unload_sco()
        return session.log()
    return session.close(run_before_unload=how == "close-tab-beforeunload")


def assert_answer_resumed(session: LmsSession, course: dict[str, Any], q: dict[str, Any],
                          answer: list[str]) -> None:
    """The learner's next session opens the post-test with ``answer`` given to ``q``."""
    resumed = session.next_session()
    walker = Walker(resumed.sco, course)
    assert walker.view() == walker.posttest_view
    assert walker.read_answer(q) == answer


def open_review(session: LmsSession, course: dict[str, Any],
                check_log: Callable[[list[LogEntry]], None]) -> LmsSession:
    """Answer the first post-test question wrongly, leave (``check_log`` gets that session's
    log), and open the attempt again in review mode: the saved answer is shown read-only and
    no submit is offered. Returns the open review session."""
    walker = Walker(session.sco, course)
    q = course["assessment"]["questions"][0]
    walker.walk_to(walker.posttest_view)
    walker.set_answer(q, wrong_answer(q))
    check_log(session.close())
    review = session.next_session(LmsOptions(lesson_mode="review"))
    walker = Walker(review.sco, course)
    assert review.sco.locator("html").get_attribute("data-sb-mode") == "review"
    assert walker.view() == walker.posttest_view
    assert walker.read_answer(q) == wrong_answer(q)
    box = walker.question(q["id"])
    assert box.locator("input[data-choice-id]").count() > 0
    for choice in box.locator("input[data-choice-id]").all():
        assert choice.is_disabled()
    assert (
        walker.loc(f'[data-page-id="{walker.posttest_view}"] [data-action="submit"]').count() == 0
    )
    return review


def launch_setup(session: LmsSession) -> str:
    """How the SCO was launched, as the SCO's window sees it: 'popup' (a top window with an
    opener), 'nested' (a parent of another origin) or 'same-origin parent'."""
    where: str = session.frame.evaluate(
        """() => {
          if (window.opener && window.parent === window) return 'popup';
          try { void window.parent.location.href; return 'same-origin parent'; }
          catch (e) { return 'nested'; }
        }"""
    )
    return where


def walk_standalone(chromium: Browser, url: str, origin: str, course: dict[str, Any]) -> None:
    """The package served on its own (no LMS API anywhere): the standalone tracker takes
    over and tells the learner progress stays in this browser; knowledge-check and post-test
    answers and the shuffle survive a reload; the course can be completed, and the
    completion too survives a reload. No exception, no request off ``origin``."""
    context = chromium.new_context()
    page = context.new_page()
    page_errors: list[str] = []
    external: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith(origin) else external.append(req.url))
    try:
        page.goto(url)
        walker = Walker(page, course)
        walker.wait_ready()
        assert page.locator("html").get_attribute("data-sb-tracker") == "standalone"
        notice = page.locator("[data-notice]").first
        assert notice.is_visible() and notice.inner_text().strip()

        first_module = course["modules"][0]
        check_view = f"check:{first_module['id']}"
        walker.walk_to(check_view)
        walker.answer_check(check_view, correct=False)
        questions = course["assessment"]["questions"]
        walker.walk_to(walker.posttest_view)
        order = {q["id"]: walker.choice_order(q) for q in questions}
        walker.set_answer(questions[0], wrong_answer(questions[0]))

        page.reload()
        walker.wait_ready()
        assert walker.view() == walker.posttest_view
        assert walker.read_answer(questions[0]) == wrong_answer(questions[0])
        assert {q["id"]: walker.choice_order(q) for q in questions} == order
        walker.goto(check_view)
        for q in first_module["questions"]:
            assert walker.read_answer(q) == wrong_answer(q)

        assert walker.walk_course() == "passed"
        page.reload()
        walker.wait_ready()
        assert walker.view() == "course:completion"
        assert page.locator("[data-completion]").first.get_attribute("data-completion") == "passed"
    finally:
        context.close()
    assert not page_errors, page_errors
    assert not external, external


def walk_with_warning(session: LmsSession, course: dict[str, Any],
                      warned_from_start: bool) -> list[LogEntry]:
    """Walk the course and pass while the LMS misbehaves: the learner sees a warning (from
    the first view when ``warned_from_start``), not a blocked course, and "Save and exit"
    works. Returns the log."""
    walker = Walker(session.sco, course)
    if warned_from_start:
        first = walker.loc("[data-warning]").first
        first.wait_for(state="visible", timeout=10_000)
        assert first.inner_text().strip()
    assert walker.walk_course() == "passed"
    warning = walker.loc("[data-warning]").first
    assert warning.is_visible() and warning.inner_text().strip(), "no warning shown"
    return exit_course(session)


def assert_state_budget(session: LmsSession, built: Built, course: dict[str, Any],
                        attempts: list[list[str] | None], limit: int, api: ApiLog,
                        check_log: Callable[[list[LogEntry]], None], fast: bool = False,
                        ) -> None:
    """Fill every part of the learner state (``attempts`` as Walker.walk_course takes them):
    the player's largest state is the build's worst case, which fits ``limit``, and no state
    the LMS accepted is longer. ``check_log`` gets the log (the harness refuses a state over
    the standard's limit with an error)."""
    assert built.largest_state is not None, f"the build printed no state size:\n{built.stdout}"
    assert 0 < built.largest_state <= limit
    assert session.player("p.maxSuspendLength()") == built.largest_state
    walker = Walker(session.sco, course, timeout_ms=30_000, fast=fast)
    assert walker.walk_course(attempts=attempts) == "passed"
    log = exit_course(session)
    check_log(log)
    lengths = [len(v) for v in api.accepted_values(log, "cmi.suspend_data")]
    assert lengths and max(lengths) <= built.largest_state
