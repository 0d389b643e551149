"""Time spent by learners who completed the course, from the statements the player sends
(docs/xapi-player.md): for ``xapi seat-time``.

- Course: the ``duration`` of the course ``completed`` (the player's active seat time at
  completion, idle time left out); without one, the sum of the ``terminated`` durations before
  the completion (each session's active time).
- Module: the ``duration`` of every ``experienced`` on the module's pages, plus the longest
  ``answered`` duration of its knowledge-check questions (each runs from the showing of the
  check, so the longest is the time spent on the check), up to the course completion. These
  are times on screen: the player sends no per-module idle-free figure.
- One completion per learner: the first, with the statements of its registration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from scormbuild.xapi.activities import CourseActivities
from scormbuild.xapi.evidence import Event, Skipped
from scormbuild.xapi.records import parse_duration

BAD_DURATION = "a duration that is not an ISO 8601 duration"
NO_COURSE_TIME = "a course completion with no duration and no terminated session"


@dataclass
class LearnerTimes:
    learner: str
    course_seconds: float
    module_seconds: dict[str, float] = field(default_factory=dict)  # only modules with data


def _seconds(e: Event, skipped: Skipped) -> float | None:
    value = e.result.get("duration")
    seconds = parse_duration(value)
    if seconds is None:
        skipped.add(BAD_DURATION)
    return seconds


def completers(activities: CourseActivities, events: Sequence[Event], skipped: Skipped
               ) -> tuple[list[LearnerTimes], int]:
    """Times of every learner with a course completion, and how many learners there are."""
    root = activities.root.iri
    page_module: dict[str, str] = {}
    check_module: dict[str, str] = {}
    for m in activities.course.modules:
        for p in m.pages:
            page_module[activities.get("page", p.id).iri] = m.id
        for q in m.knowledge_check:
            check_module[activities.get("question", q.id).iri] = m.id
    groups: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        groups.setdefault((e.learner, e.registration), []).append(e)
    first: dict[str, tuple[datetime, list[Event], Event]] = {}
    for group in groups.values():
        done = next((e for e in group if e.verb == "completed" and e.iri == root), None)
        if done is None:
            continue
        learner = done.learner
        if learner not in first or done.when < first[learner][0]:
            first[learner] = (done.when, group, done)
    out: list[LearnerTimes] = []
    for learner, (when, group, done) in sorted(first.items()):
        course = _seconds(done, skipped) if "duration" in done.result else None
        if course is None:
            sessions = [_seconds(e, skipped) for e in group
                        if e.verb == "terminated" and e.iri == root and e.when <= when]
            valid = [s for s in sessions if s is not None]
            if not valid:
                skipped.add(NO_COURSE_TIME)
                continue
            course = sum(valid)
        pages: dict[str, float] = {}
        checks: dict[str, float] = {}
        for e in group:
            if e.when > when:
                continue
            if e.verb == "experienced" and e.iri in page_module:
                s = _seconds(e, skipped)
                if s is not None:
                    mid = page_module[e.iri]
                    pages[mid] = pages.get(mid, 0.0) + s
            elif e.verb == "answered" and e.iri in check_module:
                s = _seconds(e, skipped)
                if s is not None:
                    mid = check_module[e.iri]
                    checks[mid] = max(checks.get(mid, 0.0), s)
        modules = {mid: pages.get(mid, 0.0) + checks.get(mid, 0.0)
                   for mid in set(pages) | set(checks)}
        out.append(LearnerTimes(learner, course, modules))
    return out, len({e.learner for e in events})
