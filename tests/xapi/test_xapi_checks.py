"""scormbuild.xapi.checks rejects what `tincan` lets through, in agreement with the reference
validator (@learninglocker/xapi-validation): every bad case below is refused by both, the good
statement by neither.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from tincan import Agent, Result, Score, Statement

from scormbuild.xapi.checks import (
    check_agent,
    check_score,
    check_statement,
    is_duration,
    is_iri,
    is_uuid,
)
from scormbuild.xapi.statements import iso_duration

GOOD: dict[str, Any] = {
    "id": "0b3b9a51-7c1e-4d2a-9f5e-2c6d8e4f1a3b",
    "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
    "object": {"objectType": "Activity",
               "id": "https://courses.example.org/sample-course/assessment/post-test",
               "definition": {"type": "http://adlnet.gov/expapi/activities/assessment",
                              "name": {"en-US": "Post-test"}}},
    "result": {"score": {"scaled": 0.8, "raw": 4, "min": 0, "max": 5}, "success": True,
               "duration": "PT1M23.45S"},
    "context": {"registration": "6a9b7c52-3f1d-4e8a-b0c2-9d4e5f6a7b8c"},
    "timestamp": "2026-11-27T06:00:00.000Z",
}


def _with(path: str, value: Any) -> dict[str, Any]:
    statement = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = statement
    for key in parents:
        node = node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return statement


_DELETE = object()

# (case, statement, the path our message must name)
BAD_CASES = [
    ("scaled above 1", _with("result.score.scaled", 1.5), "result.score.scaled"),
    ("scaled below -1", _with("result.score.scaled", -1.01), "result.score.scaled"),
    ("raw above max", _with("result.score.raw", 6), "result.score.raw"),
    ("raw below min", _with("result.score.raw", -1), "result.score.raw"),
    ("agent without identifier", _with("actor", {"objectType": "Agent", "name": "Ann"}),
     "actor"),
    ("agent with two identifiers",
     _with("actor", {"mbox": "mailto:ann@example.org",
                     "account": {"homePage": "https://lms.example.org", "name": "ann"}}),
     "actor"),
    ("mbox without mailto", _with("actor.mbox", "ann@example.org"), "actor.mbox"),
    ("verb id not an IRI", _with("verb.id", "passed"), "verb.id"),
    ("activity id not an IRI", _with("object.id", "post test"), "object.id"),
    ("activity type not an IRI", _with("object.definition.type", "assessment"),
     "object.definition.type"),
    ("SCORM duration", _with("result.duration", "0000:01:23.45"), "result.duration"),
    ("prose duration", _with("result.duration", "83 seconds"), "result.duration"),
    ("registration not a UUID", _with("context.registration", "attempt-1"),
     "context.registration"),
    ("registration with a bad variant",
     _with("context.registration", "6a9b7c52-3f1d-4e8a-70c2-9d4e5f6a7b8c"),
     "context.registration"),
    ("timestamp not ISO 8601", _with("timestamp", "27/11/2026 06:00"), "timestamp"),
]


def test_the_good_statement_passes_our_checks():
    assert check_statement(GOOD) == []


@pytest.mark.parametrize(("case", "statement", "path"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_our_checks_reject(case: str, statement: dict[str, Any], path: str):
    problems = check_statement(statement)
    assert problems, f"{case} was accepted"
    assert any(str(p).startswith(path) for p in problems), problems


def test_the_reference_validator_agrees_case_by_case(xapi_validate):
    verdicts = xapi_validate([GOOD] + [statement for _, statement, _ in BAD_CASES])
    assert verdicts[0] == []
    accepted = [case for (case, _, _), warnings in zip(BAD_CASES, verdicts[1:], strict=True)
                if not warnings]
    assert accepted == []


def test_tincan_builds_what_our_checks_refuse():
    """Why the checks exist: tincan serialises a bad score and an identifier-less agent."""
    statement = Statement(json.loads(json.dumps(GOOD)))
    statement.result = Result(score=Score(scaled=1.5))
    statement.actor = Agent(name="no identifier")
    problems = check_statement(statement)  # a tincan object is checked as the JSON it sends
    assert any(p.path == "result.score.scaled" for p in problems)
    assert any(str(p).startswith("actor:") for p in problems)


def test_score_and_agent_checks_on_their_own():
    assert check_score({"scaled": 1, "raw": 5, "min": 0, "max": 5}) == []
    assert check_score({"min": 5, "max": 1}) != []
    assert check_score({"scaled": True}) != []  # a boolean is not a number
    assert check_agent({"account": {"homePage": "https://lms.example.org", "name": "u1"}}) == []
    assert check_agent({"mbox_sha1sum": "f" * 40}) == []
    assert check_agent({"mbox_sha1sum": "xyz"}) != []
    assert check_agent({"objectType": "Group", "member": [{"mbox": "ann@example.org"}]}) != []


@pytest.mark.parametrize("value", ["https://courses.example.org/x", "urn:uuid:1", "mailto:a@b.c",
                                   "http://127.0.0.1:8080/xAPI/"])
def test_iris_accepted(value: str):
    assert is_iri(value)


@pytest.mark.parametrize("value", ["passed", "http:foo", "http:///x", "https://a b", "", None,
                                   "/relative/path"])
def test_non_iris_rejected(value: Any):
    assert not is_iri(value)


@pytest.mark.parametrize("seconds", [0, 0.4, 59.99, 83.45, 3600, 90061.5])
def test_our_durations_are_iso_8601(seconds: float):
    text = iso_duration(seconds)
    assert is_duration(text), text
    # tincan re-serialises durations (PT01M23.45S); what it writes must pass too.
    sent = json.loads(Result(duration=text).to_json())["duration"]
    assert is_duration(sent), sent


def test_iso_duration_values():
    assert iso_duration(83.45) == "PT1M23.45S"
    assert iso_duration(3600) == "PT1H"
    assert iso_duration(0) == "PT0S"


@pytest.mark.parametrize("value", ["P", "PT", "PT1H2", "1M", "P1DT", "-PT1S"])
def test_non_durations_rejected(value: str):
    assert not is_duration(value)


def test_uuids():
    assert is_uuid("6A9B7C52-3F1D-4E8A-B0C2-9D4E5F6A7B8C")
    assert not is_uuid("6a9b7c523f1d4e8ab0c29d4e5f6a7b8c")
