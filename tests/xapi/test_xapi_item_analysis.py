"""``scormbuild xapi item-analysis`` against the real LRS.

40 scripted learners answer the sample course's five post-test questions in designed patterns
(GROUPS): pt-kinds is clean; pt-daily's distractor "Paint" attracts the top third (and its
discrimination is weak); pt-sprocket is too easy and its distractor "False" is almost never
chosen; pt-match is too hard; pt-order is clean. Six learners retake the test later (left out
by default, in with --all-attempts), and malformed or foreign statements sit in the same LRS.

Every expected figure is computed here from GROUPS with the textbook formulas (stdlib
``statistics``), never by the code under test; the flags the formulas give are also checked
against the design above, so a change of pattern that loses a flag fails loudly.
"""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.statements import StatementBuilder
from tincan import Agent, Result

from scormbuild.build import compile_course
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.vocabulary import ADL_VERBS
from tests.helpers import SAMPLE, run_cli
from tests.xapi.conftest import sample_with_own_iri
from tests.xapi.netutil import closed_port

T0 = datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc)
PASS_MARK = 80  # the sample course's (asserted below)

ITEMS = ["pt-kinds", "pt-daily", "pt-sprocket", "pt-match", "pt-order"]
OBJECTIVE = {"pt-kinds": "identify-widgets", "pt-daily": "apply-care",
             "pt-sprocket": "identify-widgets", "pt-match": "identify-widgets",
             "pt-order": "apply-care"}
KEY = {"pt-kinds": "gear", "pt-daily": "clean[,]oil", "pt-sprocket": "true",
       "pt-match": "gear[.]turns[,]cog[.]grips[,]sprocket[.]pulls",
       "pt-order": "clean[,]oil[,]check"}
WRONG_MATCH = "gear[.]grips[,]cog[.]turns[,]sprocket[.]pulls"
WRONG_ORDER = "oil[,]clean[,]check"
PAINT_TOO = "clean[,]oil[,]paint"
K, W = KEY, {"pt-match": WRONG_MATCH, "pt-order": WRONG_ORDER}

# (learners, responses in ITEMS order)
GROUPS: list[tuple[int, tuple[str, str, str, str, str]]] = [
    (11, ("gear", PAINT_TOO, "true", K["pt-match"], K["pt-order"])),  # the top third
    (4, ("gear", K["pt-daily"], "true", WRONG_MATCH, K["pt-order"])),
    (8, ("gear", K["pt-daily"], "true", WRONG_MATCH, WRONG_ORDER)),
    (5, ("rock", K["pt-daily"], "true", WRONG_MATCH, K["pt-order"])),
    (4, ("leaf", "clean", "true", WRONG_MATCH, WRONG_ORDER)),
    (4, ("rock", "clean", "true", WRONG_MATCH, K["pt-order"])),
    (3, ("leaf", "clean", "true", WRONG_MATCH, WRONG_ORDER)),
    (1, ("rock", "oil", "false", WRONG_MATCH, WRONG_ORDER)),
]
RETAKERS = 6  # the last six learners take the test again the next day and answer all right
DESIGNED_FLAGS = {"pt-kinds": set(), "pt-daily": {"top-prefers", "weak"},
                  "pt-sprocket": {"easy", "rare-distractor"}, "pt-match": {"hard"},
                  "pt-order": set()}
OPTIONS = {"pt-kinds": ["gear", "rock", "leaf"], "pt-daily": ["clean", "oil", "paint"],
           "pt-sprocket": ["true", "false"]}
LABEL = {"rock": "Rock", "leaf": "Leaf", "paint": "Paint", "false": "False"}


def _learners() -> list[tuple[str, ...]]:
    return [responses for count, responses in GROUPS for _ in range(count)]


# ---------- the expected figures, by formula ----------

def _correct(item: str, response: str) -> int:
    if item == "pt-daily":  # multiple choice: the same set
        return int(set(response.split("[,]")) == set(KEY[item].split("[,]")))
    return int(response == KEY[item])


def _top_group(totals: list[int]) -> list[int]:
    """Whole score groups from the top, as many as bring the size closest to n/3 (the larger
    group on a tie): docs/ce-evidence.md's definition, written out again here."""
    n = len(totals)
    sizes = []
    for cut in sorted(set(totals), reverse=True):
        sizes.append((abs(sum(t >= cut for t in totals) - n / 3), -cut, cut))
    best = min(sizes)[2]
    return [j for j, t in enumerate(totals) if t >= best]


