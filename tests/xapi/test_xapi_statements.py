"""The LRS behaviour scormbuild relies on, and the test statements it is shown with.

The statements of tests/support/statements.py (what the readers' tests feed `xapi records`,
item analysis and seat time) pass @learninglocker/xapi-validation with zero warnings and are
accepted by a real LRS, so those tests run on realistic input; the real player's statements are
checked the same way in tests/browser/test_xapi_player.py. The LRS refuses what our checks
refuse, and a resent statement id is never stored twice (why the player keeps ids).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from support.statements import StatementBuilder
from tincan import Agent, Statement

from scormbuild.build import compile_course
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.checks import check_statement
from scormbuild.xapi.statements import ping_statement
from tests.helpers import SAMPLE


@pytest.fixture(scope="module")
def activities() -> CourseActivities:
    compiled = compile_course(SAMPLE)
    return course_activities(compiled.course, compiled.rendered)


def _correct_response(definition: dict[str, Any]) -> str:
    response: str = definition["correctResponsesPattern"][0]
    return response


def walk(activities: CourseActivities, registration: str, correct: int | None = None
         ) -> list[Statement]:
    """Every statement of one attempt through the sample course, in the order the player
    sends them; ``correct`` post-test answers right (default: all)."""
    course = activities.course
    builder = StatementBuilder(
        activities, Agent(name="Ann Learner", mbox="mailto:ann@example.org"), registration,
        launch_extras={"tenant": "clinic-7"})
    out = [builder.launched(), builder.initialized()]
    for module in course.modules:
        out += [builder.experienced(p.id, 42.5) for p in module.pages]
        for q in module.knowledge_check:
            d = activities.get("question", q.id).definition
            out.append(builder.answered(q.id, _correct_response(d), True, 12.25))
        out.append(builder.completed_module(module.id, 300))
    assert course.assessment is not None
    questions = course.assessment.questions
    right = len(questions) if correct is None else correct
    for n, q in enumerate(questions):
        d = activities.get("question", q.id).definition
        ok = n < right
        response = _correct_response(d) if ok else "wrong"
        out.append(builder.answered(q.id, response, ok, 20))
    out.append(builder.assessed(right, len(questions), course.assessment.policy.pass_mark, 100))
    assert course.evaluation is not None
    for item in course.evaluation.items:
        out.append(builder.answered_survey(item.id, "4" if item.type == "likert" else
                                           "More examples, please.", 9))
    out.append(builder.completed_course(1800, success=right * 100 >= 80 * len(questions)))
    out.append(builder.terminated(1805.5))
    return out


def _data(statements: list[Statement]) -> list[dict[str, Any]]:
    return [json.loads(s.to_json()) for s in statements]


def test_every_statement_passes_the_reference_validator_and_our_checks(activities,
                                                                        xapi_validate):
    statements = _data(walk(activities, str(uuid.uuid4()))
                       + walk(activities, str(uuid.uuid4()), correct=1)
                       + [ping_statement()])
    warnings = xapi_validate(statements)
    assert {s["id"]: w for s, w in zip(statements, warnings, strict=True) if w} == {}
    assert {s["id"]: check_statement(s) for s in statements if check_statement(s)} == {}


def test_the_lrs_accepts_the_walk_and_returns_it_intact(activities, lrs, xapi_validate):
    registration = str(uuid.uuid4())
    sent = _data(walk(activities, registration))
    status, ids = lrs.post_statements(sent)
    assert status == 200, ids
    assert ids == [s["id"] for s in sent]
    back = lrs.get("statements", f"registration={registration}&limit=0")["statements"]
    assert sorted(s["id"] for s in back) == sorted(ids)
    # What the LRS stored (plus stored/authority) still validates and parses.
    assert [w for w in xapi_validate(back) if w] == []
    by_id = {s["id"]: s for s in back}
    for statement in sent:
        stored = by_id[statement["id"]]
        assert Statement.from_json(json.dumps(stored)).verb.id == statement["verb"]["id"]
        assert stored["context"]["registration"] == registration
        if "result" in statement:
            assert stored["result"] == statement["result"]


def test_the_lrs_refuses_a_statement_our_checks_refuse(lrs):
    bad = json.loads(ping_statement().to_json())
    bad["actor"] = {"objectType": "Agent", "mbox": "ann@example.org"}
    assert check_statement(bad)
    status, body = lrs.post_statements([bad])
    assert status == 400, body


def test_resending_a_statement_with_its_id_never_stores_it_twice(activities, lrs):
    """Why statement ids are made once and kept through retries (docs/xapi.md)."""
    registration = str(uuid.uuid4())
    sent = _data(walk(activities, registration))
    for _ in range(2):  # e.g. the answer to the first POST was lost, so the queue resends
        status, ids = lrs.post_statements(sent)
        assert status == 200, ids
    back = lrs.get("statements", f"registration={registration}&limit=0")["statements"]
    assert sorted(s["id"] for s in back) == sorted(s["id"] for s in sent)
