"""Item-writing checks: the flaws a CE approver sends a post-test back for.

Every finding is a warning ``path:line:col: warning: <question id>: <rule>: <why>``; the
rules are documented, with examples and thresholds, in docs/authoring.md ("Item-writing
checks"). A question may waive rules it breaks on purpose with
``lint: {ignore: [rule], reason: "..."}``; the reason is printed in the answer key so the
approver sees it. Everything here is linear in the number of questions, except the
near-duplicate stem search, which compares each stem with at most ``MAX_COMPARISONS``
earlier stems found through its rarest words.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sized
from dataclasses import dataclass

from scormbuild.problems import Problem
from scormbuild.source.fields import Fields, add, type_name
from scormbuild.source.model import Choice, Course, LintWaiver, Mark, Question

# Rule names are part of the source format (authors write them in `lint: ignore`): never
# rename one.
RULES: dict[str, str] = {
    "longest-key": "the key is clearly the longest choice",
    "of-the-above": "an 'all/none of the above' choice (or a variant)",
    "negative-stem": "a negative question (not, except, least) without emphasis",
    "absolute-distractor": "absolute words (always, never, ...) in distractors only",
    "distractor-justification": "a justification clause ('since ...') in distractors only",
    "duplicate-stem": "the same or nearly the same stem as another question",
    "key-position-skew": "post-test keys bunched in one position",
    "true-false-share": "too many true-false questions in the post-test",
    "objective-items": "an objective tested by only one post-test question",
}

# -- thresholds (each one is documented in docs/authoring.md) ------------------------------
LONGEST_KEY_RATIO = 1.25  # shortest key >= 1.25 x longest distractor, in characters ...
LONGEST_KEY_MIN_EXTRA = 10  # ... and at least 10 characters longer ("Three" vs "Two" is fine)
NEAR_DUPLICATE = 0.8  # share of distinct words (Jaccard) from which two stems are near-duplicates
MAX_COMPARISONS = 50  # earlier stems examined per stem (keeps 10,000 questions fast)
SKEW_SHARE = 0.40  # more than 40% of the single-answer keys in one position ...
SKEW_MIN_ITEMS = 8  # ... among 8 or more single-answer post-test questions
TRUE_FALSE_SHARE = 0.10  # more than 10% true-false questions (and more than one of them)
OBJECTIVE_MIN_ITEMS = 2  # post-test questions per objective

MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
OF_THE_ABOVE = re.compile(
    r"\b(?:all|none|both|neither|any|each)\s+(?:of\s+)?(?:the\s+|these\s+|those\s+)?"
    r"(?P<what>above|preceding|previous|these|those|options|answers|choices|responses)\b", re.I)
# "Both A and B", "A and C only", "A, B and D": a choice that names other choices' letters.
_LETTER = r"\(?[a-f]\)?(?![\w'’-])"
LETTER_COMBINATION = re.compile(
    rf"^\W*(?:both\s+|neither\s+|only\s+)?{_LETTER}(?:\s*,\s*{_LETTER})*\s*(?:and|&|or|nor)\s+"
    rf"{_LETTER}", re.I)
NEGATIVE = re.compile(r"\b(?:not|except|least|cannot|[a-z]+n['’]t)\b", re.I)
NOT_NEGATIVE = re.compile(r"\bat\s+least\b", re.I)  # "at least" is not a negative question
EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(\*|_)(?=\S)(.+?)(?<=\S)\3")
SENTENCE_END = re.compile(r"(?<=[.?!])[\"'”’*_)]*\s+")
ABSOLUTE_WORDS = ("always", "never", "all", "none", "only", "must", "every", "everyone",
                  "everything", "everybody")
ABSOLUTE = re.compile(r"\b(?:" + "|".join(ABSOLUTE_WORDS) + r")\b", re.I)
JUSTIFICATION = re.compile(
    r"\b(?:since|because|given\s+that|due\s+to|so\s+that|in\s+order\s+to|as\s+a\s+result)\b",
    re.I)
CHOICE_TYPES = ("single", "multiple")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# -- the lint block in the source -----------------------------------------------------------

def read_waiver(f: Fields) -> LintWaiver | None:
    """The question's ``lint`` block; unknown rules and a missing reason are errors."""
    if not f.has("lint"):
        return None
    w = Fields(f.raw("lint"), f.at("lint"), f"the lint block of {f.what}", ("ignore", "reason"),
               f.problems)
    names = w.seq("ignore", required=True, what="a list of item-writing rule names")
    rules: list[str] = []
    for i, name in enumerate(names):
        where = names.item_marks[i]
        if not isinstance(name, str):
            add(f.problems, where, f"rule names in 'ignore' must be text, not {type_name(name)}")
        elif name not in RULES:
            close = difflib.get_close_matches(name, list(RULES), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(RULES)}"
            add(f.problems, where, f"unknown item-writing rule '{name}' in {w.what}; {hint}")
        else:
            rules.append(name)
    if w.has("ignore") and not names:
        add(f.problems, w.at("ignore"), f"'ignore' in {w.what} names no rule")
    if not w.has("reason"):
        if "reason" not in w.suggested:
            add(f.problems, w.mark, f"{w.what} is missing 'reason': say why the question may "
                                    "break the rule (it is printed in the answer key)")
        reason = ""
    else:
        reason = w.text("reason")
    return LintWaiver(rules=rules, reason=reason, mark=w.mark)


