"""Drive a built SCO inside the LMS harness (tests/support/lms/harness.html) and read the log.

One ``LmsSite`` serves a test's unpacked SCO, the harness and scorm-again from one 127.0.0.1
origin (the SCO must be same-origin with the LMS page to reach ``window.parent.API``). Each
``LmsSession`` is one learner session: a fresh browser context (so nothing survives in the
browser's own storage), a harness page and the SCO in its iframe. ``session.next_session()``
starts the learner's next session from what the LMS *committed*, with ``cmi.core.entry`` set
the way an LMS sets it: that is how resume works in a real LMS, and the only thing it can use.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Frame, FrameLocator, Page

from support.env import HARNESS_DIR, SCORM_AGAIN_DIST
from support.server import StaticServer

LogEntry = dict[str, Any]

# Moodle's CMITimespan check, the strictest an LMS applies to cmi.core.session_time.
SESSION_TIME_RE = re.compile(r"^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$")
LESSON_STATUSES = {"passed", "completed", "failed", "incomplete", "browsed"}
EXIT_VALUES = {"", "time-out", "suspend", "logout"}
READY_SELECTOR = 'html[data-sb-ready="true"]'


@dataclass(frozen=True)
class LmsOptions:
    """How the simulated LMS behaves (see harness.js)."""

    refuse_commits: bool = False
    no_interactions: bool = False
    lesson_mode: str | None = None  # None: the LMS never sets it (as some real ones do)
    student_name: str = "Tester, Pat"
    credit: str = "credit"
    # How the LMS launches the SCO: "frame" (its own iframe), "nested" (behind a frame of
    # another origin) or "popup" (a new window; the API is found through window.opener).
    launch: str = "frame"


class LmsSite:
    """A 127.0.0.1 server with the harness, scorm-again and one unpacked SCO under /sco/."""

    def __init__(self, sco_dir: Path) -> None:
        self.sco_dir = sco_dir
        self.sessions: list[LmsSession] = []
        self._other: StaticServer | None = None
        self.server = StaticServer(
            mounts={
                "/harness/": HARNESS_DIR,
                "/vendor/scorm-again/": SCORM_AGAIN_DIST,
                "/sco/": sco_dir,
            }
        )

    @property
    def sco_url(self) -> str:
        return self.server.url("/sco/index.html")

    @property
    def other_origin(self) -> StaticServer:
        """A second server (another port, so another origin) for the cross-origin wrapper."""
        if self._other is None:
            self._other = StaticServer(mounts={"/harness/": HARNESS_DIR})
        return self._other

    def stop(self) -> None:
        for session in self.sessions:
            if session.context is not None:
                session.context.close()
                session.context = None
                session.page = None
                session.popup = None
        self.server.stop()
        if self._other is not None:
            self._other.stop()

    def __enter__(self) -> LmsSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class LmsSession:
    # The harness page and the API's commit/finish names (support/lms2004.py overrides them).
    HARNESS_PAGE = "harness.html"
    COMMIT = "LMSCommit"
    FINISH = "LMSFinish"

    browser: Browser
    site: LmsSite
    options: LmsOptions = field(default_factory=LmsOptions)
    cmi: dict[str, Any] = field(default_factory=dict)  # preloaded LMS record (resume)
    mastery_score: str | None = None
    sid: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    context: BrowserContext | None = None
    page: Page | None = None
    popup: Page | None = None
    _final_log: list[LogEntry] | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        core = dict(self.cmi.get("core", {}))
        core.setdefault("student_name", self.options.student_name)
        core.setdefault("credit", self.options.credit)
        if self.options.lesson_mode is not None:
            core["lesson_mode"] = self.options.lesson_mode
        cmi = dict(self.cmi, core=core)
        if self.mastery_score is not None:
            cmi["student_data"] = {"mastery_score": self.mastery_score}
        launch = self.options.launch
        if launch not in ("frame", "nested", "popup"):
            raise ValueError(f"unknown launch {launch!r}")
        return {
            "sid": self.sid,
            "sco": "/sco/index.html",
            "launch": launch,
            "wrapper": (
                self.site.other_origin.url("/harness/wrapper.html") if launch == "nested" else ""
            ),
            "cmi": cmi,
            "refuse_commits": self.options.refuse_commits,
            "no_interactions": self.options.no_interactions,
        }

    def open(self, timeout_ms: float = 15_000) -> LmsSession:
        self.site.sessions.append(self)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        # The player must never reach out (no CDN, no external request): record any attempt,
        # from the LMS page, its frames and any pop-up alike.
        self.context.on(
            "request",
            lambda req: None if is_local(req.url) else self.external_requests.append(req.url),
        )
        self.page = self.context.new_page()
        self._watch(self.page)
        query = urllib.parse.urlencode({"cfg": json.dumps(self.config())})
        self.page.goto(self.site.server.url(f"/harness/{self.HARNESS_PAGE}?{query}"))
        if self.options.launch == "popup":
            with self.page.expect_popup(timeout=timeout_ms) as info:
                self.page.click("#launch")
            self.popup = info.value
            self._watch(self.popup)
        self.sco.locator(READY_SELECTOR).wait_for(state="attached", timeout=timeout_ms)
        return self

    def _watch(self, page: Page) -> None:
        # A thrown exception anywhere (harness, SCO frame, pop-up) is a failure tests report.
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )

    @property
    def sco(self) -> FrameLocator | Page:
        """The SCO's document, for locators (what a learner sees)."""
        assert self.page is not None, "session not open"
        if self.popup is not None:
            return self.popup
        if self.options.launch == "nested":
            return self.page.frame_locator("#sco").frame_locator("#inner")
        return self.page.frame_locator("#sco")

    @property
    def frame(self) -> Frame:
        """The SCO's frame, for ``evaluate`` (the read-only debug handle)."""
        assert self.page is not None, "session not open"
        if self.popup is not None:
            return self.popup.main_frame
        sco_url = self.site.sco_url
        for frame in self.page.frames:
            if frame.url.split("?", 1)[0] == sco_url:
                return frame
        raise AssertionError(f"SCO frame missing; frames: {[f.url for f in self.page.frames]}")

    def close(self, run_before_unload: bool = True) -> list[LogEntry]:
        """Close the learner's tab. Returns the complete log as the server received it."""
        if self.page is None:
            return self._final_log or []
        expected = len(self.log())
        assert self.context is not None
        # The course window first (a pop-up), then the LMS page.
        pages = [p for p in (self.popup, self.page) if p is not None and not p.is_closed()]
        self.page = self.popup = None
        for page in pages:
            if run_before_unload:
                # With run_before_unload, page.close() returns before the page is gone;
                # closing the context at once would kill the unload handlers under test.
                with page.expect_event("close", timeout=10_000):
                    page.close(run_before_unload=True)
            else:
                page.close()
        # Beacons sent during unload arrive asynchronously: wait until at least what the page
        # had logged is in, and for the LMSFinish the unload must have sent, before the
        # context (and with it any beacon still in flight) goes away.
        store = self.site.server.store
        store.wait_for(self.sid, lambda log: len(log) >= expected, timeout=10)
        store.wait_for(self.sid, lambda log: any(e["fn"] == self.FINISH for e in log), timeout=10)
        self.wait_committed()
        self.context.close()
        self.context = None
        self._final_log = store.log(self.sid)
        return self._final_log

    def unload_sco(self) -> None:
        """The LMS page navigates the course frame away (the harness page stays)."""
        assert self.page is not None
        self.page.evaluate("() => harness.unloadSco()")
        self.page.wait_for_function(
            f"() => harness.log.some(e => e.fn === '{self.FINISH}')", timeout=10_000
        )
        self.wait_committed()

    def wait_committed(self, timeout: float = 10.0) -> None:
        """Wait until the server holds the record of the last successful commit/finish the
        log shows (the record travels by its own beacon, asynchronously)."""
        store = self.site.server.store
        log = self.log() if self.page is not None else store.log(self.sid)
        done = [
            e["seq"] for e in log if e["fn"] in (self.COMMIT, self.FINISH) and e["ret"] == "true"
        ]
        if not done:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            record = store.committed(self.sid)
            if record is not None and int(record.get("seq", 0)) >= max(done):
                return
            time.sleep(0.05)
        raise AssertionError(f"the record of commit #{max(done)} never reached the test LMS")

    # -- reading -------------------------------------------------------------------------
    def log(self) -> list[LogEntry]:
        if self.page is not None:
            entries: list[LogEntry] = self.page.evaluate("() => harness.log")
            return entries
        return (
            self._final_log if self._final_log is not None else self.site.server.store.log(self.sid)
        )

    def cmi_json(self) -> dict[str, Any]:
        """scorm-again's own view of the data model: ``API.renderCMIToJSONObject()``."""
        assert self.page is not None
        data: dict[str, Any] = self.page.evaluate("() => harness.cmi()")
        return data.get("cmi", data)

    def committed(self) -> dict[str, Any] | None:
        """The CMI as of the last successful LMSCommit/LMSFinish (what the LMS stored),
        without ``interactions`` (read those from the log: see harness.js ``persist``)."""
        record = self.site.server.store.committed(self.sid)
        if record is None:
            return None
        cmi: dict[str, Any] = record["cmi"]
        return cmi.get("cmi", cmi)

    def player(self, expr: str) -> Any:
        """Evaluate against the documented read-only handle ``window.scormbuildPlayer``."""
        return self.frame.evaluate(f"() => {{ const p = window.scormbuildPlayer; return {expr}; }}")

    # -- next session --------------------------------------------------------------------
    def resume_cmi(self) -> dict[str, Any]:
        """The record an LMS hands to the next session, built from what was committed."""
        saved = self.committed()
        assert saved is not None, "nothing was ever committed: an LMS would have nothing to resume"
        core = saved.get("core", {})
        # What an LMS does: entry=resume only after exit=suspend; otherwise a new start.
        entry = "resume" if core.get("exit") == "suspend" else ""
        new_core: dict[str, Any] = {
            "entry": entry,
            "lesson_location": core.get("lesson_location", ""),
            "lesson_status": core.get("lesson_status") or "not attempted",
        }
        score = core.get("score") or {}
        if score.get("raw", "") != "":
            new_core["score"] = {k: score.get(k, "") for k in ("raw", "min", "max")}
        return {"core": new_core, "suspend_data": saved.get("suspend_data", "")}

    def next_session(self, options: LmsOptions | None = None) -> LmsSession:
        """Close this session if still open, then open the learner's next one."""
        if self.page is not None:
            self.close()
        nxt = type(self)(
            browser=self.browser,
            site=self.site,
            options=options or self.options,
            cmi=self.resume_cmi(),
            mastery_score=self.mastery_score,
        )
        return nxt.open()


