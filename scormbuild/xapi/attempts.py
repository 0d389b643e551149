"""Post-test attempts from the statements the player sends (docs/xapi-player.md): for item
analysis.

The player sends one ``answered`` per post-test question and then ``passed`` or ``failed`` on
the post-test, all in one registration. So an attempt is the answers of one learner and
registration up to a ``passed``/``failed``; a response is read against the question in the
course source (its ids, its key), never against whatever the statement's definition says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scormbuild.source.model import Question
from scormbuild.xapi.activities import CourseActivities
from scormbuild.xapi.evidence import Event, Skipped
from scormbuild.xapi.item_analysis import Answer, Attempt, Item, Option
from scormbuild.xapi.vocabulary import LIST_SEPARATOR, PAIR_SEPARATOR

NO_RESPONSE = "a post-test answer without a response"
BAD_RESPONSE = "a post-test response that does not fit its question"
BAD_SCORE = "a post-test passed/failed without a score between 0 and 1"
UNFINISHED = "a post-test answer with no passed/failed after it (unfinished attempt)"
SUPERSEDED = "a post-test answer given again before the attempt was scored (the last counts)"


@dataclass(frozen=True)
class Parsed:
    correct: bool
    chosen: frozenset[str]
    pattern: str = ""  # matching/sequencing: the response in a canonical order
    label: str = ""


def _labels(activities: CourseActivities, q: Question, component: str) -> dict[str, str]:
    """Plain-text labels of a question's choices (as the learner read them) by id."""
    definition = activities.get("question", q.id).definition
    out: dict[str, str] = {}
    for c in definition.get(component) or []:
        desc = c.get("description") or {}
        out[str(c.get("id"))] = next(iter(desc.values()), str(c.get("id")))
    return out


class QuestionReader:
    """Reads responses to one post-test question; builds its Item from what was seen."""

    def __init__(self, activities: CourseActivities, q: Question) -> None:
        self.q = q
        definition = activities.get("question", q.id).definition
        self.prompt = next(iter((definition.get("description") or {}).values()), q.prompt)
        if q.type == "true-false":
            self.labels = {"true": "True", "false": "False"}
            self.order = ["true", "false"]
        elif q.type == "matching":
            self.labels = _labels(activities, q, "source")
            self.targets = _labels(activities, q, "target")
            self.order = [c.id for c in q.sources]
        else:
            self.labels = _labels(activities, q, "choices")
            self.order = [c.id for c in q.choices]
        self.key_pattern = ""
        if q.type in ("matching", "sequencing"):
            key = self.read(LIST_SEPARATOR.join(
                x.replace(".", PAIR_SEPARATOR, 1) for x in q.correct))
            assert key is not None and key.correct, f"the key of {q.id} does not read back"
            self.key_pattern, self.key_label = key.pattern, key.label

    def read(self, response: str) -> Parsed | None:
        """None when the response cannot be an answer to this question."""
        q = self.q
        parts = response.split(LIST_SEPARATOR) if response else []
        if q.type in ("single", "true-false"):
            if response not in self.labels:
                return None
            return Parsed(response == q.correct[0], frozenset([response]))
        if q.type == "multiple":
            if not parts or len(set(parts)) != len(parts) or not set(parts) <= set(self.labels):
                return None
            return Parsed(set(parts) == set(q.correct), frozenset(parts))
        if q.type == "sequencing":
            if sorted(parts) != sorted(self.order):
                return None
            pattern = LIST_SEPARATOR.join(parts)
            return Parsed(parts == list(q.correct), frozenset([pattern]), pattern,
                          ", ".join(self.labels[p] for p in parts))
        # matching: source[.]target pairs; each source at most once
        pairs: dict[str, str] = {}
        for part in parts:
            source, sep, target = part.partition(PAIR_SEPARATOR)
            if not sep or source not in self.labels or target not in self.targets \
                    or source in pairs:
                return None
            pairs[source] = target
        if not pairs:
            return None
        ordered = [s for s in self.order if s in pairs]
        pattern = LIST_SEPARATOR.join(f"{s}{PAIR_SEPARATOR}{pairs[s]}" for s in ordered)
        key = dict(x.split(".", 1) for x in q.correct)
        return Parsed(pairs == key, frozenset([pattern]), pattern,
                      "; ".join(f"{self.labels[s]} \u2192 {self.targets[pairs[s]]}"
                                for s in ordered))

    def item(self, seen: Sequence[Parsed]) -> Item:
        q = self.q
        if q.type in ("single", "multiple", "true-false"):
            options = tuple(Option(i, self.labels[i], i in q.correct) for i in self.order)
            return Item(q.id, self.prompt, q.type, q.objective, options, True)
        # Patterns: the key first, then what learners answered, most frequent first.
        counts: dict[str, int] = {}
        labels = {self.key_pattern: self.key_label}
        for p in seen:
            counts[p.pattern] = counts.get(p.pattern, 0) + 1
            labels[p.pattern] = p.label
        others = sorted((k for k in labels if k != self.key_pattern),
                        key=lambda k: (-counts.get(k, 0), k))
        options = (Option(self.key_pattern, self.key_label, True),
                   *(Option(k, labels[k], False) for k in others))
        return Item(q.id, self.prompt, q.type, q.objective, options, False)


