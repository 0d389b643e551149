"""``scormbuild xapi seat-time`` against the real LRS: 14 scripted learners who completed (so the
figures are provisional), two who did not, one who completed twice, one whose completion has
no duration (its sessions count), a revisit after completion (left out) and a foreign
statement (skipped and counted).

Expected percentiles come from ``statistics.quantiles(method="inclusive")`` (the same
definition as spreadsheets' PERCENTILE.INC) over the designed times; the estimates from
``scormbuild outline --json`` and the rule of docs/ce-hours.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support.build import outline
from support.statements import StatementBuilder
from tincan import Agent

from scormbuild.build import compile_course
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.evidence import Event, read_events
from scormbuild.xapi.timings import completers
from scormbuild.xapi.vocabulary import ADL_VERBS
from tests.helpers import SAMPLE, run_cli
from tests.xapi.conftest import sample_with_own_iri

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=timezone.utc)
COMPLETERS = 14
FALLBACK = 12  # this learner's completion carries no duration: two sessions before it count
TWICE = 13  # completes in two registrations; the first completion counts
SESSIONS = (400.0, 500.0)
LATE_SESSION = 999.0  # after the completion: not part of the time to complete


def course_seconds(i: int) -> float:
    return 1500.0 + 97 * i + (i % 3) * 211.5


def pages(i: int) -> dict[str, list[float]]:
    """Page id -> the durations of each visit."""
    return {"basics-intro": [100.0 + 10 * i] + ([30.0] if i % 2 == 0 else []),
            "basics-kinds": [200.0 + 5 * i], "basics-vignette": [150.0],
            "practice-routine": [120.0 + 7 * i], "practice-case": [300.0 - 3 * i]}


def checks(i: int) -> dict[str, float]:
    """Knowledge-check question id -> the answer's duration (time since the check showed)."""
    return {"kc-basics-kinds": 20.0 + i, "kc-basics-gear": 35.0 + i,
            "kc-practice-steps": 25.0}


def expected_module_seconds(i: int) -> dict[str, float]:
    p = pages(i)
    c = checks(i)
    return {
        "basics": sum(sum(p[x]) for x in ("basics-intro", "basics-kinds", "basics-vignette"))
        + max(c["kc-basics-kinds"], c["kc-basics-gear"]),
        "practice": sum(sum(p[x]) for x in ("practice-routine", "practice-case"))
        + c["kc-practice-steps"],
    }


def expected_course_seconds(i: int) -> float:
    return sum(SESSIONS) if i == FALLBACK else course_seconds(i)


