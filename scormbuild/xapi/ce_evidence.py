"""``xapi item-analysis`` and ``xapi seat-time``: from the course source and the LRS to the
report data (rendering is evidence_report.py).

Statements are fetched with records.py's ``fetch_statements`` (the same query and paging as
``xapi records``), read by evidence.py, and analysed by the pure modules item_analysis.py and
seat_time.py, with the question keys and the time estimate taken from the course source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scormbuild.outline import estimate_minutes, outline
from scormbuild.problems import Problem, ProblemsFound
from scormbuild.render.course_json import RenderedCourse
from scormbuild.source.model import Course
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.attempts import post_test
from scormbuild.xapi.evidence import Event, Skipped, read_events
from scormbuild.xapi.item_analysis import Report, analyse
from scormbuild.xapi.lrs import DEFAULT_TIMEOUT, Lrs, basic_auth, normalise_endpoint
from scormbuild.xapi.proxy import ProxyChoice
from scormbuild.xapi.records import fetch_statements, utc
from scormbuild.xapi.seat_time import SeatTimeReport, seat_time_report
from scormbuild.xapi.timings import completers


@dataclass(frozen=True)
class DataSource:
    """Where the figures come from, printed at the top of every report."""

    title: str
    course_id: str
    version: str
    iri: str
    endpoint: str
    since: str
    fetched: int  # statements the LRS returned
    used: int  # statements read (before report-specific checks)
    skipped: Skipped
    first: str  # earliest and latest statement timestamps read (UTC)
    last: str
    ce_hours: float | None


@dataclass(frozen=True)
class Query:
    endpoint: str
    user: str
    password: str
    since: str | None = None  # already an ISO string (records.parse_since)
    timeout: float = DEFAULT_TIMEOUT
    proxies: ProxyChoice | None = None  # None: the environment's *_proxy variables


def _read(activities: CourseActivities, query: Query
          ) -> tuple[list[Event], Skipped, int]:
    # fetch_statements follows `more` links on the endpoint's origin only (credentials never
    # leave it), and normalise_endpoint refuses an endpoint with user:password@ in it.
    lrs = Lrs(normalise_endpoint(query.endpoint), basic_auth(query.user, query.password),
              query.timeout, query.proxies or ProxyChoice.from_environment())
    base = activities.root.iri
    statements = fetch_statements(lrs, base, query.since)
    events, skipped = read_events(base, {a.iri for a in activities}, statements)
    return events, skipped, len(statements)


def _source(activities: CourseActivities, query: Query, events: list[Event],
            skipped: Skipped, fetched: int) -> DataSource:
    c = activities.course
    return DataSource(
        title=c.title, course_id=c.id, version=c.version, iri=activities.root.iri,
        endpoint=normalise_endpoint(query.endpoint),
        since=query.since or "",
        fetched=fetched, used=len(events), skipped=skipped,
        first=utc(events[0].when) if events else "", last=utc(events[-1].when) if events else "",
        ce_hours=c.ce.hours if c.ce else None)


@dataclass(frozen=True)
class ItemAnalysis:
    source: DataSource
    report: Report
    all_attempts: bool
    title: str  # the post-test's title


def item_analysis(course: Course, rendered: RenderedCourse, query: Query,
                  all_attempts: bool = False) -> ItemAnalysis:
    activities = course_activities(course, rendered)
    assessment = activities.course.assessment
    if assessment is None:
        mark = activities.course.mark
        raise ProblemsFound([Problem(str(mark.path), mark.line, mark.col,
                                     "the course has no post-test (posttest.yaml), so there "
                                     "is nothing to analyse")])
    events, skipped, fetched = _read(activities, query)
    data = post_test(activities, events, skipped, all_attempts)
    report = analyse(data.items, data.attempts, data.pass_mark, data.objectives)
    return ItemAnalysis(_source(activities, query, events, skipped, fetched), report,
                        all_attempts, assessment.title)


@dataclass(frozen=True)
class SeatTime:
    source: DataSource
    report: SeatTimeReport
    words: int
    method: dict[str, Any]  # the estimate's rule, as `scormbuild outline --json` gives it


def seat_time(course: Course, rendered: RenderedCourse, query: Query) -> SeatTime:
    activities = course_activities(course, rendered)
    # The estimate is the one `scormbuild outline` prints (docs/ce-hours.md), from the same
    # code: the course total as it is, each module as its reading plus its knowledge check.
    plan = outline(course, rendered)
    events, skipped, fetched = _read(activities, query)
    times, learners = completers(activities, events, skipped)
    modules = [(m["id"], m["title"],
                estimate_minutes(m["words"], len(m["questions"]), 0),
                [t.module_seconds[m["id"]] for t in times if m["id"] in t.module_seconds])
               for m in plan["modules"]]
    report = seat_time_report((plan["id"], plan["title"], plan["estimated_minutes"]),
                              [t.course_seconds for t in times], modules, learners)
    return SeatTime(_source(activities, query, events, skipped, fetched), report,
                    plan["words"], plan["estimate_method"])
