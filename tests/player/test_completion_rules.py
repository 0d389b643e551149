"""Completion rules, what is missing for the certificate, the certificate number and the status
policy, as the real templates/player/completion.js computes them (run under node)."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from scormbuild.resources import templates_dir
from tests.player.conftest import sample_course
from tests.player.test_state_codec import STATE_JS, node

COMPLETION_JS = templates_dir() / "player" / "completion.js"

# Reads {"course", "states", "ids"} on stdin; prints the rules, each state's outcome (the parts
# the completion view uses) and the certificate numbers for [learner id, day] pairs.
SCRIPT = """
const S = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const c = input.course;
process.stdout.write(JSON.stringify({
  rules: S.rules(c),
  outcomes: input.states.map(s => {
    const o = S.outcome(c, s);
    return {missing: o.missing, certified: o.certified, finished: o.finished, result: o.result,
            report: S.report(c, o, input.prior || '')};
  }),
  ids: input.ids.map(p => S.certId(c, p[0], p[1])),
}));
"""
CERT_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def run(course: dict[str, Any], states: list[dict[str, Any]] | None = None,
        ids: list[list[Any]] | None = None, prior: str = "") -> dict[str, Any]:
    proc = subprocess.run(
        [node(), "-e", SCRIPT, str(COMPLETION_JS)],
        input=json.dumps({"course": course, "states": states or [], "ids": ids or [],
                          "prior": prior}),
        capture_output=True, text=True, timeout=60, check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def empty_state(course: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [node(), "-e", "const S = require(process.argv[1]); process.stdout.write("
         "JSON.stringify(S.empty(JSON.parse(require('fs').readFileSync(0, 'utf8')))))",
         str(STATE_JS)],
        input=json.dumps(course), capture_output=True, text=True, timeout=60, check=True,
    )
    state: dict[str, Any] = json.loads(proc.stdout)
    return state


def passed(course: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """``state`` with every post-test answer right and the attempt submitted."""
    s = json.loads(json.dumps(state))
    s["test"]["phase"], s["test"]["attempts"] = 2, 1
    for qi, q in enumerate(course["assessment"]["questions"]):
        if q["type"] == "multiple":
            s["test"]["answers"][qi] = [1 if c["id"] in q["correct"] else 0 for c in q["choices"]]
        elif q["type"] == "matching":
            targets = [t["id"] for t in q["targets"]]
            s["test"]["answers"][qi] = [targets.index(p.split(".")[1]) + 1 for p in q["correct"]]
        else:
            ids = [c["id"] for c in q["choices"]]
            s["test"]["answers"][qi] = [ids.index(c) + 1 for c in q["correct"]]
    return s


def test_defaults_follow_the_course() -> None:
    c = sample_course()
    c.pop("completion", None)
    c["ce"] = {"hours": 1.0, "format": "x", "level": "beginning", "approvals": []}
    rules = run(c)["rules"]
    assert rules == {"evaluation": True, "attestation": True,
                     "text": "I completed this activity myself and in full.",
                     "minSeat": 0, "idleMs": 5 * 60_000}
    c["ce"] = None
    c["evaluation"] = None
    assert run(c)["rules"]["attestation"] is False
    assert run(c)["rules"]["evaluation"] is False
    c["completion"] = {"evaluation_required": True, "attestation_required": True,
                       "attestation_text": "I did it.", "min_seat_minutes": 30,
                       "idle_minutes": 2}
    rules = run(c)["rules"]
    assert rules == {"evaluation": False,  # no evaluation: nothing to require
                     "attestation": True, "text": "I did it.", "minSeat": 1800,
                     "idleMs": 120_000}


def test_missing_lists_every_rule_in_order() -> None:
    c = sample_course()
    c["ce"] = {"hours": 1.0, "format": "x", "level": "beginning", "approvals": []}
    st = empty_state(c)
    done = passed(c, st)
    evaluated = json.loads(json.dumps(done))
    evaluated["evaluation"]["done"] = 1
    attested = json.loads(json.dumps(evaluated))
    attested["cert"]["attested"] = 1
    outcomes = run(c, [st, done, evaluated, attested])["outcomes"]
    assert [o["missing"] for o in outcomes] == [
        ["posttest", "evaluation", "attestation"],
        ["evaluation", "attestation"],
        ["attestation"],
        [],
    ]
    assert [o["certified"] for o in outcomes] == [False, False, False, True]
    # The LMS outcome does not wait for the attestation; the certificate does.
    assert outcomes[2]["finished"] and outcomes[2]["result"] == "passed"

    c["completion"] = {"evaluation_required": False, "attestation_required": False}
    outcomes = run(c, [done])["outcomes"]
    assert outcomes[0]["missing"] == [] and outcomes[0]["certified"] is True
    assert outcomes[0]["finished"] is True


def test_failed_final_gets_no_certificate_and_no_post_test_course_needs_seat_time() -> None:
    c = sample_course()
    st = empty_state(c)
    st["test"]["phase"], st["test"]["attempts"] = 2, c["assessment"]["attempts"]
    st["evaluation"]["done"], st["cert"]["attested"] = 1, 1
    out = run(c, [st])["outcomes"][0]
    assert out["result"] == "failed" and out["certified"] is False

    c["assessment"] = None
    c["completion"] = {"min_seat_minutes": 10}
    st = empty_state(c)
    st["visited"] = [1] * len(st["visited"])
    st["evaluation"]["done"], st["cert"]["attested"] = 1, 1
    later = json.loads(json.dumps(st))
    later["seat"] = 600
    outcomes = run(c, [st, later])["outcomes"]
    assert outcomes[0]["missing"] == ["seat"] and outcomes[1]["missing"] == []


def test_certificate_number_is_stable_short_and_distinct() -> None:
    c = sample_course()
    ids = run(c, ids=[["s1", 20784], ["s1", 20784], ["s2", 20784], ["s1", 20785], ["", 20784]])
    a, again, other_learner, other_day, nobody = ids["ids"]
    assert a == again
    assert len({a, other_learner, other_day, nobody}) == 4
    assert all(CERT_ID.match(x) for x in ids["ids"])


def test_status_policy_reports_completion_and_success_apart() -> None:
    c = sample_course()
    c["assessment"]["reporting"] = "passed-failed"
    st = empty_state(c)
    done = passed(c, st)
    evaluated = json.loads(json.dumps(done))
    evaluated["evaluation"]["done"] = 1
    failed = json.loads(json.dumps(st))
    failed["test"]["phase"], failed["test"]["attempts"] = 2, c["assessment"]["attempts"]
    failed["evaluation"]["done"] = 1
    reports = [o["report"] for o in run(c, [st, done, evaluated, failed])["outcomes"]]
    assert reports[0] == {"lesson": "incomplete", "completion": "incomplete",
                          "success": "unknown", "scaled": None, "submitted": False}
    # Passed, the evaluation still due: success now, completion once it is submitted.
    assert (reports[1]["lesson"], reports[1]["completion"], reports[1]["success"],
            reports[1]["scaled"]) == ("passed", "incomplete", "passed", 1)
    assert (reports[2]["completion"], reports[2]["success"]) == ("completed", "passed")
    assert (reports[3]["lesson"], reports[3]["completion"], reports[3]["success"]) == (
        "failed", "completed", "failed")
    # passed-incomplete: a final fail stays open, in every standard alike.
    c["assessment"]["reporting"] = "passed-incomplete"
    report = run(c, [failed])["outcomes"][0]["report"]
    assert (report["lesson"], report["completion"], report["success"]) == (
        "incomplete", "incomplete", "unknown")
    # A pass the LMS holds is never taken back; a completion may become a pass.
    assert run(c, [st], prior="passed")["outcomes"][0]["report"] is None
    assert run(c, [st], prior="completed")["outcomes"][0]["report"] is None
    assert run(c, [done], prior="completed")["outcomes"][0]["report"]["lesson"] == "passed"


ANSWER_SCRIPT = """
const C = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(input.answers.map(
  a => C.answer(input.questions[a[0]], a[1], 'prompt'))));
