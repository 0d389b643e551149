"""Walk a scormbuild course through the documented automation hooks only (docs/automation.md).

The walker knows the course from ``scormbuild outline --json`` (ids, types, the key), never
from the player's internals, and it touches the page only through ``data-*`` hooks, as an LMS
QA team would. It answers questions right or wrong on purpose and says what it answered, so
tests can compute the expected score and interaction records independently of the player.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import FrameLocator, Locator, Page

Question = dict[str, Any]
Root = Page | FrameLocator

# SCORM 1.2 single-character response letters, by position in the source (automation.md).
LETTERS = "0123456789abcdefghijklmnopqrstuvwxyz"
CURRENT_VIEW = "[data-sb-view][data-page-id], [data-sb-view] [data-page-id]"


def view_selector(view_id: str) -> str:
    """The shown view with this id (its root may be the [data-sb-view] element or a child)."""
    return f'[data-sb-view][data-page-id="{view_id}"], [data-sb-view] [data-page-id="{view_id}"]'


# -- the key: what a right or wrong answer is, and its SCORM 1.2 encoding -----------------------
def right_answer(q: Question) -> list[str]:
    """The response that is correct, in the outline's own shape (matching: "src.tgt")."""
    return list(q["correct"])


def wrong_answer(q: Question) -> list[str]:
    """A complete response that is certainly wrong (every part filled, so it can be submitted)."""
    kind = q["type"]
    correct = list(q["correct"])
    if kind in ("single", "true-false"):
        return [next(c["id"] for c in q["choices"] if c["id"] not in correct)]
    if kind == "multiple":
        ids = [c["id"] for c in q["choices"]]
        wrong = [i for i in ids if i not in correct]
        # One wrong choice alone is never the key (the key is a set of correct choices).
        return [wrong[0]] if wrong else correct[:-1]
    if kind == "matching":
        pairs = [p.split(".", 1) for p in correct]
        targets = [t for _, t in pairs]
        # Each source gets the next source's target: differs whenever two targets differ.
        rotated = targets[1:] + targets[:1]
        if rotated == targets:
            others = [t["id"] for t in q["targets"] if t["id"] != targets[0]]
            rotated = [others[0], *targets[1:]]
        return [f"{s}.{t}" for (s, _), t in zip(pairs, rotated, strict=True)]
    if kind == "sequencing":
        return list(reversed(correct))
    raise ValueError(f"unknown question type {kind!r}")


def is_correct(q: Question, response: Sequence[str]) -> bool:
    if q["type"] == "multiple":
        return set(response) == set(q["correct"])
    return list(response) == list(q["correct"])


def scorm_type(q: Question) -> str:
    kind = str(q["type"])
    return "choice" if kind in ("single", "multiple") else kind


def scorm_pattern(q: Question, response: Sequence[str]) -> str:
    """Encode a response the way automation.md documents (letters by source position)."""
    kind = q["type"]
    if kind == "true-false":
        return "t" if response[0] == "true" else "f"
    if kind == "matching":
        src = [s["id"] for s in q["sources"]]
        tgt = [t["id"] for t in q["targets"]]
        pairs = sorted((p.split(".", 1) for p in response), key=lambda st: src.index(st[0]))
        return ",".join(f"{LETTERS[src.index(s)]}.{LETTERS[tgt.index(t)]}" for s, t in pairs)
    ids = [c["id"] for c in q["choices"]]
    letters = [ids.index(r) for r in response]
    if kind == "multiple":
        letters.sort()
    return ",".join(LETTERS[i] for i in letters)


def expected_score(results: Sequence[bool]) -> float:
    return round(100 * sum(results) / len(results), 2) if results else 0.0


def _fast_spec(q: Question, response: Sequence[str]) -> dict[str, Any]:
    kind = q["type"]
    if kind in ("single", "true-false", "multiple"):
        return {"ids": list(response), "selects": []}
    if kind == "matching":
        pairs = [p.split(".", 1) for p in response]
        return {"ids": [], "selects": [[f'select[data-source-id="{s}"]', t] for s, t in pairs]}
    return {
        "ids": [],
        "selects": [[f'select[data-position="{i}"]', c] for i, c in enumerate(response, 1)],
    }


# A learner's click on each input that must change, and a change event for each select: the
# same events the player gets from real input.
_FAST_ANSWER_JS = """(box, spec) => {
  for (const input of box.querySelectorAll('input[data-choice-id]')) {
    const want = spec.ids.includes(input.dataset.choiceId);
    if (input.checked !== want && (want || input.type === 'checkbox')) input.click();
  }
  for (const [selector, value] of spec.selects) {
    const select = box.querySelector(selector);
    if (!select) throw new Error('no ' + selector);
    if (select.value !== value) {
      select.value = value;
      select.dispatchEvent(new Event('input', {bubbles: true}));
      select.dispatchEvent(new Event('change', {bubbles: true}));
    }
  }
}"""