@dataclass
class Expected:
    n: int
    p: dict[str, float]
    r_pb: dict[str, float]
    top_p: dict[str, float]
    share: dict[tuple[str, str], float]
    top_share: dict[tuple[str, str], float]
    flags: dict[str, set[str]]
    kr20: float
    mastery: dict[str, float]
    objective_mean: dict[str, float]
    passed: int
    histogram: list[int]


def expected_figures() -> Expected:
    learners = _learners()
    n = len(learners)
    x = [[_correct(item, r[j]) for j, item in enumerate(ITEMS)] for r in learners]
    totals = [sum(row) for row in x]
    top = _top_group(totals)
    p, r_pb, top_p, share, top_share, flags = {}, {}, {}, {}, {}, {}
    for j, item in enumerate(ITEMS):
        col = [row[j] for row in x]
        p[item] = sum(col) / n
        r_pb[item] = statistics.correlation(col, [t - c for t, c in zip(totals, col,
                                                                         strict=True)])
        top_p[item] = sum(col[i] for i in top) / len(top)
        found: set[str] = set()
        if p[item] < 0.30:
            found.add("hard")
        if p[item] > 0.95:
            found.add("easy")
        if r_pb[item] < 0.20:
            found.add("weak")
        key_ids = set(KEY[item].split("[,]"))
        for option in OPTIONS.get(item, []):
            chose = [option in r[j].split("[,]") for r in learners]
            share[item, option] = sum(chose) / n
            top_share[item, option] = sum(chose[i] for i in top) / len(top)
            if option in key_ids:
                continue
            if share[item, option] < 0.05:
                found.add("rare-distractor")
            if top_share[item, option] > top_p[item]:
                found.add("top-prefers")
        flags[item] = found
    k = len(ITEMS)
    pq = sum(p[i] * (1 - p[i]) for i in ITEMS)
    kr20 = k / (k - 1) * (1 - pq / statistics.pvariance(totals))
    mastery, objective_mean = {}, {}
    for objective in ("identify-widgets", "apply-care"):
        cols = [j for j, item in enumerate(ITEMS) if OBJECTIVE[item] == objective]
        props = [sum(row[j] for j in cols) / len(cols) for row in x]
        mastery[objective] = sum(pr * 100 >= PASS_MARK for pr in props) / n
        objective_mean[objective] = sum(props) / n
    percents = [t / k * 100 for t in totals]
    histogram = [sum(1 for s in percents if (b * 10 <= s < b * 10 + 10) or (b == 9 and s == 100))
                 for b in range(10)]
    passed = sum(s >= PASS_MARK for s in percents)
    return Expected(n, p, r_pb, top_p, share, top_share, flags, kr20, mastery, objective_mean,
                    passed, histogram)


def test_the_design_gives_every_flag_and_a_clean_item():
    """The formulas above, applied to GROUPS, give exactly the designed flags."""
    e = expected_figures()
    assert e.n >= 40
    assert e.flags == DESIGNED_FLAGS
    every = {"hard", "easy", "weak", "rare-distractor", "top-prefers"}
    assert set().union(*e.flags.values()) == every
    assert any(not f for f in e.flags.values())


# ---------- the scenario in the LRS ----------

@dataclass
class Scenario:
    src: Path
    iri: str
    activities: CourseActivities


def _course_copy(tmp: Path) -> Path:
    return sample_with_own_iri(tmp, "items")


