"""Reading an LRS's statements for the CE evidence reports (``xapi item-analysis``,
``xapi seat-time``): what is usable, and what was skipped and why.

Statements come as whatever JSON the LRS returned: another tool's statements about the same
course, a question the course no longer has, a hand-made statement without a timestamp. None
of them may end the report in a traceback, and none may vanish silently: each is skipped with
a reason, and the reports print the counts. Fetching is records.py's; the statistics are in
item_analysis.py and seat_time.py, which never see raw JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scormbuild.xapi.records import course_object, identifier, parse_time
from scormbuild.xapi.vocabulary import ADL_VERBS

# Skip reasons, worded for the report's reader.
FOREIGN = "not about this course (another activity)"
UNKNOWN_ACTIVITY = "about an activity this version of the course does not have"
NO_ACTOR = "no learner identifier (actor)"
NO_TIME = "no valid timestamp"
DUPLICATE = "the same statement id twice"
NOT_AN_OBJECT = "not a JSON object"

CLOSING = frozenset({"passed", "failed", "completed", "terminated"})


@dataclass
class Skipped:
    """Statements left out of a report, counted by reason."""

    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, reason: str) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.reasons.values())

    def items(self) -> list[tuple[str, int]]:
        return sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class Event:
    """One usable statement: who, which attempt, when, what verb on which activity."""

    learner: str  # the actor's identifier (records.identifier)
    registration: str
    when: datetime
    verb: str  # the ADL verb's name ("answered"), or the verb IRI for any other verb
    iri: str
    result: dict[str, Any]
    statement_id: str


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _verb(statement: dict[str, Any]) -> str:
    vid = _dict(statement.get("verb")).get("id")
    if not isinstance(vid, str):
        return ""
    return vid[len(ADL_VERBS):] if vid.startswith(ADL_VERBS) else vid


def read_events(base: str, known: set[str], statements: Iterable[Any]
                ) -> tuple[list[Event], Skipped]:
    """The usable statements about the course at ``base`` (activity IRIs in ``known``), in
    time order, and the rest counted by reason."""
    base = base.rstrip("/")
    skipped = Skipped()
    seen: set[str] = set()
    events: list[Event] = []
    for s in statements:
        if not isinstance(s, dict):
            skipped.add(NOT_AN_OBJECT)
            continue
        # A cmi5 AU's statements (object: the LMS's activity id) count as the course's.
        iri = course_object(s, base)
        if not (iri == base or iri.startswith(base + "/")):
            skipped.add(FOREIGN)
            continue
        if iri not in known:
            skipped.add(UNKNOWN_ACTIVITY)
            continue
        sid = s.get("id") if isinstance(s.get("id"), str) else ""
        if sid and sid in seen:  # a statement on two pages of a shifting result set
            skipped.add(DUPLICATE)
            continue
        seen.add(sid)
        learner = identifier(_dict(s.get("actor")))
        if not learner or learner == "|":
            skipped.add(NO_ACTOR)
            continue
        stamp = s.get("timestamp") or s.get("stored")
        try:
            when = parse_time(stamp) if isinstance(stamp, str) else None
        except ValueError:
            when = None
        if when is None:
            skipped.add(NO_TIME)
            continue
        registration = _dict(s.get("context")).get("registration")
        events.append(Event(
            learner=learner,
            registration=registration if isinstance(registration, str) else "",
            when=when, verb=_verb(s), iri=iri, result=_dict(s.get("result")),
            statement_id=sid))
    # LRSs answer newest first; at one timestamp (the player sends a post-test's answers and
    # its score in one go) the statements that close something come after the rest.
    events.sort(key=lambda e: (e.when, e.verb in CLOSING))
    return events, skipped