def waived(q: Question, rule: str) -> bool:
    return q.waiver is not None and rule in q.waiver.rules


# -- helpers --------------------------------------------------------------------------------

def plain(text: str) -> str:
    """Markdown reduced to the words a learner reads, whitespace collapsed."""
    return " ".join(MARKUP.sub(lambda m: m.group(1) or "", text).split())


def words(text: str) -> list[str]:
    return WORD.findall(plain(text).lower())


@dataclass
class Finding:
    mark: Mark
    question: str
    rule: str
    why: str

    def problem(self) -> Problem:
        return Problem(str(self.mark.path), self.mark.line, self.mark.col,
                       f"{self.question}: {self.rule}: {self.why}", "warning")


def _where(q: Question, choice: Choice | None = None) -> Mark:
    if choice is not None and choice.mark is not None:
        return choice.mark
    return q.prompt_mark or q.mark


def _split(q: Question) -> tuple[list[Choice], list[Choice]]:
    """(keys, distractors) of a single or multiple question, in source order."""
    correct = set(q.correct)
    keys = [c for c in q.choices if c.id in correct]
    return keys, [c for c in q.choices if c.id not in correct]


def _letter(q: Question, c: Choice) -> str:
    index = next(i for i, x in enumerate(q.choices) if x is c)
    return LETTERS[index] if index < len(LETTERS) else c.id


def _distractors(flagged: Sized) -> str:
    return "distractors" if len(flagged) > 1 else "distractor"


# -- rules on one question ------------------------------------------------------------------

def longest_key(q: Question) -> Iterator[Finding]:
    keys, distractors = _split(q)
    if not keys or not distractors:
        return
    shortest = min(keys, key=lambda c: len(plain(c.text)))
    longest = max(distractors, key=lambda c: len(plain(c.text)))
    k, d = len(plain(shortest.text)), len(plain(longest.text))
    if k >= LONGEST_KEY_RATIO * d and k - d >= LONGEST_KEY_MIN_EXTRA:
        what = "the key" if len(keys) == 1 else "every key"
        yield Finding(_where(q, shortest), q.id, "longest-key",
                      f"{what} is {k / max(d, 1):.1f} times as long as the longest "
                      f"distractor ({k} vs {d} characters): test-wise learners pick the "
                      "longest option; shorten the key or lengthen the distractors")


def of_the_above(q: Question) -> Iterator[Finding]:
    for c in q.choices:
        text = plain(c.text)
        match = OF_THE_ABOVE.search(text)
        long_choice = len(text.split()) > 6
        if match and (match.group("what").lower() in ("above", "preceding", "previous")
                      or not long_choice):
            found = match.group(0)
        elif LETTER_COMBINATION.match(text):
            found = text
        else:
            continue
        yield Finding(_where(q, c), q.id, "of-the-above",
                      f"choice {_letter(q, c)} ('{found}') refers to the other choices: it "
                      "rewards partial knowledge and breaks when choices are shuffled; write "
                      "a plausible answer of its own, or make the question multiple-answer")


def _question_sentence(prompt: str) -> str:
    """The sentence that asks: the last one ending in '?', else the last sentence."""
    sentences = [s for s in SENTENCE_END.split(prompt.strip()) if s.strip()]
    asking = [s for s in sentences if s.rstrip("\"'”’*_) ").endswith("?")]
    return (asking or sentences or [""])[-1]


