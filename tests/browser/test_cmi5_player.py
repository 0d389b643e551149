"""The cmi5 player in real Chromium, launched by a cmi5 LMS harness in front of the real LRS.

The sample course (its own xapi_base, so no other test's statements mix in) is built once with
``-t cmi5`` by the real CLI and served on 127.0.0.1. tests/support/cmi5_lms.py plays the LMS:
it writes LMS.LaunchData, issues a single-use auth token at a fetch URL and records
``launched``, through tests/support/lrs_proxy.py (the State and Agent Profile APIs, the fetch
URL) in front of npm ``xapi-statements`` (tests/xapi/conftest.py). What the LRS stored is read
back and checked against cmi5's statement rules (``check_cmi5``, written from the spec, section
9) and ``@learninglocker/xapi-validation`` with zero warnings, for: a pass; a fail, then a pass
in a later session (in another browser: the resume comes from the State API); review mode; an
LMS masteryScore that overrides the author's; a reused fetch URL; a tab closed mid-course.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aniso8601
import pytest
from lxml import etree
from support.cmi5_lms import ACTOR, Cmi5Lms, Launch
from support.env import require_module
from support.lrs_proxy import LrsProxy
from support.server import StaticServer

from scormbuild.cmi5.spec import (
    CATEGORY_CMI5,
    CATEGORY_MOVEON,
    EXT_MASTERY_SCORE,
    EXT_SESSION_ID,
    LAUNCH_DATA,
    NAMESPACE,
)
from tests.helpers import build_package, run_cli

require_module("playwright.sync_api")

from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402
from support.walker import Walker  # noqa: E402

import tests.xapi.conftest as xapi_fixtures  # noqa: E402
from tests.xapi.conftest import LrsServer, sample_with_own_iri  # noqa: E402

lrs = xapi_fixtures.lrs
xapi_validate = xapi_fixtures.xapi_validate
_loopback_without_proxy = xapi_fixtures._loopback_without_proxy

pytestmark = pytest.mark.browser

VERBS = "http://adlnet.gov/expapi/verbs/"
DEFINED = ("initialized", "completed", "passed", "failed", "terminated")
MOVEON = ("completed", "passed", "failed")
AUTHOR_MASTERY = 0.8  # the sample's post-test pass_mark is 80


# -- the package, the site, the LMS ---------------------------------------------------------
@pytest.fixture(scope="module")
def course_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_with_own_iri(tmp_path_factory.mktemp("cmi5-course"), "cmi5")


@pytest.fixture(scope="module")
def cmi5_zip(course_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(course_src, tmp_path_factory.mktemp("cmi5-dist"), "cmi5")


@pytest.fixture(scope="module")
def au_id(cmi5_zip: Path) -> str:
    with zipfile.ZipFile(cmi5_zip) as zf:
        root = etree.fromstring(zf.read("cmi5.xml"))
    (au,) = root.findall(f"{{{NAMESPACE}}}au")
    return str(au.get("id"))


@pytest.fixture(scope="module")
def site(cmi5_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    """The unpacked package at /, and the LMS's page the learner returns to at /lms/."""
    folder = tmp_path_factory.mktemp("cmi5-site")
    with zipfile.ZipFile(cmi5_zip) as zf:
        zf.extractall(folder / "au")
    (folder / "lms").mkdir()
    (folder / "lms" / "returned.html").write_text("<!doctype html><title>LMS</title>",
                                                encoding="utf-8")
    server = StaticServer(root=folder / "au", mounts={"/lms/": folder / "lms"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(lrs: LrsServer) -> Iterator[LrsProxy]:
    with LrsProxy(lrs.port, state_api=True) as p:
        yield p


@pytest.fixture
def lms(proxy: LrsProxy, site: StaticServer, au_id: str) -> Cmi5Lms:
    return Cmi5Lms(proxy, site.url("index.html"), au_id)


@pytest.fixture
def browser_context(chromium: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Factory: a fresh browser (its own localStorage and sessionStorage) per call."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        made.append(chromium.new_context())
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()


class Learner:
    def __init__(self, context: BrowserContext, outline: dict[str, Any]) -> None:
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.startswith(("http://127.0.0.1:", "data:"))
                     or self.external.append(r.url))
        self.walker = Walker(self.page, outline)

    def open(self, url: str) -> Learner:
        self.page.goto(url)
        self.walker.wait_ready()
        return self

    def attr(self, name: str) -> str | None:
        return self.page.get_attribute("html", name)

    def notice(self) -> str:
        n = self.page.locator("[data-notice]")
        return "" if n.get_attribute("hidden") is not None else n.inner_text()

    def assert_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.external, self.external


# -- reading the LRS --------------------------------------------------------------------------
def stored(lrs: LrsServer, registration: str) -> list[dict[str, Any]]:
    url = f"{lrs.endpoint}statements?registration={registration}&limit=50"
    out: list[dict[str, Any]] = []
    while url:
        request = urllib.request.Request(url, headers={
            "X-Experience-API-Version": "1.0.3", "Authorization": "Basic dGVzdDp0ZXN0"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            page = json.loads(response.read())
        out += page["statements"]
        url = urllib.parse.urljoin(lrs.endpoint, page["more"]) if page.get("more") else ""
    return out


def verb(s: dict[str, Any]) -> str:
    return str(s["verb"]["id"]).removeprefix(VERBS)


def wait_terminated(lrs: LrsServer, registration: str, sessions: int,
                    timeout: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        got = stored(lrs, registration)
        if sum(verb(s) == "terminated" for s in got) >= sessions or time.monotonic() > deadline:
            return got
        time.sleep(0.25)


def session_of(s: dict[str, Any]) -> str:
    return str(s["context"]["extensions"][EXT_SESSION_ID])


def categories(s: dict[str, Any]) -> set[str]:
    return {c["id"] for c in s["context"].get("contextActivities", {}).get("category", [])}


def seconds(duration: str) -> float:
    return float(aniso8601.parse_duration(duration).total_seconds())


def check_cmi5(statements: list[dict[str, Any]], launches: list[Launch], au_id: str,
               mastery: float, mode: str = "Normal") -> dict[str, list[dict[str, Any]]]:
    """cmi5's rules (sections 7.1, 9.3, 9.5, 9.6) for the AU's statements of ``launches``
    (one registration); returns each session's AU statements in timestamp order."""
    (registration,) = {launch.registration for launch in launches}
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in statements:
        ctx = s["context"]
        assert ctx["registration"] == registration
        assert s["actor"] == ACTOR
        # The context template (publisher id, session id) is in every statement.
        assert au_id in [g["id"] for g in ctx["contextActivities"]["grouping"]], s["id"]
        if verb(s) != "launched":  # the LMS's own
            sessions.setdefault(session_of(s), []).append(s)
    assert set(sessions) == {launch.session for launch in launches}
    passed_at: str | None = None
    completed = 0
    for launch in launches:
        got = sorted(sessions[launch.session], key=lambda s: s["timestamp"])
        stamps = [s["timestamp"] for s in got]
        assert len(set(stamps)) == len(stamps), "timestamps must order the session"
        assert verb(got[0]) == "initialized" and verb(got[-1]) == "terminated"
        defined = [s for s in got if s["object"]["id"] == launch.activity_id]
        verbs = [verb(s) for s in defined]
        assert len(verbs) == len(set(verbs)), f"a cmi5 verb twice in a session: {verbs}"
        assert not {"passed", "failed"} <= set(verbs)
        if mode != "Normal":
            assert [verb(s) for s in got] == ["initialized", "terminated"]
        for s in got:
            v, result = verb(s), s.get("result", {})
            if s["object"]["id"] == launch.activity_id:
                assert v in DEFINED, v
                assert categories(s) == ({CATEGORY_CMI5, CATEGORY_MOVEON} if v in MOVEON
                                         else {CATEGORY_CMI5}), (v, categories(s))
                if v in MOVEON or v == "terminated":
                    assert seconds(result["duration"]) >= 0
                if v == "completed":
                    assert result["completion"] is True
                    assert "success" not in result and "score" not in result
                    completed += 1
                if v in ("passed", "failed"):
                    scaled = result["score"]["scaled"]
                    assert result["success"] is (v == "passed")
                    assert (scaled >= mastery) is (v == "passed")
                    assert "completion" not in result
                    assert s["context"]["extensions"][EXT_MASTERY_SCORE] == mastery
                    assert v == "passed" or passed_at is None, "failed after passed"
                    if v == "passed":
                        assert passed_at is None, "passed twice in a registration"
                        passed_at = s["timestamp"]
                if v in ("initialized", "terminated"):
                    assert set(result) <= {"duration"}
            else:
                # cmi5 allowed: the course's own activities, without cmi5's categories.
                assert s["object"]["id"].startswith(au_id + "/"), s["object"]["id"]
                assert not categories(s) & {CATEGORY_CMI5, CATEGORY_MOVEON}
        sessions[launch.session] = got
    assert completed <= 1
    return sessions


def assert_valid(statements: list[dict[str, Any]], validate: Any) -> None:
    warnings = validate(statements)
    bad = {s["id"]: w for s, w in zip(statements, warnings, strict=True) if w}
    assert bad == {}, json.dumps(bad, indent=1)[:3000]


def defined_verbs(session: list[dict[str, Any]], launch: Launch) -> list[str]:
    return [verb(s) for s in session if s["object"]["id"] == launch.activity_id]


# -- the flows --------------------------------------------------------------------------------
def test_a_pass(browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
                site: StaticServer, sample_outline: dict[str, Any], au_id: str,
                xapi_validate: Any) -> None:
    """Through the whole course in one session: initialized, passed (scaled 1 >= 0.8),
    completed, terminated; answers as cmi5-allowed statements; exit goes to returnURL."""
    launch = lms.launch(str(uuid.uuid4()), return_url=site.url("lms/returned.html"))
    learner = Learner(browser_context(), sample_outline).open(launch.url)
    assert learner.attr("data-sb-tracker") == "cmi5"
    assert learner.attr("data-sb-mode") == "normal"
    assert learner.walker.walk_course() == "passed"
    learner.walker.click_action("exit")
    learner.page.wait_for_url(site.url("lms/returned.html"), timeout=10_000)
    got = wait_terminated(lrs, launch.registration, 1)
    learner.assert_clean()
    assert_valid(got, xapi_validate)
    (session,) = check_cmi5(got, [launch], au_id, AUTHOR_MASTERY).values()
    assert defined_verbs(session, launch) == ["initialized", "passed", "completed", "terminated"]
    counts = Counter(verb(s) for s in session)
    questions = len(sample_outline["assessment"]["questions"]) + sum(
        len(m["questions"]) for m in sample_outline["modules"])
    assert counts["answered"] >= questions
    # The LMS's launch data was read, never written by the AU; the preferences were read.
    assert json.loads(lms.proxy.document(launch.activity_id, lms.actor_json,
                                         launch.registration, LAUNCH_DATA) or b"{}")[
        "launchMode"] == "Normal"
    assert ("GET", "/xAPI/agents/profile") in lms.proxy.requests


def test_a_fail_then_a_pass_in_a_later_session(
        browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
        sample_outline: dict[str, Any], au_id: str, course_src: Path, tmp_path: Path,
        xapi_validate: Any) -> None:
    """Session 1 fails the post-test (attempt 1 of 2) and exits: "failed" goes out as the
    session ends. Session 2, in another browser, resumes from the State API and passes.
    `xapi records` then reads the registration from the LRS."""
    registration = str(uuid.uuid4())
    first = lms.launch(registration)
    learner = Learner(browser_context(), sample_outline).open(first.url)
    walker = learner.walker
    walker.walk_to(walker.posttest_view)
    assert walker.take_posttest(right=[]).result == "failed"
    walker.click_action("exit")
    walker.wait_view("course:exited")
    wait_terminated(lrs, registration, 1)
    learner.assert_clean()

    second = lms.launch(registration)
    learner = Learner(browser_context(), sample_outline).open(second.url)
    walker = learner.walker
    assert walker.view() == walker.posttest_view  # where session 1 left, from the State API
    assert walker.walk_course() == "passed"
    walker.click_action("exit")
    walker.wait_view("course:exited")
    got = wait_terminated(lrs, registration, 2)
    learner.assert_clean()
    assert_valid(got, xapi_validate)
    sessions = check_cmi5(got, [first, second], au_id, AUTHOR_MASTERY)
    assert defined_verbs(sessions[first.session], first) == [
        "initialized", "failed", "terminated"]
    assert defined_verbs(sessions[second.session], second) == [
        "initialized", "passed", "completed", "terminated"]

    roster = tmp_path / "roster.csv"
    result = run_cli("xapi", "records", course_src, "--endpoint", lrs.endpoint, "--user", "test",
                     "--password", "test", "-o", roster)
    assert result.returncode == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(roster.read_text(encoding="utf-8")))
            if r["registration"] == registration]
    (row,) = rows
    assert row["identifier"] == "https://lms.example.invalid|ann-1"
    assert row["name"] == "Ann Learner"
    assert (row["passed"], row["attempts"], row["best_score"]) == ("yes", "2", "100.00")
    assert row["start"] and row["completion"] and row["seat_time"]
    assert row["evaluation_done"] == "yes"

    # The CE evidence reports read the same statements: the AU's (on the LMS's activity id)
    # count as the course's, nothing is skipped as foreign.
    for command in ("seat-time", "item-analysis"):
        report = tmp_path / f"{command}.csv"
        extra = ["--all-attempts"] if command == "item-analysis" else []
        result = run_cli("xapi", command, course_src, "--endpoint", lrs.endpoint, "--user",
                         "test", "--password", "test", "--format", "csv", "-o", report, *extra)
        assert result.returncode == 0, result.stderr
        table = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
        assert "not about this course" not in report.read_text(encoding="utf-8")
        if command == "seat-time":
            (course,) = [r for r in table if r["part"] == "course"]
            assert int(course["n"]) >= 1 and float(course["median_minutes"]) > 0
        else:
            overall = {r["label"]: r["value"] for r in table if r["row"] == "overall"}
            assert int(overall["attempts"]) >= 2


@pytest.mark.parametrize(("mode", "player_mode"), [("Review", "review"), ("Browse", "browse")])
def test_review_and_browse_send_only_initialized_and_terminated(
        browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
        sample_outline: dict[str, Any], au_id: str, xapi_validate: Any, mode: str,
        player_mode: str) -> None:
    launch = lms.launch(str(uuid.uuid4()), mode=mode)
    learner = Learner(browser_context(), sample_outline).open(launch.url)
    assert learner.attr("data-sb-mode") == player_mode
    for _ in range(4):
        learner.walker.next()
    learner.walker.click_action("exit")
    learner.walker.wait_view("course:exited")
    got = wait_terminated(lrs, launch.registration, 1)
    learner.assert_clean()
    assert_valid(got, xapi_validate)
    check_cmi5(got, [launch], au_id, AUTHOR_MASTERY, mode=mode)


def test_an_lms_mastery_score_overrides_the_pass_mark(
        browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
        sample_outline: dict[str, Any], au_id: str, xapi_validate: Any) -> None:
    """The LMS says 0.6; the author said 80%. Two of five right (40%) fails; the retake in the
    same session, three of five (60%), passes, in the player and in the LRS, with the LMS's
    masteryScore in the context: the session has one "passed" and no "failed"."""
    launch = lms.launch(str(uuid.uuid4()), mastery=0.6)
    learner = Learner(browser_context(), sample_outline).open(launch.url)
    walker = learner.walker
    walker.walk_to(walker.posttest_view)
    ids = [q["id"] for q in sample_outline["assessment"]["questions"]]
    attempt = walker.take_posttest(right=ids[:2])
    assert (attempt.result, float(attempt.score)) == ("failed", 40.0)
    walker.retake()
    attempt = walker.take_posttest(right=ids[:3])
    assert (attempt.result, float(attempt.score)) == ("passed", 60.0)
    walker.click_action("exit")
    walker.wait_view("course:exited")
    got = wait_terminated(lrs, launch.registration, 1)
    learner.assert_clean()
    assert_valid(got, xapi_validate)
    (session,) = check_cmi5(got, [launch], au_id, 0.6).values()
    assert defined_verbs(session, launch) == ["initialized", "passed", "terminated"]
    (passed,) = [s for s in session
                 if verb(s) == "passed" and s["object"]["id"] == launch.activity_id]
    assert passed["result"]["score"]["scaled"] == 0.6


def test_a_reused_fetch_url(browser_context: Callable[[], BrowserContext], lms: Cmi5Lms,
                            lrs: LrsServer, sample_outline: dict[str, Any], au_id: str,
                            xapi_validate: Any) -> None:
    """The fetch URL is POSTed once. A second browser with the same launch URL is told the
    link was used and sends nothing; a reload after the session ended does not POST again."""
    launch = lms.launch(str(uuid.uuid4()))
    first = Learner(browser_context(), sample_outline).open(launch.url)
    assert first.notice() == ""
    key = launch.fetch.rsplit("/", 1)[1]
    second = Learner(browser_context(), sample_outline).open(launch.url)
    assert "launch link was already used" in second.notice()
    second.walker.next()
    assert [k for _, k in lms.proxy.fetch_posts].count(key) == 2
    first.walker.next()
    first.page.reload()
    first.walker.wait_ready()
    assert "launch link was already used" in first.notice()
    assert [k for _, k in lms.proxy.fetch_posts].count(key) == 2  # the reload did not POST
    got = wait_terminated(lrs, launch.registration, 1)
    time.sleep(1)  # anything the other tabs might (wrongly) send
    got = stored(lrs, launch.registration)
    first.assert_clean()
    second.assert_clean()
    assert_valid(got, xapi_validate)
    check_cmi5(got, [launch], au_id, AUTHOR_MASTERY)


def test_a_tab_closed_mid_course_sends_terminated(
        browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
        sample_outline: dict[str, Any], au_id: str, xapi_validate: Any) -> None:
    launch = lms.launch(str(uuid.uuid4()))
    learner = Learner(browser_context(), sample_outline).open(launch.url)
    for _ in range(3):
        learner.walker.next()
    learner.page.close(run_before_unload=True)
    got = wait_terminated(lrs, launch.registration, 1)
    assert_valid(got, xapi_validate)
    (session,) = check_cmi5(got, [launch], au_id, AUTHOR_MASTERY).values()
    assert defined_verbs(session, launch) == ["initialized", "terminated"]
    assert [verb(s) for s in session].count("experienced") == 3


def test_without_a_fetch_url_progress_stays_in_the_browser(
        browser_context: Callable[[], BrowserContext], lms: Cmi5Lms, lrs: LrsServer,
        sample_outline: dict[str, Any]) -> None:
    """An endpoint and an actor but no fetch URL (not a cmi5 launch): the learner is told,
    the course works, and nothing reaches the LRS."""
    registration = str(uuid.uuid4())
    launch = lms.launch(registration)
    url = launch.url.replace("fetch=", "nofetch=")
    learner = Learner(browser_context(), sample_outline).open(url)
    assert "could not be reached" in learner.notice()
    learner.walker.next()
    learner.walker.click_action("exit")
    learner.walker.wait_view("course:exited")
    time.sleep(1)
    learner.assert_clean()
    assert [verb(s) for s in stored(lrs, registration)] == ["launched"]  # the LMS's only
