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

from support.lms import ApiLog, LmsSession, format_entries
from support.lms import calls as calls  # re-exported: the 2004 scenarios query with it
from support.lms import errors as all_errors

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


# -- log queries (support/lms.py's, with the 2004 call names) -------------------------------
SCORM2004 = ApiLog(init="Initialize", set="SetValue", commit="Commit", finish="Terminate",
                   last_error="GetLastError")
sets = SCORM2004.sets
accepted_values = SCORM2004.accepted_values
last_value = SCORM2004.last_value
records = SCORM2004.records


# Optional values only the LMS sets: a SCO must read them to honour them, and when the LMS has
# not set one, GetValue answers 403 (RTE: "Data Model Element Value Not Initialized"). That is
# the one non-zero code a correct SCO meets; any other, or 403 on anything else, is a failure.
LMS_THRESHOLDS = {"cmi.scaled_passing_score", "cmi.completion_threshold"}


def not_set(e: LogEntry) -> bool:
    return e["fn"] == "GetValue" and e["errorCode"] == 403 and e["args"][0] in LMS_THRESHOLDS


def errors(log: Iterable[LogEntry], include_injected: bool = False) -> list[LogEntry]:
    return [e for e in all_errors(log, include_injected) if not not_set(e)]


def assert_session_ok(log: list[LogEntry], finished: bool = True) -> None:
    """Rules every SCORM 2004 session must keep, whatever the scenario (scorm2004.md)."""
    SCORM2004.assert_opened_once(log)
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
        SCORM2004.assert_closed_once(log)
        assert sets(log, "cmi.session_time"), "session_time never reported"
        assert sets(log, "adl.nav.request"), "no navigation request before Terminate"