def negative_stem(q: Question) -> Iterator[Finding]:
    sentence = _question_sentence(q.prompt)
    masked = NOT_NEGATIVE.sub(lambda m: " " * len(m.group(0)), sentence)
    emphasized = [(m.start(), m.end()) for m in EMPHASIS.finditer(masked)]
    for match in NEGATIVE.finditer(masked):
        word = match.group(0)
        if word.isupper() and len(word) > 1:
            continue
        if any(start <= match.start() and match.end() <= end for start, end in emphasized):
            continue
        yield Finding(_where(q), q.id, "negative-stem",
                      f"the question asks in the negative ('{word}') without emphasis: "
                      f"learners miss it; ask positively, or write **{word}** or "
                      f"{word.upper()}")
        return


def absolute_distractor(q: Question) -> Iterator[Finding]:
    keys, distractors = _split(q)
    if not keys or not distractors:
        return

    def absolutes(c: Choice) -> list[str]:
        text = OF_THE_ABOVE.sub(" ", plain(c.text))  # "None of the above" has its own rule
        return [m.group(0).lower() for m in ABSOLUTE.finditer(text)]

    if any(absolutes(c) for c in keys):
        return
    flagged = [(c, absolutes(c)) for c in distractors if absolutes(c)]
    if flagged:
        first = flagged[0][0]
        found = dict.fromkeys(w for _, ws in flagged for w in ws)
        letters = ", ".join(_letter(q, c) for c, _ in flagged)
        yield Finding(_where(q, first), q.id, "absolute-distractor",
                      f"absolute words ({', '.join(found)}) appear in "
                      f"{_distractors(flagged)} {letters} but in no key: "
                      "test-wise learners rule such options out; qualify them or put a "
                      "justified absolute in a key too")


def distractor_justification(q: Question) -> Iterator[Finding]:
    keys, distractors = _split(q)
    if not keys or not distractors:
        return
    if any(JUSTIFICATION.search(plain(c.text)) for c in keys):
        return
    flagged = [(c, m) for c in distractors if (m := JUSTIFICATION.search(plain(c.text)))]
    if flagged:
        first, match = flagged[0]
        letters = ", ".join(_letter(q, c) for c, _ in flagged)
        yield Finding(_where(q, first), q.id, "distractor-justification",
                      f"{_distractors(flagged)} {letters} "
                      f"{'justify themselves' if len(flagged) > 1 else 'justifies itself'} "
                      f"('{match.group(0).lower()} ...') and no key does: the "
                      "pattern gives the key away; give every option the same form")


ItemRule = Callable[[Question], Iterator[Finding]]
CHOICE_RULES: tuple[tuple[str, ItemRule], ...] = (
    ("longest-key", longest_key),
    ("of-the-above", of_the_above),
    ("absolute-distractor", absolute_distractor),
    ("distractor-justification", distractor_justification),
)


# -- rules across questions -----------------------------------------------------------------

def duplicate_stems(questions: list[Question]) -> Iterator[Finding]:
    """Each stem that repeats, or nearly repeats, an earlier one (course order).

    Exact repeats are found by a dictionary. Near-duplicates use the prefix and positional
    filters of similarity joins (PPJoin): with every stem's words sorted rarest first, two
    stems with Jaccard >= t share a word among the first ``n - ceil(t * n) + 1`` words of
    each, and the words after the first shared one must still allow the needed overlap. So
    only a few earlier stems are compared, and never more than ``MAX_COMPARISONS`` per stem.
    """
    t = NEAR_DUPLICATE
    sets = [frozenset(words(q.prompt)) for q in questions]
    frequency = Counter(w for s in sets for w in s)
    exact: dict[frozenset[str], int] = {}
    postings: dict[str, list[tuple[int, int]]] = {}  # word -> (stem, its position there)
    for i, (q, tokens) in enumerate(zip(questions, sets, strict=True)):
        if not tokens:
            continue
        earlier = exact.setdefault(tokens, i)
        match, share = (earlier, 1.0) if earlier != i else (None, 0.0)
        ordered = sorted(tokens, key=lambda w: (frequency[w], w))
        n = len(ordered)
        examined: set[int] = set()
        for position, w in enumerate(ordered[: n - math.ceil(t * n) + 1]):
            for j, other_position in postings.get(w, ()):
                if match is not None or len(examined) >= MAX_COMPARISONS:
                    break
                if j in examined:
                    continue
                examined.add(j)
                other = sets[j]
                m = len(other)
                needed = math.ceil(t / (1 + t) * (n + m) - 1e-9)
                if not t * n <= m <= n / t or (
                        1 + min(n - position - 1, m - other_position - 1) < needed):
                    continue
                jaccard = len(tokens & other) / len(tokens | other)
                if jaccard >= t:
                    match, share = j, jaccard
            postings.setdefault(w, []).append((i, position))
        if match is None or waived(q, "duplicate-stem"):
            continue
        first = questions[match]
        where = first.prompt_mark or first.mark
        kind = "the same words as" if share == 1.0 else (
            f"nearly the same stem ({share:.0%} of the words) as")
        yield Finding(_where(q), q.id, "duplicate-stem",
                      f"{kind} '{first.id}' ({where.path}:{where.line}): learners answer the "
                      "wording they remember; ask something else or merge the two")


