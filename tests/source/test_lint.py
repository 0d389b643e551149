"""Item-writing checks (issue 10): one planted flaw per rule, clean controls, waivers.

The fixture course tests/fixtures/courses/item-lint plants each flaw in a question named
after its rule; the expected lines are found in the fixture files themselves.
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.synthetic import write_synthetic_course
from scormbuild.source.lint import RULES, lint_course
from scormbuild.source.load import load_course
from scormbuild.source.model import (
    Assessment,
    AssessmentPolicy,
    Choice,
    Course,
    LintWaiver,
    Mark,
    Objective,
    Question,
)
from tests.helpers import FIXTURES, copy_course, line_of, run_cli

COURSE = FIXTURES / "courses" / "item-lint"
MODULE = COURSE / "modules" / "01-plants" / "module.yaml"
POSTTEST = COURSE / "posttest.yaml"
WARNING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): warning: "
                     r"(?P<id>[a-z0-9-]+): (?P<rule>[a-z-]+): (?P<why>.+)$")

# (file, text on the line the warning points at, question id, rule)
EXPECTED = [
    (MODULE, "text: Thoroughly when the top", "kc-longest-key", "longest-key"),
    (MODULE, "text: None of the above", "kc-of-the-above", "of-the-above"),
    (MODULE, "prompt: Which of these plants does not", "kc-negative-stem", "negative-stem"),
    (MODULE, "text: Every day, a little", "kc-absolute-distractor", "absolute-distractor"),
    (MODULE, "text: Ice cubes, because", "kc-distractor-justification",
     "distractor-justification"),
    (MODULE, "prompt: The spider plant", "kc-duplicate-stem", "duplicate-stem"),
    (POSTTEST, "id: post-test", "post-test", "key-position-skew"),
    (POSTTEST, "id: post-test", "post-test", "true-false-share"),
    (POSTTEST, "prompt: Monstera", "pt-tf-name", "objective-items"),
]


def warnings_of(stderr: str, course: Path = COURSE) -> set[tuple[Path, int, str, str]]:
    found = set()
    for line in stderr.splitlines():
        m = WARNING.match(line)
        if m and m["rule"] in RULES:
            found.add((Path(m["path"]).relative_to(course), int(m["line"]), m["id"], m["rule"]))
    return found


def expected(course: Path = COURSE, leave_out: tuple[str, ...] = ()) -> set:
    return {(path.relative_to(COURSE), line_of(course / path.relative_to(COURSE), marker),
             qid, rule) for path, marker, qid, rule in EXPECTED if qid not in leave_out}


def test_every_rule_has_a_planted_flaw():
    assert {rule for *_, rule in EXPECTED} == set(RULES)


def test_check_reports_exactly_the_planted_flaws_and_the_controls_stay_clean():
    result = run_cli("check", COURSE)
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == expected()
    # Nothing else: every stderr line is one of the item warnings (controls, the waived
    # question and the post-test questions raise none).
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == len(EXPECTED)
    assert "9 warning(s)" in result.stdout


def test_build_prints_the_same_warnings(tmp_path: Path):
    result = run_cli("build", COURSE, "-o", tmp_path / "dist", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == expected()


def test_warning_lines_point_at_the_choice_column():
    result = run_cli("check", COURSE)
    line = line_of(MODULE, "text: None of the above")
    col = next(i for i, ch in enumerate(MODULE.read_text().splitlines()[line - 1]) if ch == "N")
    assert f"{MODULE}:{line}:{col + 1}: warning: kc-of-the-above: of-the-above: " in result.stderr


# -- waivers --------------------------------------------------------------------------------

WAIVER = ("    lint:\n      ignore: [longest-key]\n"
          "      reason: The key names two conditions that learners must weigh together.\n")


def edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    course = copy_course(COURSE, tmp_path / "course")
    path = course / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return course


def test_the_waiver_is_what_silences_the_rule(tmp_path: Path):
    course = edited(tmp_path, "modules/01-plants/module.yaml", WAIVER, "")
    result = run_cli("check", course)
    assert result.returncode == 0, result.stderr
    module = course / "modules/01-plants/module.yaml"
    line = line_of(module, "text: Close to a bright window")
    assert warnings_of(result.stderr, course) - expected(course) == {
        (Path("modules/01-plants/module.yaml"), line, "kc-waived", "longest-key")}


def test_waiver_reason_is_in_the_answer_key_markdown_and_csv():
    reason = "The key names two conditions that learners must weigh together."
    md = run_cli("export", "answer-key", COURSE)
    assert md.returncode == 0, md.stderr
    block = md.stdout.split("id `kc-waived`")[1].split("### ")[0]
    assert f"**Item-writing check waived:** longest-key: {reason}" in block
    assert md.stdout.count("Item-writing check waived") == 1

    out = run_cli("export", "answer-key", COURSE, "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert rows["kc-waived"]["item_writing_waiver"] == f"longest-key: {reason}"
    assert {r["item_writing_waiver"] for i, r in rows.items() if i != "kc-waived"} == {""}


@pytest.mark.parametrize(("question", "rule", "gone"), [
    ("pt-tf-name", "objective-items", "pt-tf-name"),
    ("pt-tf-sun", "true-false-share", "post-test"),  # one true-false question left: allowed
])
def test_a_waived_question_leaves_the_post_test_counts(tmp_path: Path, question: str, rule: str,
                                                       gone: str):
    course = edited(tmp_path, "posttest.yaml", f"  - id: {question}\n",
                    f"  - id: {question}\n    lint: {{ignore: [{rule}], reason: On purpose.}}\n")
    result = run_cli("check", course)
    assert result.returncode == 0, result.stderr
    left = {(f, line, qid, r) for f, line, qid, r in expected(course)
            if not (qid == gone and r == rule)}
    assert warnings_of(result.stderr, course) == left


@dataclass
class BadWaiver:
    name: str
    new: str  # replaces WAIVER in module.yaml
    expect: str
    marker: str


BAD_WAIVERS = [
    BadWaiver("unknown-rule", WAIVER.replace("[longest-key]", "[longest-keys]"),
              "unknown item-writing rule 'longest-keys' in the lint block of question "
              "'kc-waived'; did you mean 'longest-key'?", "ignore: [longest-keys]"),
    BadWaiver("missing-reason", "    lint:\n      ignore: [longest-key]\n",
              "the lint block of question 'kc-waived' is missing 'reason'", "ignore: [longest"),
    BadWaiver("empty-reason", "    lint: {ignore: [longest-key], reason: ''}\n",
              "'reason' in the lint block of question 'kc-waived' must not be empty",
              "lint: {ignore"),
    BadWaiver("no-rule", "    lint: {ignore: [], reason: Because.}\n",
              "'ignore' in the lint block of question 'kc-waived' names no rule", "lint: {"),
    BadWaiver("not-a-mapping", "    lint: off\n",
              "the lint block of question 'kc-waived' must be a mapping", "lint: off"),
    BadWaiver("misspelt-key", WAIVER.replace("reason:", "reasons:"),
              "unknown key 'reasons' in the lint block of question 'kc-waived'; did you mean "
              "'reason'?", "reasons:"),
]


@pytest.mark.parametrize("b", BAD_WAIVERS, ids=[b.name for b in BAD_WAIVERS])
def test_a_bad_lint_block_is_an_error_at_its_line(tmp_path: Path, b: BadWaiver):
    course = edited(tmp_path, "modules/01-plants/module.yaml", WAIVER, b.new)
    result = run_cli("check", course)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    module = course / "modules/01-plants/module.yaml"
    where = f"{module}:{line_of(module, b.marker)}:"
    errors = [line for line in result.stderr.splitlines() if b.expect in line]
    assert errors and errors[0].startswith(where), result.stderr
    assert "warning" not in errors[0]


# -- the rules' edges, on questions built in code -------------------------------------------

HERE = Mark(Path("q.yaml"), 1, 1)


def question(qid: str, texts: list[str], correct: list[int], prompt: str = "Which one?",
             qtype: str = "single", objective: str = "obj", waive: str = "") -> Question:
    choices = [Choice(f"c{i}", t, mark=Mark(HERE.path, 10 + i, 5)) for i, t in enumerate(texts)]
    return Question(qid, qtype, prompt, objective, "", HERE,  # type: ignore[arg-type]
                    choices=choices, correct=[f"c{i}" for i in correct], prompt_mark=HERE,
                    waiver=LintWaiver([waive], "why", HERE) if waive else None)


def course_of(kc: list[Question], post: list[Question] | None = None) -> Course:
    assessment = None
    if post is not None:
        assessment = Assessment("post-test", "Post-test", "", post, AssessmentPolicy(), HERE)
    from scormbuild.source.model import Module
    module = Module("m", "M", "m", [], kc, HERE)
    return Course("c", "C", "1", "en", "", [], [], [Objective("obj", "Do.", HERE)], None,
                  [module], assessment, None, [], Path("."), HERE)


def rules_of(kc: list[Question], post: list[Question] | None = None) -> list[tuple[str, str]]:
    out = []
    for p in lint_course(course_of(kc, post)):
        qid, rule, _ = p.message.split(": ", 2)
        out.append((qid, rule))
    return out


SHORT = "Water it weekly"  # 15 characters


@pytest.mark.parametrize(("texts", "correct", "flagged"), [
    # single: the key against the longest distractor
    ([SHORT, "x" * 19, "Water it when the soil is dry"], [2], True),   # 29 >= 1.25*19, +10
    ([SHORT, "x" * 24, "Water it when the soil is dry"], [2], False),  # 29 < 1.25*24
    (["Two", "Four", "Three"], [2], False),  # 5 >= 1.25*4 but only 1 character longer
    # multiple: only when every key outgrows every distractor
    ([SHORT, "Water it when the soil is dry", "Feed it when it is growing"], [1, 2], True),
    ([SHORT, "Water it when the soil is dry", "Feed it"], [1, 2], False),
])
def test_longest_key_threshold(texts: list[str], correct: list[int], flagged: bool):
    qtype = "multiple" if len(correct) > 1 else "single"
    found = ("q", "longest-key") in rules_of([question("q", texts, correct, qtype=qtype)])
    assert found is flagged


@pytest.mark.parametrize(("text", "flagged"), [
    ("All of the above", True), ("none of these", True), ("Both A and B", True),
    ("A and C only", True), ("A, B and D", True), ("Neither of the above answers is correct", True),
    ("A and e-mail record of the session", False),
    ("All of these options", True), ("All partners meet to plan the holidays", False),
    ("Ask about all of these relationships when the client raises them first", False),
])
def test_of_the_above_variants(text: str, flagged: bool):
    q = question("q", ["Water it weekly", "Repot it", text], [0])
    assert (("q", "of-the-above") in rules_of([q])) is flagged


@pytest.mark.parametrize(("prompt", "flagged"), [
    ("Which plant does not need sun?", True),
    ("Which plant does NOT need sun?", False),
    ("Which plant does *not* need sun?", False),
    ("Which plant does **not** need sun?", False),
    ("Which plant would **rarely, if ever, not** need sun?", False),
    ("All of these need sun EXCEPT which one?", False),
    ("All of these need sun except which one?", True),
    ("Which plant needs the least light?", True),
    ("Which plant needs at least four hours of sun?", False),
    ("Which plant isn't a succulent?", True),
    ("Sam does not own a sunny window. Which plant suits his flat?", False),
    ("A cactus can go without water for weeks, not days.", True),  # a true-false statement
])
def test_negative_stem(prompt: str, flagged: bool):
    q = question("q", ["A", "B"], [0], prompt=prompt)
    assert (("q", "negative-stem") in rules_of([q])) is flagged


@pytest.mark.parametrize(("texts", "flagged"), [
    (["Water it when dry", "Always water it daily", "Water it monthly"], True),
    (["Water it only when dry", "Always water it daily", "Water it monthly"], False),
    (["Water it when dry", "Water it daily", "Water it monthly"], False),
    (["Water it when dry", "None of the above", "Water it monthly"], False),  # its own rule
])
def test_absolute_words_in_distractors_only(texts: list[str], flagged: bool):
    assert (("q", "absolute-distractor") in rules_of([question("q", texts, [0])])) is flagged


@pytest.mark.parametrize(("texts", "flagged"), [
    (["Water it when dry", "Water it daily, since it is thirsty", "Water it monthly"], True),
    (["Water it when dry", "Water it daily, given that it is thirsty", "Repot it"], True),
    (["Water it when dry, because roots rot", "Water it daily, since it is thirsty",
      "Water it monthly"], False),
    (["Water it when dry", "Water it daily", "Water it monthly"], False),
])
def test_justification_in_distractors_only(texts: list[str], flagged: bool):
    found = ("q", "distractor-justification") in rules_of([question("q", texts, [0])])
    assert found is flagged


@pytest.mark.parametrize(("second", "flagged"), [
    ("Which plant grows best in a dim hallway?", True),  # identical
    ("Which plants grow best in a dim hallway?", False),  # 6 of 10 distinct words shared
    ("Which plant, *in your view*, grows best in a dim hallway?", True),  # 8 of 10
    ("Which plant grows worst in a dim hallway?", False),  # 7 of 9
    ("Which plant grows best in a hallway that is dim?", True),  # the same words
])
def test_duplicate_stems(second: str, flagged: bool):
    first = question("a", ["A", "B"], [0], prompt="Which plant grows best in a dim hallway?")
    later = question("b", ["A", "B"], [0], prompt=second)
    found = rules_of([first, later])
    assert (("b", "duplicate-stem") in found) is flagged
    assert ("a", "duplicate-stem") not in found


def test_duplicate_stems_across_knowledge_check_and_post_test():
    kc = question("kc", ["A", "B"], [0], prompt="Which plant grows best in a dim hallway?")
    pt = question("pt", ["A", "B"], [0], prompt="Which plant grows best in a dim hallway?")
    pt2 = question("pt2", ["A", "B"], [0], prompt="Which window suits an orchid?")
    assert ("pt", "duplicate-stem") in rules_of([kc], [pt, pt2])


def _post(keys: list[int], extra: list[Question] | None = None) -> list[Question]:
    return [question(f"p{i}", ["Aa", "Bb", "Cc", "Dd"], [k], prompt=f"Stem {i} {'x' * i}?")
            for i, k in enumerate(keys)] + (extra or [])


@pytest.mark.parametrize(("keys", "flagged"), [
    ([0, 0, 0, 0, 1, 2, 3, 1], True),  # 50% in A
    ([0, 0, 0, 1, 1, 2, 3, 2], False),  # 37.5%
    ([0, 0, 0, 0, 1, 1, 2, 3, 2, 3], False),  # exactly 40% is allowed
    ([0, 0, 0, 0, 1, 2, 3], False),  # fewer than 8 single-answer questions
])
def test_key_position_skew(keys: list[int], flagged: bool):
    assert (("post-test", "key-position-skew") in rules_of([], _post(keys))) is flagged


def test_key_position_skew_leaves_out_waived_questions():
    post = _post([0, 0, 0, 0, 1, 2, 3, 1])
    post[0].waiver = LintWaiver(["key-position-skew"], "why", HERE)
    assert ("post-test", "key-position-skew") not in rules_of([], post)


def tf(qid: str) -> Question:
    return question(qid, ["True", "False"], [0], qtype="true-false", prompt=f"{qid} holds.")


@pytest.mark.parametrize(("tf_count", "total", "flagged"), [
    (1, 3, False),  # one true-false question alone is never flagged
    (2, 20, False),  # exactly 10%
    (2, 19, True),
    (3, 20, True),
])
def test_true_false_share(tf_count: int, total: int, flagged: bool):
    post = _post([0, 1, 2, 3] * 5)[: total - tf_count] + [tf(f"t{i}") for i in range(tf_count)]
    assert (("post-test", "true-false-share") in rules_of([], post)) is flagged


def test_objective_items_only_for_known_objectives_with_one_question():
    one = question("one", ["Aa", "Bb"], [0], objective="obj")
    assert ("one", "objective-items") in rules_of([], [one])
    two = [question("x", ["Aa", "Bb"], [0]), question("y", ["Cc", "Dd"], [1], prompt="Other?")]
    assert not [r for r in rules_of([], two) if r[1] == "objective-items"]
    unknown = question("u", ["Aa", "Bb"], [0], objective="nope")  # unknown: an error elsewhere
    assert ("u", "objective-items") not in rules_of([], [unknown, *two])


# -- speed ----------------------------------------------------------------------------------

def test_lint_stays_fast_on_thousands_of_questions(tmp_path: Path):
    """2,000 questions with nearly identical stems (the benchmark course): well under a
    second of lint; a linear rule set plus a capped near-duplicate search."""
    course, problems = load_course(write_synthetic_course(tmp_path / "s", 100, 2000))
    assert course is not None and not [p for p in problems if p.severity == "error"]
    start = time.perf_counter()
    lint_course(course)
    small = time.perf_counter() - start
    for m in course.modules:  # five times the questions must take about five times as long
        m.knowledge_check = [q for _ in range(5) for q in m.knowledge_check]
    start = time.perf_counter()
    lint_course(course)
    large = time.perf_counter() - start
    assert small < 2.0, small
    assert large < 12 * small + 0.5, (small, large)