def _json(statement: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(statement.to_json())
    return data


def _learner(activities: CourseActivities, i: int, complete: bool = True
             ) -> list[dict[str, Any]]:
    actor = Agent(name=f"Learner {i:02d}", mbox=f"mailto:seat{i:02d}@example.org")
    b = StatementBuilder(activities, actor, str(uuid.uuid4()))
    start = T0 + timedelta(hours=i)
    out = []
    b.now = start
    out.append(_json(b.launched()))
    minute = 1
    for page_id, visits in pages(i).items():
        for seconds in visits:
            b.now = start + timedelta(minutes=minute)
            minute += 1
            out.append(_json(b.experienced(page_id, seconds)))
    for question_id, seconds in checks(i).items():
        b.now = start + timedelta(minutes=minute)
        out.append(_json(b.answered(question_id, "x", False, seconds)))
    if not complete:
        return out
    if i == FALLBACK:
        for k, seconds in enumerate(SESSIONS):
            b.now = start + timedelta(minutes=40 + k)
            out.append(_json(b.terminated(seconds)))
    b.now = start + timedelta(minutes=50)
    done = _json(b.completed_course(course_seconds(i), success=True))
    if i == FALLBACK:
        del done["result"]["duration"]
    out.append(done)
    b.now = start + timedelta(minutes=60)  # a revisit and a session after completing
    out.append(_json(b.experienced("basics-intro", 5000)))
    out.append(_json(b.terminated(LATE_SESSION)))
    if i == TWICE:  # a second registration, completed later: not counted
        again = StatementBuilder(activities, actor, str(uuid.uuid4()),
                                 now=start + timedelta(days=2))
        out.append(_json(again.experienced("basics-intro", 7777)))
        out.append(_json(again.completed_course(99999, success=True)))
    return out


@dataclass
class Scenario:
    src: Path
    activities: CourseActivities
    statements: list[dict[str, Any]]


@pytest.fixture(scope="module")
def scenario(lrs: Any, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    src = sample_with_own_iri(tmp_path_factory.mktemp("seat"), "seat")
    compiled = compile_course(src)
    activities = course_activities(compiled.course, compiled.rendered)
    statements: list[dict[str, Any]] = []
    for i in range(COMPLETERS):
        statements += _learner(activities, i)
    for i in (20, 21):
        statements += _learner(activities, i, complete=False)
    statements.append({
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:other@example.org"},
        "verb": {"id": ADL_VERBS + "experienced", "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": "https://other.example.org/page/1"},
        "result": {"duration": "PT10M"},
        "context": {"contextActivities": {"grouping": [{"id": activities.root.iri}]}},
        "timestamp": T0.isoformat(),
    })
    for start in range(0, len(statements), 100):
        status, body = lrs.post_statements(statements[start:start + 100])
        assert status == 200, body
    return Scenario(src, activities, statements)


def _cli(lrs: Any, *args: str | Path) -> Any:
    result = run_cli("xapi", "seat-time", *args, "--endpoint", lrs.endpoint,
                     "--user", "test", "--password", "test")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def rows(lrs: Any, scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
         ) -> dict[str, dict[str, str]]:
    out = tmp_path_factory.mktemp("seat-csv") / "seat.csv"
    _cli(lrs, scenario.src, "--format", "csv", "-o", out)
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    return {r["id"] if r["part"] != "skipped" else "skipped:" + r["title"]: r for r in reader}


def _quantiles(values: list[float]) -> dict[str, float]:
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    return {"p10": deciles[0], "q1": quartiles[0], "median": quartiles[1],
            "q3": quartiles[2], "p90": deciles[8]}


def _check(row: dict[str, str], seconds: list[float], estimate: float) -> None:
    q = _quantiles(seconds)
    assert row["n"] == str(len(seconds))
    for name, value in q.items():
        assert math.isclose(float(row[f"{name}_minutes"]), value / 60, abs_tol=0.006), name
    assert math.isclose(float(row["iqr_minutes"]), (q["q3"] - q["q1"]) / 60, abs_tol=0.006)
    assert math.isclose(float(row["estimate_minutes"]), estimate, abs_tol=0.05)
    assert math.isclose(float(row["median_to_estimate"]), q["median"] / 60 / estimate,
                        abs_tol=0.0006)
    assert row["provisional"] == "yes"  # fewer than 30 learners


def test_course_time_against_the_outline_estimate(scenario: Scenario,
                                                  rows: dict[str, dict[str, str]]):
    plan = outline(scenario.src)
    course = rows[plan["id"]]
    assert course["part"] == "course"
    _check(course, [expected_course_seconds(i) for i in range(COMPLETERS)],
           plan["estimated_minutes"])


def test_module_times_against_their_reading_and_check_estimates(
        scenario: Scenario, rows: dict[str, dict[str, str]]):
    plan = outline(scenario.src)
    method = plan["estimate_method"]
    for module in plan["modules"]:
        # docs/ce-hours.md: words at 10,000 an hour, one minute per question; minutes to one
        # decimal, as `outline` gives the course's.
        estimate = round(module["words"] / method["reading_words_per_hour"] * 60
                         + len(module["questions"]) * method["minutes_per_question"], 1)
        row = rows[module["id"]]
        assert row["part"] == "module"
        _check(row, [expected_module_seconds(i)[module["id"]] for i in range(COMPLETERS)],
               estimate)


def test_foreign_statement_is_skipped_and_counted(rows: dict[str, dict[str, str]]):
    skipped = {k: r["n"] for k, r in rows.items() if k.startswith("skipped:")}
    assert skipped == {"skipped:not about this course (another activity)": "1"}


def test_html_report_renders_in_chromium(lrs: Any, scenario: Scenario, tmp_path: Path,
                                         chromium: Any):
    out = tmp_path / "seat.html"
    result = _cli(lrs, scenario.src, "-o", out)
    assert "provisional" in result.stderr
    html = out.read_text(encoding="utf-8")
    for needle in ("<script", "<link", " src=", "@import", "url("):
        assert needle not in html, needle
    plan = outline(scenario.src)
    median = statistics.median([expected_course_seconds(i) for i in range(COMPLETERS)])
    page = chromium.new_page()
    try:
        page.goto(out.as_uri())
        assert page.locator("[data-provisional]").is_visible()
        assert page.locator("svg.chart").is_visible()
        assert page.locator('[data-figure="completers"]').inner_text() == str(COMPLETERS)
        assert page.locator('[data-figure="learners"]').inner_text() == str(COMPLETERS + 2)
        assert page.locator('[data-figure="median"]').inner_text() == \
            f"{median / 60:.1f} minutes"
        assert page.locator('[data-figure="estimate"]').inner_text() == \
            f"{plan['estimated_minutes']:.1f} minutes"
        for part in [plan["id"], *(m["id"] for m in plan["modules"])]:
            assert page.locator(f'tr[data-part="{part}"]').is_visible()
        assert len(page.pdf()) > 1000
    finally:
        page.close()


def test_garbage_statements_never_end_in_a_traceback():
    """Whatever JSON an LRS or a proxy hands back, reading it skips and counts."""
    compiled = compile_course(SAMPLE)
    activities = course_activities(compiled.course, compiled.rendered)
    base = activities.root.iri
    page = base + "/page/basics-intro"
    garbage: list[Any] = [
        None, 3, "text", [], {},
        {"object": "not an object"},
        {"object": {"id": page}, "actor": "nobody"},
        {"object": {"id": page}, "actor": {"mbox": "mailto:a@example.org"}, "timestamp": 5},
        {"object": {"id": page}, "actor": {"mbox": "mailto:a@example.org"},
         "timestamp": "yesterday"},
        {"object": {"id": base}, "actor": {"mbox": "mailto:a@example.org"},
         "timestamp": "2026-01-01T00:00:00Z", "verb": ["completed"], "result": "done"},
        {"object": {"id": base}, "actor": {"mbox": "mailto:a@example.org"},
         "timestamp": "2026-01-01T00:00:00Z", "verb": {"id": ADL_VERBS + "completed"},
         "result": {"duration": "ten minutes"}},
    ]
    events, skipped = read_events(base, {a.iri for a in activities}, garbage)
    assert all(isinstance(e, Event) for e in events)
    times, learners = completers(activities, events, skipped)
    assert times == [] and learners == 1
    # Nine unreadable (4 not objects, 2 foreign, 1 without actor, 2 without a time); the two
    # readable ones: an unknown verb (ignored) and a completion whose duration is unusable.
    assert len(events) == 2
    assert skipped.total == 9 + 2
    assert skipped.reasons["a duration that is not an ISO 8601 duration"] == 1
    assert skipped.reasons[
        "a course completion with no duration and no terminated session"] == 1