def key_position_skew(course: Course) -> Iterator[Finding]:
    assert course.assessment is not None
    counted = [q for q in course.assessment.questions
               if q.type == "single" and q.correct and q.correct[0] in {c.id for c in q.choices}
               and not waived(q, "key-position-skew")]
    if len(counted) < SKEW_MIN_ITEMS:
        return
    positions = Counter([c.id for c in q.choices].index(q.correct[0]) for q in counted)
    position, count = max(sorted(positions.items()), key=lambda item: item[1])
    if count / len(counted) > SKEW_SHARE:
        width = max(len(q.choices) for q in counted)
        spread = ", ".join(f"{LETTERS[p]}={positions[p]}" for p in range(min(width, len(LETTERS))))
        yield Finding(course.assessment.mark, course.assessment.id, "key-position-skew",
                      f"{count} of {len(counted)} single-answer keys ({count / len(counted):.0%})"
                      f" are choice {LETTERS[position]} (keys by position: {spread}); at most "
                      f"{SKEW_SHARE:.0%} may share a position: move keys so test-wise guessing "
                      "gains nothing")


def true_false_share(course: Course) -> Iterator[Finding]:
    assert course.assessment is not None
    questions = course.assessment.questions
    tf = [q.id for q in questions if q.type == "true-false" and not waived(q, "true-false-share")]
    if len(tf) > 1 and len(tf) > TRUE_FALSE_SHARE * len(questions):
        yield Finding(course.assessment.mark, course.assessment.id, "true-false-share",
                      f"{len(tf)} of {len(questions)} questions ({len(tf) / len(questions):.0%}) "
                      f"are true-false ({', '.join(tf)}); at most {TRUE_FALSE_SHARE:.0%}: a "
                      "guess passes half of them; rewrite some as single-answer questions")


def objective_items(course: Course) -> Iterator[Finding]:
    assert course.assessment is not None
    by_objective: dict[str, list[Question]] = {}
    for q in course.assessment.questions:
        by_objective.setdefault(q.objective, []).append(q)
    known = course.objective_ids()
    for objective, questions in by_objective.items():
        # no question at all already has its own warning (checks.objective_coverage)
        if objective in known and len(questions) < OBJECTIVE_MIN_ITEMS:
            for q in questions:
                if not waived(q, "objective-items"):
                    yield Finding(_where(q), q.id, "objective-items",
                                  f"objective '{objective}' is tested by {len(questions)} "
                                  f"post-test question; give it at least "
                                  f"{OBJECTIVE_MIN_ITEMS} so one slip does not decide it")


# -- the check ------------------------------------------------------------------------------

def lint_course(course: Course) -> list[Problem]:
    """Every item-writing warning for the course's knowledge checks and post-test."""
    questions = [q for m in course.modules for q in m.knowledge_check]
    if course.assessment:
        questions += course.assessment.questions
    findings: list[Finding] = []
    for q in questions:
        if q.type in CHOICE_TYPES:
            for name, rule in CHOICE_RULES:
                if not waived(q, name):
                    findings.extend(rule(q))
        if not waived(q, "negative-stem"):
            findings.extend(negative_stem(q))
    findings.extend(duplicate_stems(questions))
    if course.assessment and course.assessment.questions:
        findings.extend(key_position_skew(course))
        findings.extend(true_false_share(course))
        findings.extend(objective_items(course))
    return [f.problem() for f in findings]
