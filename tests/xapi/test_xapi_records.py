"""``scormbuild xapi records`` against the real LRS: two scripted learners (one passes on the
second attempt, does the evaluation and earns a certificate; one fails both attempts), the
real command line, the CSV checked field by field against what was scripted.

Each test module run uses its own course IRI (a copy of the sample course with a unique
``xapi_base``), so statements other tests left in the session's LRS never show up here.
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support.statements import StatementBuilder
from tincan import Agent, AgentAccount, Statement

from scormbuild.build import compile_course
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.lrs import Lrs, basic_auth
from scormbuild.xapi.records import HEADER, fetch_statements, hms, roster, to_csv
from scormbuild.xapi.vocabulary import EARNED
from tests.helpers import SAMPLE, run_cli
from tests.xapi.conftest import sample_with_own_iri
from tests.xapi.netutil import closed_port

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CERT_ID, CERT_DAY = "7KQ3-M9XD", "2026-03-03"


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _data(statements: list[Statement]) -> list[dict[str, Any]]:
    return [json.loads(s.to_json()) for s in statements]


class Script:
    """Statements of one learner and registration, each at a chosen time."""

    def __init__(self, activities: CourseActivities, actor: Agent) -> None:
        self.builder = StatementBuilder(activities, actor, str(uuid.uuid4()))
        self.statements: list[Statement] = []

    def at(self, when: datetime, method: str, *args: Any, **kwargs: Any) -> Statement:
        self.builder.now = when
        statement: Statement = getattr(self.builder, method)(*args, **kwargs)
        self.statements.append(statement)
        return statement


@dataclass
class Scenario:
    src: Path
    iri: str
    ann: Script
    bob: Script
    between: str  # an ISO time after Ann's statements were stored and before Bob's
    n: int  # post-test questions
    pass_mark: int


def _course_copy(tmp: Path) -> Path:
    return sample_with_own_iri(tmp, "records")


def _ann(activities: CourseActivities, n: int, pass_mark: int) -> Script:
    """Fails the first attempt (1 right), passes the second (n - 1 right) the next day, does
    the evaluation; the completion goes out, then the certificate as ``earned``."""
    ann = Script(activities, Agent(name="Ann Learner", mbox="mailto:ann@example.org"))
    ann.at(T0, "launched")
    ann.at(T0 + timedelta(seconds=1), "initialized")
    ann.at(T0 + timedelta(minutes=9), "assessed", 1, n, pass_mark, 120)
    ann.at(T0 + timedelta(minutes=11), "terminated", 660.25)
    day2 = T0 + timedelta(days=1, hours=1)
    ann.at(day2, "launched")
    ann.at(day2 + timedelta(seconds=2), "initialized")
    ann.at(day2 + timedelta(minutes=5), "assessed", n - 1, n, pass_mark, 150)
    for item in activities.course.evaluation.items if activities.course.evaluation else []:
        ann.at(day2 + timedelta(minutes=7), "answered_survey", item.id,
               "4" if item.type == "likert" else "Clear and useful.", 8)
    ann.at(day2 + timedelta(minutes=8), "completed_course", 1500, success=True)
    ann.at(day2 + timedelta(minutes=9), "earned_certificate", CERT_ID, CERT_DAY)
    ann.at(day2 + timedelta(minutes=15), "terminated", 905.5)
    return ann


def _bob(activities: CourseActivities, n: int, pass_mark: int) -> Script:
    """Fails both attempts (1 then 2 right), in one session; an LMS account, not an mbox."""
    bob = Script(activities, Agent(name="Bob Learner", account=AgentAccount(
        home_page="https://lms.example.org", name="bob-17")))
    t = T0 + timedelta(days=2)
    bob.at(t, "launched")
    bob.at(t + timedelta(seconds=1), "initialized")
    bob.at(t + timedelta(minutes=20), "assessed", 1, n, pass_mark, 100)
    bob.at(t + timedelta(minutes=30), "assessed", 2, n, pass_mark, 100)
    bob.at(t + timedelta(minutes=31), "terminated", 1860.4)
    return bob


def _post(lrs: Any, statements: list[Statement]) -> None:
    status, body = lrs.post_statements(_data(statements))
    assert status == 200, body


@pytest.fixture(scope="module")
def scenario(lrs: Any, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    src = _course_copy(tmp_path_factory.mktemp("records"))
    compiled = compile_course(src)
    activities = course_activities(compiled.course, compiled.rendered)
    assert activities.course.assessment is not None
    n = len(activities.course.assessment.questions)
    pass_mark = activities.course.assessment.policy.pass_mark
    assert (n - 1) * 100 >= pass_mark * n > 2 * 100, "the script needs n-1 right to pass"
    ann, bob = _ann(activities, n, pass_mark), _bob(activities, n, pass_mark)
    _post(lrs, ann.statements)
    time.sleep(1.0)  # `since` compares with the time the LRS stored a statement
    between = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    time.sleep(1.0)
    _post(lrs, bob.statements)
    return Scenario(src, activities.root.iri, ann, bob, between, n, pass_mark)


def _run(lrs: Any, out: Path, *args: str | Path) -> list[dict[str, str]]:
    result = run_cli("xapi", "records", *args, "--endpoint", lrs.endpoint,
                     "--user", "test", "--password", "test", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    text = out.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == HEADER
    return list(reader)


def _score(right: int, n: int) -> str:
    return f"{round(right / n, 4) * 100:.2f}"


def test_records_gives_one_row_per_learner_field_by_field(lrs, scenario: Scenario,
                                                          tmp_path: Path):
    rows = _run(lrs, tmp_path / "roster.csv", scenario.src)
    n = scenario.n
    day2 = T0 + timedelta(days=1, hours=1)
    assert rows == [
        {
            "name": "Ann Learner",
            "identifier": "mailto:ann@example.org",
            "registration": scenario.ann.builder.registration,
            "start": _iso(T0),
            "completion": _iso(day2 + timedelta(minutes=8)),
            "best_score": _score(n - 1, n),
            "passed": "yes",
            "attempts": "2",
            "seat_time": hms(660.25 + 905.5),
            "evaluation_done": "yes",
            "certificate_id": CERT_ID,
            "certificate_issued": CERT_DAY,
        },
        {
            "name": "Bob Learner",
            "identifier": "https://lms.example.org|bob-17",
            "registration": scenario.bob.builder.registration,
            "start": _iso(T0 + timedelta(days=2)),
            "completion": "",
            "best_score": _score(2, n),
            "passed": "no",
            "attempts": "2",
            "seat_time": hms(1860.4),
            "evaluation_done": "no",
            "certificate_id": "",
            "certificate_issued": "",
        },
    ]
    # The formats the docs promise, checked independently of hms().
    assert rows[0]["seat_time"] == "00:26:06" and rows[1]["seat_time"] == "00:31:00"


def test_activity_option_gives_the_same_rows(lrs, scenario: Scenario, tmp_path: Path):
    by_src = _run(lrs, tmp_path / "a.csv", scenario.src)
    by_iri = _run(lrs, tmp_path / "b.csv", "--activity", scenario.iri + "/")
    assert by_iri == by_src


def test_since_leaves_out_statements_stored_before(lrs, scenario: Scenario, tmp_path: Path):
    rows = _run(lrs, tmp_path / "since.csv", scenario.src, "--since", scenario.between)
    assert [(r["name"], r["registration"], r["attempts"]) for r in rows] == [
        ("Bob Learner", scenario.bob.builder.registration, "2")]
    # A date after everything: the header alone.
    assert _run(lrs, tmp_path / "none.csv", "--activity", scenario.iri,
                "--since", "2999-01-01") == []


def test_more_links_are_followed(lrs, scenario: Scenario, tmp_path: Path):
    """The LRS pages its answers (`more`); every statement of both learners is read."""
    page = lrs.get("statements", f"activity={scenario.iri}&related_activities=true&limit=3")
    assert page.get("more"), "the LRS did not page a limited answer"
    client = Lrs(lrs.endpoint, basic_auth("test", "test"))
    real_fetch = client.fetch
    urls: list[str] = []

    def small_pages(method: str, url: str, body: Any = None) -> tuple[int, bytes]:
        if not urls:  # the first request; the `more` links keep the LRS's own paging
            url += "&limit=4"
        urls.append(url)
        return real_fetch(method, url, body)

    client.fetch = small_pages  # type: ignore[method-assign]
    got = fetch_statements(client, scenario.iri)
    expected = {str(s.id) for s in scenario.ann.statements + scenario.bob.statements}
    assert {s["id"] for s in got} == expected
    assert len(got) == len(expected)
    assert len(urls) > 2


def test_closed_port_fails_with_one_clear_sentence(tmp_path: Path):
    out = tmp_path / "roster.csv"
    result = run_cli("xapi", "records", "--activity", "https://courses.example.org/x",
                     "--endpoint", f"http://127.0.0.1:{closed_port()}/xAPI/",
                     "--user", "k", "--password", "s", "-o", out)
    assert result.returncode == 1
    assert "connection refused" in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--activity", "https://courses.example.org/x", "--since", "last tuesday"],
     "is not a date"),
    (["--activity", "urn:not-http"], "is not an http(s) IRI"),
])
def test_bad_options_fail_clearly(tmp_path: Path, args: list[str], message: str):
    result = run_cli("xapi", "records", *args, "--endpoint", "http://127.0.0.1:9/xAPI/",
                     "--user", "k", "--password", "s", "-o", tmp_path / "r.csv")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_certificate_statements_are_valid_and_the_completion_path_is_read(xapi_validate):
    """The certificate on the completion itself (issued with it) and as ``earned`` (issued
    later) both pass the reference validator, and ``roster`` reads either."""
    compiled = compile_course(SAMPLE)
    activities = course_activities(compiled.course, compiled.rendered)
    cathy = Script(activities, Agent(name="Cathy Learner", mbox="mailto:cathy@example.org"))
    cathy.at(T0, "launched")
    done = cathy.at(T0 + timedelta(hours=1), "completed_course", 3600, success=True,
                    certificate=(CERT_ID, CERT_DAY))
    earned = cathy.at(T0 + timedelta(hours=2), "earned_certificate", "ABCD-EFGH", CERT_DAY)
    data = _data(cathy.statements)
    assert xapi_validate(data) == [[] for _ in data]
    key = activities.iris.extension("certificate")
    assert json.loads(done.to_json())["result"]["extensions"][key] == {
        "id": CERT_ID, "issued": CERT_DAY}
    assert json.loads(earned.to_json())["verb"]["id"] == EARNED

    (row,) = roster(activities.root.iri, data[:2])
    assert (row.certificate_id, row.certificate_issued) == (CERT_ID, CERT_DAY)
    assert row.seat_time == "01:00:00"  # no terminated: the completion's duration
    (row,) = roster(activities.root.iri, data)
    assert row.certificate_id == "ABCD-EFGH"  # the latest certificate statement


def test_csv_cells_never_start_a_formula():
    compiled = compile_course(SAMPLE)
    activities = course_activities(compiled.course, compiled.rendered)
    name = '=HYPERLINK("http://x")'
    evil = Script(activities, Agent(name=name, mbox="mailto:e@example.org"))
    evil.at(T0, "launched")
    text = to_csv(roster(activities.root.iri, _data(evil.statements)))
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["name"] == "'" + name