def is_local(url: str) -> bool:
    """True for loopback http(s) and for URLs that never touch the network."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname in ("127.0.0.1", "localhost")


# -- log queries and assertions ------------------------------------------------------------
def calls(log: Iterable[LogEntry], fn: str) -> list[LogEntry]:
    return [e for e in log if e["fn"] == fn]


@dataclass(frozen=True)
class ApiLog:
    """Queries and session rules on a harness log that depend only on the API's call names:
    SCORM 1.2's (``SCORM12`` below) or SCORM 2004's (support/lms2004.py)."""

    init: str
    set: str
    commit: str
    finish: str
    last_error: str

    def sets(self, log: Iterable[LogEntry], element: str | re.Pattern[str]) -> list[LogEntry]:
        """SetValue calls on ``element`` (exact name or a compiled pattern)."""
        out = []
        for e in log:
            if e["fn"] != self.set:
                continue
            name = e["args"][0]
            if (isinstance(element, str) and name == element) or (
                isinstance(element, re.Pattern) and element.fullmatch(name)
            ):
                out.append(e)
        return out

    def accepted_values(self, log: Iterable[LogEntry], element: str) -> list[str]:
        return [e["args"][1] for e in self.sets(log, element) if e["ret"] == "true"]

    def last_value(self, log: Iterable[LogEntry], element: str) -> str | None:
        values = self.accepted_values(log, element)
        return values[-1] if values else None

    def records(self, log: Iterable[LogEntry], collection: str) -> list[dict[str, str]]:
        """Rebuild ``cmi.<collection>.n.*`` records (interactions, objectives, ...) from the
        accepted sets, by index."""
        pat = re.compile(rf"cmi\.{re.escape(collection)}\.(\d+)\.(.+)")
        found: dict[int, dict[str, str]] = {}
        for e in log:
            if e["fn"] != self.set or e["ret"] != "true":
                continue
            m = pat.fullmatch(e["args"][0])
            if m:
                found.setdefault(int(m.group(1)), {})[m.group(2)] = e["args"][1]
        return [found[i] for i in sorted(found)]

    def assert_opened_once(self, log: list[LogEntry]) -> None:
        """The session was initialized once, before any other call."""
        inits = calls(log, self.init)
        assert len(inits) == 1, f"{self.init} called {len(inits)} times, expected exactly once"
        assert inits[0]["seq"] == min(e["seq"] for e in log if e["fn"] != self.last_error), (
            f"an API call came before {self.init}")

    def assert_closed_once(self, log: list[LogEntry]) -> None:
        """The session was finished once, successfully, with nothing after it, and nothing
        set after the last commit or finish."""
        finishes = calls(log, self.finish)
        assert len(finishes) == 1, (
            f"{self.finish} called {len(finishes)} times, expected exactly once")
        assert finishes[0]["ret"] == "true", f"{self.finish} returned {finishes[0]['ret']!r}"
        after = [e for e in log if e["seq"] > finishes[0]["seq"] and e["fn"] != self.last_error]
        assert not after, f"API calls after {self.finish}:\n" + format_entries(after)
        last_set = max((e["seq"] for e in calls(log, self.set)), default=0)
        closing = [e for e in log if e["fn"] in (self.commit, self.finish) and e["seq"] > last_set]
        assert closing, "values were set after the last commit/finish"


SCORM12 = ApiLog(init="LMSInitialize", set="LMSSetValue", commit="LMSCommit",
                 finish="LMSFinish", last_error="LMSGetLastError")
sets = SCORM12.sets
accepted_values = SCORM12.accepted_values
last_value = SCORM12.last_value


def errors(log: Iterable[LogEntry], include_injected: bool = False) -> list[LogEntry]:
    """Calls that ended with a non-zero error code.

    Errors the harness injected on purpose (a simulated broken LMS) are left out unless asked
    for; refusals of Moodle-strict rules (too-long suspend_data, bad session_time) are SCO bugs
    and always count.
    """
    return [
        e
        for e in log
        if e.get("errorCode") not in (None, 0) and (include_injected or not e.get("injected"))
    ]


def format_entries(entries: Iterable[LogEntry], limit: int = 20) -> str:
    lines = []
    for e in list(entries)[:limit]:
        args = ", ".join(repr(a if len(a) <= 80 else a[:77] + "...") for a in e["args"])
        lines.append(f"  #{e['seq']} {e['fn']}({args}) -> {e['ret']!r} error {e['errorCode']}")
    return "\n".join(lines)


def assert_no_errors(log: list[LogEntry]) -> None:
    bad = errors(log)
    assert not bad, "LMS API calls ended with non-zero error codes:\n" + format_entries(bad)


def assert_session_ok(log: list[LogEntry], finished: bool = True) -> None:
    """Rules every session must keep, whatever the scenario (scorm12.md)."""
    SCORM12.assert_opened_once(log)
    assert_no_errors(log)
    for e in sets(log, "cmi.core.session_time"):
        value = e["args"][1]
        assert SESSION_TIME_RE.match(value), f"session_time {value!r} is not Moodle-strict"
    for e in sets(log, "cmi.core.lesson_status"):
        assert e["args"][1] in LESSON_STATUSES, f"lesson_status {e['args'][1]!r} is not allowed"
    for e in sets(log, "cmi.core.exit"):
        assert e["args"][1] in EXIT_VALUES, f"cmi.core.exit {e['args'][1]!r} is not a 1.2 value"
    for e in sets(log, "cmi.suspend_data"):
        assert len(e["args"][1]) <= 4096, "suspend_data over 4,096 characters"
    if finished:
        SCORM12.assert_closed_once(log)
        assert sets(log, "cmi.core.session_time"), "session_time never reported"


def interactions(log: Iterable[LogEntry]) -> list[dict[str, str]]:
    """Rebuild the interaction records from the accepted sets, by index."""
    return SCORM12.records(log, "interactions")