def _json(statement: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(statement.to_json())
    return data


def _attempt(activities: CourseActivities, builder: StatementBuilder, when: datetime,
             responses: tuple[str, ...]) -> list[dict[str, Any]]:
    """One post-test submission as the player sends it: every answer, then the score, all
    with the same timestamp (the order must come from the verbs, not the clock)."""
    builder.now = when
    out = [_json(builder.answered(item, response, bool(_correct(item, response)), 7.5))
           for item, response in zip(ITEMS, responses, strict=True)]
    right = sum(_correct(item, r) for item, r in zip(ITEMS, responses, strict=True))
    out.append(_json(builder.assessed(right, len(ITEMS), PASS_MARK, 120)))
    return out


def _noise(activities: CourseActivities, base: str) -> list[dict[str, Any]]:
    """Statements the report must skip and count (NOISE says which reason each gets)."""
    z1 = StatementBuilder(activities, Agent(name="Zed One", mbox="mailto:z1@example.org"),
                          str(uuid.uuid4()), now=T0 + timedelta(hours=3))
    z2 = StatementBuilder(activities, Agent(name="Zed Two", mbox="mailto:z2@example.org"),
                          str(uuid.uuid4()), now=T0 + timedelta(hours=3))
    assessment = activities.get("assessment", "post-test")
    unfinished = _json(z2.answered("pt-kinds", "gear", True, 3))  # no passed/failed follows
    no_score = _json(z1.statement("failed", assessment, Result(success=False, completion=True)))
    no_response = _json(z1.statement("answered", activities.get("question", "pt-daily"),
                                      Result(success=False)))
    bad_response = _json(z1.answered("pt-kinds", "banana", False, 3))
    stamp = (T0 + timedelta(hours=3)).isoformat()
    foreign = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:other@example.org"},
        "verb": {"id": ADL_VERBS + "answered", "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": "https://other.example.org/quiz/q1"},
        "result": {"response": "a", "success": True},
        # Grouped under the course, so the LRS returns it with the course's statements.
        "context": {"contextActivities": {"grouping": [{"id": base}]}},
        "timestamp": stamp,
    }
    retired = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:z1@example.org"},
        "verb": {"id": ADL_VERBS + "answered", "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": base + "/question/retired-question"},
        "result": {"response": "a", "success": True},
        "context": {"contextActivities": {"grouping": [{"id": base}]}},
        "timestamp": stamp,
    }
    anonymous_group = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Group", "member": [
            {"objectType": "Agent", "mbox": "mailto:g1@example.org"}]},
        "verb": {"id": ADL_VERBS + "answered", "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": base + "/question/pt-kinds"},
        "result": {"response": "gear", "success": True},
        "context": {"contextActivities": {"grouping": [{"id": base}]}},
        "timestamp": stamp,
    }
    return [unfinished, no_score, no_response, bad_response, foreign, retired, anonymous_group]


NOISE = {  # reason -> statements (the reasons' wording is the report's own vocabulary)
    "a post-test answer with no passed/failed after it (unfinished attempt)": 1,
    "a post-test passed/failed without a score between 0 and 1": 1,
    "a post-test answer without a response": 1,
    "a post-test response that does not fit its question": 1,
    "not about this course (another activity)": 1,
    "about an activity this version of the course does not have": 1,
    "no learner identifier (actor)": 1,
}


