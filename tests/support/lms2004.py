"""The LMS harness for SCORM 2004: scorm-again's Scorm2004API as ``window.API_1484_11``
(tests/support/lms/harness2004.html, the same harness.js as SCORM 1.2 with
``cfg.standard = "scorm2004"``), and the log queries and session rules of SCORM 2004.

``Lms2004Session`` is an ``LmsSession`` (support/lms.py) with the 2004 API names, the 2004 CMI
preload, and resume as an LMS does it: ``cmi.entry = "resume"`` only after ``cmi.exit =
"suspend"``. The LMS hands the SCO the manifest's ``imsss:minNormalizedMeasure`` as
``cmi.scaled_passing_score`` (``mastery_score`` holds it here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.lms import LmsSession, format_entries

LogEntry = dict[str, Any]

# ISO 8601 duration as SCORM 2004 writes it (timeinterval (second,10,2)).
DURATION_RE = re.compile(
    r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$")
TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6}(?:Z|[+-]\d{2}(?::\d{2})?)?)?$")
COMPLETION = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS = {"passed", "failed", "unknown"}
EXIT_VALUES = {"", "time-out", "suspend", "logout", "normal"}
SUSPEND_LIMIT = 64_000


@dataclass
class Lms2004Session(LmsSession):
    HARNESS_PAGE = "harness2004.html"
    COMMIT = "Commit"
    FINISH = "Terminate"

    def config(self) -> dict[str, Any]:
        base = super().config()
        cmi = dict(self.cmi)
        cmi.setdefault("learner_name", self.options.student_name)
        cmi.setdefault("credit", self.options.credit)
        if self.options.lesson_mode is not None:
            cmi["mode"] = self.options.lesson_mode
        if self.mastery_score is not None:
            cmi["scaled_passing_score"] = self.mastery_score
        return {**base, "cmi": cmi, "standard": "scorm2004"}

    def resume_cmi(self) -> dict[str, Any]:
        saved = self.committed()
        assert saved is not None, "nothing was ever committed: an LMS would have nothing to resume"
        out: dict[str, Any] = {
            "entry": "resume" if saved.get("exit") == "suspend" else "",
            "location": saved.get("location", ""),
            "suspend_data": saved.get("suspend_data", ""),
        }
        for key in ("completion_status", "success_status"):
            if saved.get(key) not in (None, "", "unknown", "not attempted"):
                out[key] = saved[key]
        return out


def passing_score(sco_dir: Path) -> str | None:
    """imsss:minNormalizedMeasure of the SCO's primary objective (what the LMS hands over)."""
    from lxml import etree

    tree = etree.parse(str(sco_dir / "imsmanifest.xml"))
    values = tree.xpath("//imsss:primaryObjective[@satisfiedByMeasure='true']/"
                        "imsss:minNormalizedMeasure/text()",
                        namespaces={"imsss": "http://www.imsglobal.org/xsd/imsss"})
    return str(values[0]).strip() if values else None


# -- log queries -------------------------------------------------------------------------
def calls(log: Iterable[LogEntry], fn: str) -> list[LogEntry]:
    return [e for e in log if e["fn"] == fn]


def sets(log: Iterable[LogEntry], element: str | re.Pattern[str]) -> list[LogEntry]:
    out = []
    for e in log:
        if e["fn"] != "SetValue":
            continue
        name = e["args"][0]
        if (isinstance(element, str) and name == element) or (
            isinstance(element, re.Pattern) and element.fullmatch(name)
        ):
            out.append(e)
    return out


def accepted_values(log: Iterable[LogEntry], element: str) -> list[str]:
    return [e["args"][1] for e in sets(log, element) if e["ret"] == "true"]


def last_value(log: Iterable[LogEntry], element: str) -> str | None:
    values = accepted_values(log, element)
    return values[-1] if values else None


def records(log: Iterable[LogEntry], collection: str) -> list[dict[str, str]]:
    """Rebuild ``cmi.<collection>.n.*`` records (interactions, objectives, ...) by index."""
    pat = re.compile(rf"cmi\.{re.escape(collection)}\.(\d+)\.(.+)")
    found: dict[int, dict[str, str]] = {}
    for e in log:
        if e["fn"] != "SetValue" or e["ret"] != "true":
            continue
        m = pat.fullmatch(e["args"][0])
        if m:
            found.setdefault(int(m.group(1)), {})[m.group(2)] = e["args"][1]
    return [found[i] for i in sorted(found)]


# Optional values only the LMS sets: a SCO must read them to honour them, and when the LMS has
# not set one, GetValue answers 403 (RTE: "Data Model Element Value Not Initialized"). That is
# the one non-zero code a correct SCO meets; any other, or 403 on anything else, is a failure.
LMS_THRESHOLDS = {"cmi.scaled_passing_score", "cmi.completion_threshold"}


def not_set(e: LogEntry) -> bool:
    return e["fn"] == "GetValue" and e["errorCode"] == 403 and e["args"][0] in LMS_THRESHOLDS


def errors(log: Iterable[LogEntry], include_injected: bool = False) -> list[LogEntry]:
    return [e for e in log if e.get("errorCode") not in (None, 0) and not not_set(e)
            and (include_injected or not e.get("injected"))]


def assert_session_ok(log: list[LogEntry], finished: bool = True) -> None:
    """Rules every SCORM 2004 session must keep, whatever the scenario (scorm2004.md)."""
    inits = calls(log, "Initialize")
    assert len(inits) == 1, f"Initialize called {len(inits)} times"
    assert inits[0]["seq"] == min(e["seq"] for e in log if e["fn"] != "GetLastError"), (
        "an API call came before Initialize")
    bad = errors(log)
    assert not bad, "API calls ended with non-zero error codes:\n" + format_entries(bad)
    for e in sets(log, "cmi.session_time"):
        assert DURATION_RE.match(e["args"][1]), f"session_time {e['args'][1]!r}"
    for e in sets(log, "cmi.completion_status"):
        assert e["args"][1] in COMPLETION - {"not attempted", "unknown"}, e["args"][1]
    for e in sets(log, "cmi.success_status"):
        assert e["args"][1] in SUCCESS, e["args"][1]
    for e in sets(log, "cmi.exit"):
        assert e["args"][1] in ("suspend", "normal"), f"cmi.exit {e['args'][1]!r}"
    for e in sets(log, "cmi.suspend_data"):
        assert len(e["args"][1]) <= SUSPEND_LIMIT
    if finished:
        terminates = calls(log, "Terminate")
        assert len(terminates) == 1, f"Terminate called {len(terminates)} times"
        assert terminates[0]["ret"] == "true", terminates[0]
        after = [e for e in log if e["seq"] > terminates[0]["seq"] and e["fn"] != "GetLastError"]
        assert not after, "API calls after Terminate:\n" + format_entries(after)
        assert sets(log, "cmi.session_time"), "session_time never reported"
        assert sets(log, "adl.nav.request"), "no navigation request before Terminate"
        last_set = max((e["seq"] for e in calls(log, "SetValue")), default=0)
        assert [e for e in log if e["fn"] in ("Commit", "Terminate") and e["seq"] > last_set]