@dataclass(frozen=True)
class PostTest:
    items: tuple[Item, ...]
    attempts: tuple[Attempt, ...]
    pass_mark: int
    objectives: tuple[tuple[str, str], ...]


def _scaled(result: dict[str, Any]) -> float | None:
    score = result.get("score")
    scaled = score.get("scaled") if isinstance(score, dict) else None
    if isinstance(scaled, (int, float)) and not isinstance(scaled, bool) and 0 <= scaled <= 1:
        return float(scaled)
    return None


def post_test(activities: CourseActivities, events: Sequence[Event], skipped: Skipped,
              all_attempts: bool = False) -> PostTest:
    """Each learner's first scored attempt (every attempt with ``all_attempts``)."""
    course = activities.course
    a = course.assessment
    if a is None:
        raise ValueError("the course has no post-test")
    assessment_iri = activities.get("assessment", a.id).iri
    readers = {activities.get("question", q.id).iri: QuestionReader(activities, q)
               for q in a.questions}
    pending: dict[tuple[str, str], dict[str, Parsed]] = {}
    scored: list[tuple[datetime, int, Attempt, dict[str, Parsed]]] = []
    for e in events:
        key = (e.learner, e.registration)
        if e.verb == "answered" and e.iri in readers:
            response = e.result.get("response")
            if not isinstance(response, str):
                skipped.add(NO_RESPONSE)
                continue
            reader = readers[e.iri]
            parsed = reader.read(response)
            if parsed is None:
                skipped.add(BAD_RESPONSE)
                continue
            answers = pending.setdefault(key, {})
            if reader.q.id in answers:
                skipped.add(SUPERSEDED)
            answers[reader.q.id] = parsed
        elif e.verb in ("passed", "failed") and e.iri == assessment_iri:
            scaled = _scaled(e.result)
            if scaled is None:
                skipped.add(BAD_SCORE)
                continue
            answers = pending.pop(key, {})
            attempt = Attempt(e.learner, {qid: Answer(p.correct, p.chosen)
                                          for qid, p in answers.items()},
                              scaled, e.verb == "passed")
            scored.append((e.when, len(scored), attempt, answers))
    for answers in pending.values():
        for _ in answers:
            skipped.add(UNFINISHED)
    if not all_attempts:
        first: dict[str, tuple[datetime, int, Attempt, dict[str, Parsed]]] = {}
        for entry in scored:  # already in time order: events are
            first.setdefault(entry[2].learner, entry)
        scored = sorted(first.values(), key=lambda x: (x[0], x[1]))
    by_question: dict[str, list[Parsed]] = {q.id: [] for q in a.questions}
    for _, _, _, answers in scored:
        for qid, parsed in answers.items():
            by_question[qid].append(parsed)
    items = tuple(r.item(by_question[r.q.id]) for r in readers.values())
    objectives = tuple((o.id, o.text) for o in course.objectives)
    return PostTest(items, tuple(x[2] for x in scored), a.policy.pass_mark, objectives)