@pytest.fixture(scope="module")
def scenario(lrs: Any, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    src = _course_copy(tmp_path_factory.mktemp("items"))
    compiled = compile_course(src)
    activities = course_activities(compiled.course, compiled.rendered)
    a = activities.course.assessment
    assert a is not None and [q.id for q in a.questions] == ITEMS
    assert a.policy.pass_mark == PASS_MARK
    base = activities.root.iri
    statements: list[dict[str, Any]] = []
    learners = _learners()
    for i, responses in enumerate(learners):
        actor = Agent(name=f"Learner {i:02d}", mbox=f"mailto:learner{i:02d}@example.org")
        builder = StatementBuilder(activities, actor, str(uuid.uuid4()))
        builder.now = T0 + timedelta(minutes=i)
        statements.append(_json(builder.launched()))
        statements += _attempt(activities, builder, T0 + timedelta(minutes=i, seconds=30),
                               responses)
        if i >= len(learners) - RETAKERS:  # a new registration the next day, all right
            again = StatementBuilder(activities, actor, str(uuid.uuid4()))
            statements += _attempt(activities, again, T0 + timedelta(days=1, minutes=i),
                                   tuple(KEY[item] for item in ITEMS))
    statements += _noise(activities, base)
    for start in range(0, len(statements), 100):
        status, body = lrs.post_statements(statements[start:start + 100])
        assert status == 200, body
    # The LRS pages an answer this size, so the command must follow `more`.
    page = lrs.get("statements", f"activity={base}&related_activities=true")
    assert page.get("more") and len(page["statements"]) < len(statements)
    return Scenario(src, base, activities)


def _cli(lrs: Any, *args: str | Path) -> Any:
    result = run_cli("xapi", "item-analysis", *args, "--endpoint", lrs.endpoint,
                     "--user", "test", "--password", "test")
    assert "Traceback" not in result.stderr + result.stdout
    return result


def _rows(lrs: Any, scenario: Scenario, tmp: Path, *extra: str) -> list[dict[str, str]]:
    out = tmp / "items.csv"
    result = _cli(lrs, scenario.src, "--format", "csv", "-o", out, *extra)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def rows(lrs: Any, scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
         ) -> list[dict[str, str]]:
    return _rows(lrs, scenario, tmp_path_factory.mktemp("csv"))


def _overall(rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["label"]: r["value"] for r in rows if r["row"] == "overall"}


def _close(text: str, value: float) -> bool:
    return math.isclose(float(text), value, abs_tol=5e-5)


def test_overall_figures(rows: list[dict[str, str]]):
    e = expected_figures()
    overall = _overall(rows)
    assert overall["attempts"] == str(e.n)  # first attempts only: retakes left out
    assert overall["learners"] == str(e.n)
    assert overall["complete_attempts"] == str(e.n)
    assert overall["passed"] == str(e.passed)
    assert _close(overall["pass_rate"], e.passed / e.n)
    assert _close(overall["kr20"], e.kr20)
    assert overall["provisional"] == "no"
    assert overall["basis"] == "first attempt per learner"
    bands = [int(overall[f"scores_{b * 10}_to_{b * 10 + 9 if b < 9 else 100}"])
             for b in range(10)]
    assert bands == e.histogram


def test_question_figures_and_flags(rows: list[dict[str, str]]):
    e = expected_figures()
    questions = {r["question"]: r for r in rows if r["row"] == "question"}
    assert list(questions) == ITEMS
    for item in ITEMS:
        q = questions[item]
        assert q["n"] == str(e.n)
        assert _close(q["p"], e.p[item]), item
        assert _close(q["r_pb"], e.r_pb[item]), item
        assert _close(q["top_third_share"], e.top_p[item]), item
        codes = {f.split(":", 1)[0] for f in q["flags"].split(" | ") if f}
        assert codes == e.flags[item], item


def test_option_shares_with_the_key_marked(rows: list[dict[str, str]]):
    e = expected_figures()
    options = {(r["question"], r["option"]): r for r in rows if r["row"] == "option"}
    for (item, option), share in e.share.items():
        row = options[item, option]
        assert _close(row["share"], share), (item, option)
        assert _close(row["top_third_share"], e.top_share[item, option]), (item, option)
        assert row["key"] == ("yes" if option in KEY[item].split("[,]") else "no")
    # Matching and sequencing: each response given, the key first and marked.
    match = [r for r in rows if r["row"] == "option" and r["question"] == "pt-match"]
    assert [(r["option"], r["key"]) for r in match] == [(KEY["pt-match"], "yes"),
                                                         (WRONG_MATCH, "no")]
    assert _close(match[0]["share"], e.p["pt-match"])
    assert match[0]["label"] == "Gear \u2192 Turns; Cog \u2192 Grips; Sprocket \u2192 Pulls a chain"


def test_objective_mastery(rows: list[dict[str, str]]):
    e = expected_figures()
    objectives = {r["objective"]: r for r in rows if r["row"] == "objective"}
    assert set(objectives) == set(e.mastery)
    for objective, mastery in e.mastery.items():
        assert _close(objectives[objective]["mastery"], mastery), objective
        assert _close(objectives[objective]["p"], e.objective_mean[objective]), objective


def test_malformed_and_foreign_statements_are_skipped_and_counted(rows: list[dict[str, str]]):
    skipped = {r["label"]: int(r["n"]) for r in rows if r["row"] == "skipped"}
    assert skipped == NOISE


def test_all_attempts_adds_the_retakes(lrs: Any, scenario: Scenario, tmp_path: Path):
    e = expected_figures()
    overall = _overall(_rows(lrs, scenario, tmp_path, "--all-attempts"))
    assert overall["attempts"] == str(e.n + RETAKERS)
    assert overall["learners"] == str(e.n)
    assert overall["passed"] == str(e.passed + RETAKERS)
    assert overall["basis"] == "all attempts"


def test_html_report_in_chromium_shows_each_flag_with_its_reason(
        lrs: Any, scenario: Scenario, tmp_path: Path, chromium: Any):
    out = tmp_path / "items.html"
    result = _cli(lrs, scenario.src, "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    # Self-contained: nothing to fetch, nothing to run.
    for needle in ("<script", "<link", " src=", "@import", "url("):
        assert needle not in html, needle
    # Same data, same bytes.
    again = tmp_path / "again.html"
    assert _cli(lrs, scenario.src, "-o", again).returncode == 0
    assert again.read_bytes() == out.read_bytes()

    e = expected_figures()
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(out.as_uri())
        assert requests == [out.as_uri()]
        assert page.locator("svg.chart").first.is_visible()
        reasons = {"hard": ["p < 0.30", f"{e.p['pt-match'] * 100:.1f}%"],
                   "easy": ["p > 0.95", f"{e.p['pt-sprocket'] * 100:.1f}%"],
                   "weak": [f"r_pb = {e.r_pb['pt-daily']:.2f}", "< 0.20"],
                   "rare-distractor": ["\u201cFalse\u201d",
                                       f"{e.share['pt-sprocket', 'false'] * 100:.1f}%",
                                       "< 5%"],
                   "top-prefers": ["\u201cPaint\u201d", "top third",
                                   f"{e.top_share['pt-daily', 'paint'] * 100:.1f}%"]}
        for item in ITEMS:
            article = page.locator(f'article[data-question="{item}"]')
            assert article.is_visible()
            for code in e.flags[item]:
                flag = article.locator(f'li[data-flag="{code}"]')
                assert flag.is_visible(), (item, code)
                text = flag.inner_text()
                for phrase in reasons[code]:
                    assert phrase in text, (item, code, text)
            if not e.flags[item]:
                assert article.locator('[data-clean="yes"]').is_visible(), item
                assert article.locator("li[data-flag]").count() == 0
            keys = article.locator("span.key")
            assert keys.count() == (len(KEY[item].split("[,]")) if item in OPTIONS else 1)
        assert page.locator('[data-provisional]').count() == 0
        assert page.locator("[data-skipped]").get_attribute("data-skipped") == str(
            sum(NOISE.values()))
        assert page.locator('[data-figure="kr20"]').inner_text() == f"{e.kr20:.2f}"
        assert len(page.pdf()) > 1000  # prints
    finally:
        page.close()


def test_no_data_is_said_not_crashed_on(lrs: Any, scenario: Scenario, tmp_path: Path):
    """--since after everything was stored: no attempt; provisional, in both formats."""
    overall = _overall(_rows(lrs, scenario, tmp_path, "--since", "2999-01-01"))
    assert overall["attempts"] == "0" and overall["provisional"] == "yes"
    out = tmp_path / "empty.html"
    result = _cli(lrs, scenario.src, "--since", "2999-01-01", "-o", out)
    assert result.returncode == 0, result.stderr
    assert 'data-provisional="yes"' in out.read_text(encoding="utf-8")


def test_closed_port_fails_with_one_clear_sentence(tmp_path: Path):
    out = tmp_path / "items.html"
    result = run_cli("xapi", "item-analysis", SAMPLE, "--endpoint",
                     f"http://127.0.0.1:{closed_port()}/xAPI/", "--user", "k",
                     "--password", "s", "-o", out)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "connection refused" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


class _Recorder(BaseHTTPRequestHandler):
    """An LRS stand-in for what the real one never does: a `more` link to another origin."""

    more = ""
    seen: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def do_GET(self) -> None:  # noqa: N802
        type(self).seen.append(self.path)
        body = json.dumps({"statements": [], "more": self.more}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_more_links_to_another_origin_are_refused(tmp_path: Path):
    elsewhere = _serve(type("Elsewhere", (_Recorder,), {"seen": []}))
    lrs_port_handler = type("Lrs", (_Recorder,), {
        "seen": [], "more": f"http://127.0.0.1:{elsewhere.server_port}/xAPI/statements?p=2"})
    fake = _serve(lrs_port_handler)
    try:
        out = tmp_path / "items.html"
        result = run_cli("xapi", "item-analysis", SAMPLE, "--endpoint",
                         f"http://127.0.0.1:{fake.server_port}/xAPI/", "--user", "k",
                         "--password", "s", "-o", out)
        assert result.returncode == 1
        assert result.stderr.startswith("error: ") and "another origin" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(lrs_port_handler.seen) == 1
        assert elsewhere.RequestHandlerClass.seen == []  # type: ignore[attr-defined]
        assert not out.exists()
    finally:
        for server in (fake, elsewhere):
            server.shutdown()
            server.server_close()
