"""The learner-facing polish of issue 11 on the flagship course (course_src, min_seat_minutes 0),
in the real player under the scorm-again harness: knowledge-check feedback and shuffle, the
post-test's answered count and error summary, the result screen's way on, the document title,
overall progress, the menu's first screen, the evaluation's "Thank you", and the "Save and
exit" confirmation. One build for the module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.build import build_course, outline
from support.lms import calls
from support.walker import Walker, right_answer, wrong_answer
from ux_audit import axe_violations, flagship_copy

pytestmark = pytest.mark.browser

PROGRESS = "[data-course-progress]"


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    work = tmp_path_factory.mktemp("flagship-ux")
    src = flagship_copy(work / "course")
    return build_course(src, work / "dist").zip_path, outline(src)


def module_questions(course: dict[str, Any], module_id: str) -> list[dict[str, Any]]:
    return next(m for m in course["modules"] if m["id"] == module_id)["questions"]


def test_knowledge_check_choices_are_shuffled_per_learner_and_stable_on_resume(
        lms, flagship: tuple[Path, dict[str, Any]]) -> None:
    zip_path, course = flagship
    kcs = [q for m in course["modules"] for q in m["questions"]]
    session = lms(zip_path)
    walker = Walker(session.sco, course)
    orders: dict[str, list[str]] = {}
    for m in course["modules"]:
        if m["questions"]:
            walker.goto(f"check:{m['id']}")
            orders.update({q["id"]: walker.choice_order(q) for q in m["questions"]})
    source = {q["id"]: [c["id"] for c in q.get("choices") or q.get("targets")] for q in kcs}
    # Shuffled: with 19 questions of 3-5 choices, source order everywhere would be a fluke.
    moved = [qid for qid in orders if orders[qid] != source[qid]]
    assert len(moved) >= len(kcs) // 2, f"only {moved} are shuffled"
    qs = module_questions(course, "assumptions")
    walker.goto("check:assumptions")
    walker.set_answer(qs[0], wrong_answer(qs[0]))
    walker.question(qs[0]["id"]).locator('[data-action="submit"]').click()
    session.close()

    resumed = session.next_session()
    walker = Walker(resumed.sco, course)
    assert walker.view() == "check:assumptions"
    for q in qs:
        assert walker.choice_order(q) == orders[q["id"]], f"{q['id']}: order changed on resume"
    assert walker.read_answer(qs[0]) == wrong_answer(qs[0])
    for m in course["modules"]:
        if m["questions"] and m["id"] != "assumptions":
            walker.goto(f"check:{m['id']}")
            for q in m["questions"]:
                assert walker.choice_order(q) == orders[q["id"]]
    resumed.close()

    # Another learner gets another order (a seed per learner, not one for the course).
    other = lms(zip_path)
    walker = Walker(other.sco, course)
    walker.goto("check:assumptions")
    assert [walker.choice_order(q) for q in qs] != [orders[q["id"]] for q in qs]
    other.close()


def test_knowledge_check_feedback_reads_cleanly_in_the_order_shown(
        lms, flagship: tuple[Path, dict[str, Any]]) -> None:
    zip_path, course = flagship
    session = lms(zip_path)
    walker = Walker(session.sco, course)
    walker.goto("check:assumptions")
    single, multiple = module_questions(course, "assumptions")[:2]
    walker.set_answer(single, right_answer(single))
    box = walker.question(single["id"])
    box.locator('[data-action="submit"]').click()
    text = box.locator("[data-feedback]").inner_text()
    assert box.locator("[data-feedback]").get_attribute("data-result") == "correct"
    assert text.count("Correct") == 1, text  # the verdict, not echoed by the choice feedback
    assert ".:" not in text and ". :" not in text, text
    # The rationale is a block of its own, not run on after the choice feedback.
    assert box.locator("[data-feedback] > *").count() >= 4

    # Select-all: every choice ticked (wrong), the feedback follows the order on screen.
    picked = [c["id"] for c in multiple["choices"]]
    walker.set_answer(multiple, picked)
    box = walker.question(multiple["id"])
    box.locator('[data-action="submit"]').click()
    shown = walker.choice_order(multiple)
    fed = box.locator("[data-feedback] [data-feedback-for]").evaluate_all(
        "els => els.map(e => e.dataset.feedbackFor)")
    assert fed == shown and sorted(fed) == sorted(picked)
    assert fed != picked or shown == picked
    session.close()


def test_posttest_counts_answers_and_its_error_summary_leads_to_each_gap(
        lms, flagship: tuple[Path, dict[str, Any]]) -> None:
    zip_path, course = flagship
    session = lms(zip_path)
    walker = Walker(session.sco, course)
    page = session.page
    assert page is not None
    walker.goto(walker.posttest_view)
    questions = walker.assessment["questions"]
    n = len(questions)
    count = walker.loc("[data-answered-count]")
    assert count.inner_text() == f"0 of {n} answered"
    for q in questions[:2]:
        walker.set_answer(q, right_answer(q))
    assert count.inner_text() == f"2 of {n} answered"
    assert count.get_attribute("data-answered") == "2"

    view = walker.loc(f'[data-page-id="{walker.posttest_view}"]')
    view.locator('[data-action="submit"]').click()
    summary = walker.loc("[data-form-error]")
    links = summary.locator("a[data-goto-question]")
    assert links.count() == n - 2
    assert links.first.get_attribute("data-goto-question") == questions[2]["id"]
    focused = session.frame.evaluate(
        "() => document.activeElement.closest('[data-question-id]')?.dataset.questionId")
    assert focused == questions[2]["id"], "focus must move to the first incomplete question"
    assert session.frame.evaluate("() => document.title").startswith("Error: ")
    # A link in the summary takes focus to its question.
    links.nth(3).click()
    focused = session.frame.evaluate(
        "() => document.activeElement.closest('[data-question-id]')?.dataset.questionId")
    assert focused == questions[5]["id"]
    # Answering clears that question's link and red border; all answered clears the summary.
    walker.set_answer(questions[2], right_answer(questions[2]))
    assert walker.question(questions[2]["id"]).get_attribute("aria-invalid") is None
    assert links.count() == n - 3
    assert questions[2]["id"] not in links.evaluate_all(
        "els => els.map(e => e.dataset.gotoQuestion)")
    for q in questions[3:]:
        walker.set_answer(q, right_answer(q))
    assert summary.inner_text().strip() == ""
    assert walker.loc('[data-question-id][aria-invalid="true"]').count() == 0
    assert count.inner_text() == f"{n} of {n} answered"
    assert not session.frame.evaluate("() => document.title").startswith("Error: ")

    attempt = walker.submit_posttest(walker.answer_posttest())
    assert attempt.result == "passed"
    title = session.frame.evaluate("() => document.title")
    assert "result" in title.lower() and not title.startswith("Error")
    cont = view.locator('[data-goto^="evaluation:"]')
    assert cont.inner_text() == "Continue to the evaluation"
    cont.click()
    walker.wait_view(f"evaluation:{course['evaluation']['id']}")
    assert session.frame.evaluate("() => document.title").startswith(
        course["evaluation"].get("title", "")[:10])

    # After submitting, the "Thank you" has focus and is on screen.
    walker.fill_evaluation()
    state = session.frame.evaluate("""() => {
        const t = document.querySelector('[data-evaluation-done]');
        const r = t.getBoundingClientRect();
        return {focused: document.activeElement === t, top: r.top, bottom: r.bottom,
                height: window.innerHeight}; }""")
    assert state["focused"] and state["top"] >= 0 and state["bottom"] <= state["height"], state
    session.close()


def test_progress_shows_everywhere_and_the_menu_starts_on_its_first_screen(
        chromium, flagship: tuple[Path, dict[str, Any]], unpack, static_server) -> None:
    zip_path, course = flagship
    url = static_server(unpack(zip_path)).url("/index.html")
    context = chromium.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(url)
    walker = Walker(page, course)
    walker.wait_ready()
    assert walker.view() == "course:menu"
    start = page.locator('.sb-start [data-goto]')
    assert start.inner_text() == "Start the course"
    box = start.bounding_box()
    assert box and box["y"] + box["height"] <= 667, "Start must be on the menu's first screen"
    assert page.get_attribute(PROGRESS, "data-course-progress") == "0"
    assert page.locator(PROGRESS).is_visible()
    seen = []
    for _ in range(8):
        walker.next()
        assert page.locator(PROGRESS).is_visible()
        seen.append(int(page.get_attribute(PROGRESS, "data-course-progress") or "-1"))
    assert seen == sorted(seen) and seen[-1] > 0
    assert page.locator(PROGRESS).inner_text().strip() == f"Course progress: {seen[-1]}%"
    walker.click_action("menu")
    walker.wait_view("course:menu")
    assert page.locator('.sb-start [data-goto]').inner_text().startswith("Continue: ")
    assert page.get_attribute(PROGRESS, "data-course-progress") == str(seen[-1])

    # At 320 px, a menu entry that wraps keeps its number on its first line.
    page.set_viewport_size({"width": 320, "height": 640})
    lines = page.evaluate("""() => [
      ...document.querySelectorAll('.sb-entries [data-goto]')].map(b => {
        const n = b.querySelector('.sb-num').getBoundingClientRect();
        const t = b.lastElementChild.getBoundingClientRect();
        const lh = parseFloat(getComputedStyle(b).lineHeight);
        return {wrapped: t.height > 1.5 * lh, numTop: n.top, textTop: t.top, lh};
      })""")
    wrapped = [x for x in lines if x["wrapped"]]
    assert len(wrapped) >= 5
    assert all(abs(x["numTop"] - x["textTop"]) < x["lh"] / 2 for x in wrapped), wrapped
    context.close()


def test_save_and_exit_asks_in_an_accessible_dialog_first(
        lms, flagship: tuple[Path, dict[str, Any]]) -> None:
    zip_path, course = flagship
    session = lms(zip_path)
    frame = session.frame
    sco = session.sco
    sco.locator('[data-action="exit"]').click()
    dialog = sco.locator("[data-exit-dialog]")
    assert dialog.is_visible()
    assert frame.evaluate("""() => { const d = document.querySelector('[data-exit-dialog]');
        return d.open && d.matches(':modal') && d.contains(document.activeElement); }""")
    assert not calls(session.log(), "LMSFinish")
    assert axe_violations(frame) == []
    # Escape (or "Stay in the course") keeps the session going.
    frame.press("[data-exit-dialog]", "Escape")
    assert not dialog.is_visible()
    assert sco.locator('[data-page-id="course:menu"]').count() == 1
    sco.locator('[data-action="exit"]').click()
    sco.locator('[data-action="cancel-exit"]').click()
    assert not dialog.is_visible()
    assert frame.evaluate("() => document.activeElement.dataset.action") == "exit"
    assert not calls(session.log(), "LMSFinish")
    # Confirming ends the session, once.
    sco.locator('[data-action="exit"]').click()
    sco.locator('[data-action="confirm-exit"]').click()
    sco.locator('[data-page-id="course:exited"]').wait_for()
    assert len(calls(session.log(), "LMSFinish")) == 1
    session.close()

