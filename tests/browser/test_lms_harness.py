"""The LMS harness itself: the player tests are only as strict as these rules are real.

A tiny hand-written SCO (not scormbuild's player) makes calls whose outcome the SCORM rules
fix, and the tests check the harness answers, logs and persists them as documented.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from support.lms import LmsOptions, LmsSession, LmsSite, errors

pytestmark = pytest.mark.browser

# Runs the calls listed as JSON in #calls against parent.API and shows [return, error] for
# each; marks itself ready like the player so LmsSession.open can wait for it.
PROBE_SCO = """<!doctype html><html><head><meta charset="utf-8"><title>probe</title>
<link rel="icon" href="data:,"></head><body><pre id="out"></pre>
<script type="application/json" id="calls">%s</script>
<script>
  var api = window.parent.API;
  var out = JSON.parse(document.getElementById("calls").textContent).map(function (c) {
    var ret = api[c[0]].apply(api, c.slice(1));
    return [ret, api.LMSGetLastError()];
  });
  document.getElementById("out").textContent = JSON.stringify(out);
  document.documentElement.setAttribute("data-sb-ready", "true");
</script></body></html>"""


def run_probe(
    chromium: Browser, tmp_path: Path, calls: list[list[str]], options: LmsOptions | None = None
) -> tuple[list[list[str]], LmsSession]:
    sco = tmp_path / "sco"
    sco.mkdir(parents=True)
    (sco / "index.html").write_text(PROBE_SCO % json.dumps(calls), encoding="utf-8")
    site = LmsSite(sco)
    session = LmsSession(browser=chromium, site=site, options=options or LmsOptions()).open()
    results: list[list[str]] = json.loads(session.sco.locator("#out").inner_text())
    return results, session


Probe = Callable[..., tuple[list[list[str]], LmsSession]]


@pytest.fixture
def probe(chromium: Browser, npm_tools: Path, tmp_path: Path) -> Iterator[Probe]:
    sessions: list[LmsSession] = []

    def run(
        calls: list[list[str]], options: LmsOptions | None = None
    ) -> tuple[list[list[str]], LmsSession]:
        results, session = run_probe(chromium, tmp_path / str(len(sessions)), calls, options)
        sessions.append(session)
        return results, session

    yield run
    for session in sessions:
        session.site.stop()


def test_enforces_moodle_limits_scorm_again_lets_through(probe: Probe) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.suspend_data", "x" * 4096],
        ["LMSSetValue", "cmi.suspend_data", "x" * 4097],
        ["LMSSetValue", "cmi.core.lesson_location", "y" * 256],
        ["LMSSetValue", "cmi.core.session_time", "1:02:03"],
        ["LMSSetValue", "cmi.core.session_time", "0001:2:03.50"],
        ["LMSSetValue", "cmi.core.session_time", "0001:02:03.05"],
        ["LMSSetValue", "cmi.interactions.0.id", "q1"],
        ["LMSGetValue", "cmi.interactions.0.id"],
    ]
    results, session = probe(calls)
    assert results[0] == ["true", "0"]
    assert results[1] == ["true", "0"]  # exactly 4,096 characters is allowed
    assert results[2] == ["false", "405"]  # one more is refused, as Moodle does
    assert results[3] == ["false", "405"]  # lesson_location is CMIString255
    assert results[4] == ["false", "405"]  # scorm-again accepts it; Moodle does not
    assert results[5] == ["false", "405"]  # minutes must be two digits
    assert results[6] == ["true", "0"]
    assert results[7] == ["true", "0"]
    assert results[8][1] == "404"  # interactions are write-only in Moodle
    log = session.log()
    # Strict refusals are SCO bugs: they count as errors, never as "injected".
    assert [e["seq"] for e in errors(log)] == [e["seq"] for e in errors(log, True)]
    assert len(errors(log)) == 5


def test_log_records_every_call_and_preloaded_values(probe: Probe) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSGetValue", "cmi.core.credit"],
        ["LMSGetValue", "cmi.core.student_name"],
        ["LMSGetValue", "cmi.core.entry"],
        ["LMSFinish", ""],
    ]
    results, session = probe(calls)
    assert [r[0] for r in results] == ["true", "credit", "Tester, Pat", "ab-initio", "true"]
    fns = [e["fn"] for e in session.log() if e["fn"] != "LMSGetLastError"]
    assert fns == [c[0] for c in calls]
    assert all(e["errorCode"] == 0 for e in session.log() if e["fn"] != "LMSGetLastError")


def test_refused_commits_and_missing_interactions_are_marked_injected(probe: Probe) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSCommit", ""],
        ["LMSGetValue", "cmi.interactions._count"],
        ["LMSSetValue", "cmi.interactions.0.id", "q1"],
        ["LMSFinish", ""],
    ]
    options = LmsOptions(refuse_commits=True, no_interactions=True)
    results, session = probe(calls, options)
    assert results[1] == ["false", "101"]
    assert results[2] == ["", "401"]
    assert results[3] == ["false", "201"]
    assert results[4] == ["true", "0"]
    log = session.log()
    assert errors(log) == []  # what the simulated LMS did on purpose is not a SCO error
    assert len(errors(log, include_injected=True)) == 3


def test_committed_record_starts_the_next_session_with_resume(probe: Probe) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.core.lesson_location", "page-7"],
        ["LMSSetValue", "cmi.suspend_data", "STATE"],
        ["LMSSetValue", "cmi.core.exit", "suspend"],
        ["LMSCommit", ""],
        ["LMSSetValue", "cmi.suspend_data", "NEVER-COMMITTED"],
    ]
    _, session = probe(calls)
    session.wait_committed()  # the record reaches the test server by beacon
    committed = session.committed()
    assert committed is not None
    assert committed["suspend_data"] == "STATE"
    nxt = session.resume_cmi()
    assert nxt["core"]["entry"] == "resume"
    assert nxt["core"]["lesson_location"] == "page-7"
    assert nxt["suspend_data"] == "STATE"  # only what was committed survives
