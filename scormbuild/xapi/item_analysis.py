"""Classical item analysis of a post-test: pure statistics, no I/O.

Input: the items (questions with their options and key) and the attempts (which options each
attempt chose, whether it was right, the score the LRS recorded). Output: per item difficulty,
corrected point-biserial discrimination, option shares and flags; per objective the mastery
rate; overall pass rate, score distribution and KR-20. docs/ce-evidence.md says how to read
each figure; the thresholds are the usual ones of classical test theory.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Flag thresholds (docs/ce-evidence.md).
HARD_BELOW = 0.30
EASY_ABOVE = 0.95
WEAK_RPB_BELOW = 0.20
RARE_DISTRACTOR_BELOW = 0.05
PROVISIONAL_BELOW = 30  # fewer attempts than this: figures shown, marked provisional

HARD, EASY, WEAK, RARE, TOP_PREFERS = "hard", "easy", "weak", "rare-distractor", "top-prefers"


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    key: bool  # part of the correct answer


@dataclass(frozen=True)
class Item:
    id: str
    prompt: str
    type: str  # single, multiple, true-false, matching, sequencing
    objective: str
    options: tuple[Option, ...]
    # Distractor flags need fixed options (single, multiple, true-false); matching and
    # sequencing options are the response patterns learners gave.
    has_distractors: bool


@dataclass(frozen=True)
class Answer:
    correct: bool
    chosen: frozenset[str]  # option ids


@dataclass(frozen=True)
class Attempt:
    learner: str
    answers: dict[str, Answer]  # item id -> answer
    scaled: float  # the score the LRS recorded, 0..1
    passed: bool


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str  # one sentence a committee can read


@dataclass(frozen=True)
class OptionStats:
    option: Option
    share: float  # of all analysed attempts
    top_share: float  # of the top third


@dataclass(frozen=True)
class ItemStats:
    item: Item
    n: int
    p: float
    r_pb: float | None  # None when undefined (no variance)
    top_n: int
    top_p: float  # proportion correct in the top third
    options: tuple[OptionStats, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class ObjectiveStats:
    id: str
    text: str
    items: tuple[str, ...]
    n: int
    mastery: float  # share of attempts with at least the pass mark on this objective's items
    mean: float  # mean proportion correct on this objective's items


@dataclass(frozen=True)
class Report:
    items: tuple[ItemStats, ...]
    objectives: tuple[ObjectiveStats, ...]
    attempts: int  # scored attempts analysed
    learners: int
    complete: int  # attempts with an answer to every item (the item statistics' n)
    passed: int
    pass_rate: float | None
    mean_score: float | None  # percent
    histogram: tuple[int, ...]  # attempts per 10-point band: 0-9, 10-19, ..., 90-100
    kr20: float | None
    pass_mark: int
    provisional: bool
    notes: tuple[str, ...] = field(default_factory=tuple)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pvariance(values: Sequence[float]) -> float:
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / len(values)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either variable does not vary."""
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def kr20(scores: Sequence[Sequence[int]]) -> float | None:
    """Kuder-Richardson 20 of 0/1 item scores (one row per attempt), with the population
    variance of the totals; None with fewer than two items or totals that do not vary."""
    if not scores:
        return None
    k = len(scores[0])
    totals = [sum(row) for row in scores]
    var = pvariance(totals)
    if k < 2 or var <= 1e-12:
        return None
    pq = 0.0
    for j in range(k):
        p = mean([row[j] for row in scores])
        pq += p * (1 - p)
    return k / (k - 1) * (1 - pq / var)


def top_third(totals: Sequence[int]) -> list[int]:
    """Indexes of the top third of scorers. Attempts with the same total are never split (any
    split would be arbitrary), so the group is the highest totals taken whole, as many as
    bring its size closest to n/3 (the larger group when two are equally close)."""
    if not totals:
        return []
    target = len(totals) / 3
    best_cut, best_gap, size = max(totals), math.inf, 0
    for cut in sorted(set(totals), reverse=True):
        size += totals.count(cut)
        gap = abs(size - target)
        if gap <= best_gap:
            best_cut, best_gap = cut, gap
        else:
            break  # sizes only grow from here
    return [i for i, t in enumerate(totals) if t >= best_cut]


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if abs(x * 100 - round(x * 100)) < 1e-9 else f"{x * 100:.1f}%"