"""


def test_answer_records_carry_author_ids() -> None:
    """The record every tracker starts from names choices by id, never by position."""
    questions = [
        {"id": "q-single", "type": "single", "objective": "o1", "correct": ["b"],
         "choices": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
        {"id": "q-multi", "type": "multiple", "objective": "", "correct": ["a", "c"],
         "choices": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
        {"id": "q-tf", "type": "true-false", "objective": "o2", "correct": ["false"],
         "choices": [{"id": "true"}, {"id": "false"}]},
        {"id": "q-seq", "type": "sequencing", "objective": "o1", "correct": ["x", "y", "z"],
         "choices": [{"id": "x"}, {"id": "y"}, {"id": "z"}]},
        {"id": "q-match", "type": "matching", "objective": "o1", "correct": ["s1.t2", "s2.t1"],
         "sources": [{"id": "s1"}, {"id": "s2"}], "targets": [{"id": "t1"}, {"id": "t2"}],
         "choices": []},
    ]
    answers = [[0, [3]], [1, [1, 0, 1]], [2, [1]], [3, [3, 1, 2]], [4, [2, 1]]]
    proc = subprocess.run([node(), "-e", ANSWER_SCRIPT, str(COMPLETION_JS)],
                          input=json.dumps({"questions": questions, "answers": answers}),
                          capture_output=True, text=True, timeout=60, check=True)
    got = json.loads(proc.stdout)
    assert [(r["type"], r["response"], r["correct"], r["result"]) for r in got] == [
        ("choice", ["c"], ["b"], "incorrect"),
        ("choice", ["a", "c"], ["a", "c"], "correct"),
        ("true-false", ["true"], ["false"], "incorrect"),
        ("sequencing", ["z", "x", "y"], ["x", "y", "z"], "incorrect"),
        ("matching", ["s1.t2", "s2.t1"], ["s1.t2", "s2.t1"], "correct"),
    ]
    assert [r["objective"] for r in got] == ["o1", "", "o2", "o1", "o1"]
    assert all(r["kind"] == "question" and r["description"] == "prompt" for r in got)