# -- driving the page ------------------------------------------------------------------------
@dataclass
class Attempt:
    """What the walker answered in one post-test attempt, and what the screen said."""

    responses: dict[str, list[str]]
    correct: dict[str, bool]
    result: str = ""
    score: str = ""
    attempts_left: str = ""
    review_objectives: list[str] = field(default_factory=list)


class Walker:
    def __init__(
        self, root: Root, course: dict[str, Any], timeout_ms: float = 10_000, fast: bool = False
    ) -> None:
        """``fast``: answer each question in one round trip (the same hooked inputs, clicked or
        changed from page script) instead of one Playwright action per input; for courses
        with hundreds of questions, where per-action overhead dominates."""
        self.root = root
        self.course = course
        self.timeout_ms = timeout_ms
        self.fast = fast
        self.attempts: list[Attempt] = []

    # views
    def loc(self, selector: str) -> Locator:
        return self.root.locator(selector)

    def wait_ready(self) -> None:
        self.loc('html[data-sb-ready="true"]').wait_for(state="attached", timeout=self.timeout_ms)

    def view(self) -> str:
        el = self.loc(CURRENT_VIEW).first
        el.wait_for(state="attached", timeout=self.timeout_ms)
        return el.get_attribute("data-page-id") or ""

    def view_kind(self) -> str:
        return self.loc(CURRENT_VIEW).first.get_attribute("data-view") or ""

    def wait_view(self, view_id: str) -> None:
        self.loc(view_selector(view_id)).first.wait_for(state="attached", timeout=self.timeout_ms)

    def click_action(self, action: str) -> None:
        """Click a documented action. "exit" also confirms the "Save and exit" dialog, so a
        walk ends the session as a learner who means it would."""
        self.loc(f'[data-action="{action}"]').first.click(timeout=self.timeout_ms)
        if action == "exit":
            self.loc('[data-action="confirm-exit"]').click(timeout=self.timeout_ms)

    def next(self) -> str:
        before = self.view()
        self.click_action("next")
        self.loc(view_selector(before)).first.wait_for(state="detached", timeout=self.timeout_ms)
        return self.view()

    def goto(self, view_id: str) -> None:
        """Jump from the menu (the documented data-goto links)."""
        if self.view() != "course:menu":
            self.click_action("menu")
            self.wait_view("course:menu")
        self.loc(f'[data-goto="{view_id}"]').first.click(timeout=self.timeout_ms)
        self.wait_view(view_id)

    def walk_to(self, view_id: str, max_steps: int = 10_000) -> None:
        """Press next (answering knowledge checks on the way) until ``view_id`` shows."""
        for _ in range(max_steps):
            current = self.view()
            if current == view_id:
                return
            if self.view_kind() == "check":
                self.answer_check(current, skip_answered=True)
            self.next()
        raise AssertionError(f"never reached view {view_id!r}")

    # questions
    def question(self, qid: str) -> Locator:
        return self.loc(f'[data-question-id="{qid}"]')

    def set_answer(self, q: Question, response: Sequence[str]) -> None:
        box = self.question(q["id"])
        kind = q["type"]
        if self.fast:
            box.evaluate(_FAST_ANSWER_JS, _fast_spec(q, response))
        elif kind in ("single", "true-false"):
            box.locator(f'input[data-choice-id="{response[0]}"]').check()
        elif kind == "multiple":
            for c in q["choices"]:
                box.locator(f'input[data-choice-id="{c["id"]}"]').set_checked(c["id"] in response)
        elif kind == "matching":
            for pair in response:
                src, tgt = pair.split(".", 1)
                box.locator(f'select[data-source-id="{src}"]').select_option(tgt)
        elif kind == "sequencing":
            for pos, cid in enumerate(response, start=1):
                box.locator(f'select[data-position="{pos}"]').select_option(cid)
        else:
            raise ValueError(f"unknown question type {kind!r}")

    def read_answer(self, q: Question) -> list[str]:
        """The response the page currently shows for ``q`` (same shape as ``set_answer``)."""
        box = self.question(q["id"])
        kind = q["type"]
        if kind in ("single", "true-false", "multiple"):
            checked: list[str] = box.locator("input[data-choice-id]").evaluate_all(
                "els => els.filter(e => e.checked).map(e => e.dataset.choiceId)"
            )
            order = [c["id"] for c in q["choices"]]
            return sorted(checked, key=order.index)
        if kind == "matching":
            out = []
            for s in q["sources"]:
                value = box.locator(f'select[data-source-id="{s["id"]}"]').input_value()
                if value:
                    out.append(f"{s['id']}.{value}")
            return out
        if kind == "sequencing":
            return [
                box.locator(f'select[data-position="{pos}"]').input_value()
                for pos in range(1, len(q["choices"]) + 1)
            ]
        raise ValueError(f"unknown question type {kind!r}")

    def choice_order(self, q: Question) -> list[str]:
        """The on-screen order of the question's choices (for shuffle comparisons)."""
        box = self.question(q["id"])
        if q["type"] in ("matching", "sequencing"):
            # Options of the first select carry the (possibly shuffled) choice order.
            sel = box.locator("select").first
            order: list[str] = sel.locator("option[data-choice-id]").evaluate_all(
                "els => els.map(e => e.dataset.choiceId)"
            )
            return order
        ids: list[str] = box.locator("input[data-choice-id]").evaluate_all(
            "els => els.map(e => e.dataset.choiceId)"
        )
        return ids

    def module(self, module_id: str) -> dict[str, Any]:
        return next(m for m in self.course["modules"] if m["id"] == module_id)

    def answer_check(self, view_id: str, correct: bool = True, skip_answered: bool = False) -> None:
        """Answer and submit every knowledge-check question of the view ``check:<module>``.

        ``skip_answered``: leave questions that already show feedback alone (a walk passing
        through must not overwrite what a test answered on purpose).
        """
        module = self.module(view_id.split(":", 1)[1])
        for q in module["questions"]:
            done = self.question(q["id"]).locator("[data-feedback][data-result]")
            if skip_answered and done.count():
                continue
            self.set_answer(q, right_answer(q) if correct else wrong_answer(q))
            self.question(q["id"]).locator('[data-action="submit"]').click()
            self.question(q["id"]).locator("[data-feedback][data-result]").wait_for(
                state="attached", timeout=self.timeout_ms
            )

    # post-test
    @property
    def assessment(self) -> dict[str, Any]:
        a: dict[str, Any] = self.course["assessment"]
        return a

    @property
    def posttest_view(self) -> str:
        return f"posttest:{self.assessment['id']}"

    def answer_posttest(self, right: Iterable[str] | None = None) -> Attempt:
        """Answer every post-test question; those in ``right`` (all if None) correctly."""
        right_ids = {q["id"] for q in self.assessment["questions"]} if right is None else set(right)
        attempt = Attempt(responses={}, correct={})
        for q in self.assessment["questions"]:
            response = right_answer(q) if q["id"] in right_ids else wrong_answer(q)
            self.set_answer(q, response)
            attempt.responses[q["id"]] = response
            attempt.correct[q["id"]] = is_correct(q, response)
        return attempt

    def submit_posttest(self, attempt: Attempt) -> Attempt:
        view = self.loc(f'[data-page-id="{self.posttest_view}"]')
        view.locator('[data-action="submit"]').click()
        result = view.locator("[data-result]").first
        result.wait_for(state="attached", timeout=self.timeout_ms)
        attempt.result = result.get_attribute("data-result") or ""
        attempt.score = result.get_attribute("data-score") or ""
        attempt.attempts_left = result.get_attribute("data-attempts-left") or ""
        attempt.review_objectives = view.locator(
            "[data-review-objectives] [data-objective-id]"
        ).evaluate_all("els => els.map(e => e.dataset.objectiveId)")
        self.attempts.append(attempt)
        return attempt

    def take_posttest(self, right: Iterable[str] | None = None) -> Attempt:
        return self.submit_posttest(self.answer_posttest(right))

    def retake(self) -> None:
        view = self.loc(f'[data-page-id="{self.posttest_view}"]')
        view.locator('[data-action="retake"]').click()
        view.locator("[data-result]").wait_for(state="detached", timeout=self.timeout_ms)

    # evaluation
    def fill_evaluation(self) -> dict[str, str]:
        evaluation = self.course["evaluation"]
        view = self.loc(f'[data-page-id="evaluation:{evaluation["id"]}"]')
        answers: dict[str, str] = {}
        for item in evaluation["items"]:
            box = view.locator(f'[data-item-id="{item["id"]}"]')
            if item["type"] == "likert":
                choice = str(len(item["scale"]) - 1)
                box.locator(f'input[data-choice-id="{choice}"]').check()
                answers[item["id"]] = choice
            else:
                text = "Clear and useful."
                box.locator("textarea").fill(text)
                answers[item["id"]] = text
        view.locator('[data-action="submit"]').click()
        view.locator("[data-evaluation-done]").wait_for(state="attached", timeout=self.timeout_ms)
        return answers

    # whole course
    def walk_course(
        self, attempts: Sequence[Iterable[str] | None] = (None,), evaluate: bool = True
    ) -> str:
        """From wherever the learner is, go through every view to the completion screen.

        ``attempts``: one entry per post-test attempt, the ids to answer correctly (None =
        all). Returns the completion outcome (``data-completion``).
        """
        plan = list(attempts)
        for _ in range(10_000):
            view, kind = self.view(), self.view_kind()
            if kind == "check":
                self.answer_check(view, skip_answered=True)
            elif kind == "posttest" and plan:
                if self.loc(f'[data-page-id="{view}"] [data-result]').count():
                    self.retake()
                self.take_posttest(plan.pop(0))
                if plan:
                    continue
            elif kind == "evaluation" and evaluate and self.course.get("evaluation"):
                if not self.loc("[data-evaluation-done]").count():
                    self.fill_evaluation()
            elif kind == "completion" or view == "course:completion":
                return self.loc("[data-completion]").first.get_attribute("data-completion") or ""
            self.next()
        raise AssertionError("walked 10,000 views without reaching the completion screen")