def _flags(item: Item, p: float, r_pb: float | None, top_p: float,
           options: Sequence[OptionStats]) -> list[Flag]:
    flags: list[Flag] = []
    if p < HARD_BELOW:
        flags.append(Flag(HARD, f"Very hard: only {_pct(p)} answered correctly "
                                f"(p < {HARD_BELOW:.2f}). Check the key and the wording."))
    if p > EASY_ABOVE:
        flags.append(Flag(EASY, f"Very easy: {_pct(p)} answered correctly "
                                f"(p > {EASY_ABOVE:.2f}); it tells learners apart little."))
    if r_pb is not None and r_pb < WEAK_RPB_BELOW:
        flags.append(Flag(WEAK, f"Weak discrimination: r_pb = {r_pb:.2f} (< "
                                f"{WEAK_RPB_BELOW:.2f}); learners who did well on the rest of "
                                "the test were not more likely to get it right."))
    if item.has_distractors:
        for o in options:
            if o.option.key:
                continue
            if o.share < RARE_DISTRACTOR_BELOW:
                flags.append(Flag(RARE, f"Distractor \u201c{o.option.label}\u201d chosen by "
                                        f"{_pct(o.share)} (< 5%): it distracts almost nobody."))
            if o.top_share > top_p:
                flags.append(Flag(TOP_PREFERS, f"Distractor \u201c{o.option.label}\u201d chosen "
                                               f"by {_pct(o.top_share)} of the top third of "
                                               f"scorers, more than answered correctly "
                                               f"({_pct(top_p)}): check the key."))
    return flags


def analyse_item(item: Item, answers: Sequence[Answer], totals: Sequence[int],
                 top: Sequence[int]) -> ItemStats:
    """One item over the complete attempts (``totals``: each attempt's number right)."""
    n = len(answers)
    scores = [1 if a.correct else 0 for a in answers]
    p = mean(scores)
    # Corrected: the item's own score is taken out of the total it is correlated with.
    rest = [t - s for t, s in zip(totals, scores, strict=True)]
    r_pb = pearson(scores, rest)
    top_p = mean([scores[i] for i in top])
    options = tuple(
        OptionStats(o, sum(o.id in a.chosen for a in answers) / n,
                    sum(o.id in answers[i].chosen for i in top) / len(top))
        for o in item.options)
    return ItemStats(item, n, p, r_pb, len(top), top_p, options,
                     tuple(_flags(item, p, r_pb, top_p, options)))


def histogram(percents: Sequence[float]) -> tuple[int, ...]:
    """Attempts per 10-point band (0-9.99, ..., 90-100)."""
    bands = [0] * 10
    for pct in percents:
        bands[min(9, max(0, int(math.floor(pct / 10 + 1e-9))))] += 1
    return tuple(bands)


def analyse(items: Sequence[Item], attempts: Sequence[Attempt], pass_mark: int,
            objectives: Sequence[tuple[str, str]]) -> Report:
    """The whole report. Item statistics use the attempts that answered every item; attempt
    counts, pass rate and the score distribution use every scored attempt."""
    complete = [a for a in attempts if all(i.id in a.answers for i in items)]
    notes: list[str] = []
    if len(complete) < len(attempts):
        notes.append(f"{len(attempts) - len(complete)} attempt(s) lacked an answer to some "
                     "question and are left out of the item statistics.")
    item_stats: list[ItemStats] = []
    objective_stats: list[ObjectiveStats] = []
    k20: float | None = None
    if complete and items:
        matrix = [[1 if a.answers[i.id].correct else 0 for i in items] for a in complete]
        totals = [sum(row) for row in matrix]
        top = top_third(totals)
        item_stats = [analyse_item(i, [a.answers[i.id] for a in complete], totals, top)
                      for i in items]
        k20 = kr20(matrix)
        for oid, text in objectives:
            cols = [j for j, i in enumerate(items) if i.objective == oid]
            if not cols:
                continue
            shares = [sum(row[j] for j in cols) / len(cols) for row in matrix]
            objective_stats.append(ObjectiveStats(
                oid, text, tuple(items[j].id for j in cols), len(complete),
                mastery=mean([1.0 if s * 100 >= pass_mark - 1e-9 else 0.0 for s in shares]),
                mean=mean(shares)))
    percents = [a.scaled * 100 for a in attempts]
    passed = sum(a.passed for a in attempts)
    return Report(
        items=tuple(item_stats), objectives=tuple(objective_stats),
        attempts=len(attempts), learners=len({a.learner for a in attempts}),
        complete=len(complete), passed=passed,
        pass_rate=passed / len(attempts) if attempts else None,
        mean_score=mean(percents) if percents else None,
        histogram=histogram(percents), kr20=k20, pass_mark=pass_mark,
        provisional=len(complete) < PROVISIONAL_BELOW, notes=tuple(notes))
