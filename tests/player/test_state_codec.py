"""The learner-state codec (templates/player/state.js) and its build-time budget
(scormbuild/state_budget.py) agree: shared test vectors run through the real state.js."""

from __future__ import annotations

import json
import random
import subprocess
from typing import Any

from support.env import node

from scormbuild.resources import templates_dir
from scormbuild.scorm12.spec import SUSPEND_DATA_LIMIT
from scormbuild.state_budget import (
    bits,
    max_suspend_data_length,
    view_ids,
    worst_case_state,
)

STATE_JS = templates_dir() / "player" / "state.js"

# Reads {"course": ..., "states": [...]} on stdin; prints, per state, the encoded string and
# the decoded state, plus the codec's own idea of the encoded length and of the views.
NODE_SCRIPT = """
const S = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const c = input.course;
const out = {
  length: S.encodedLength(c),
  views: S.views(c).map(v => v.id),
  empty: S.empty(c),
  results: input.states.map(s => {
    const e = S.encode(c, s);
    return {encoded: e, decoded: S.decode(c, e)};
  }),
  foreign: input.foreign.map(e => S.decode(c, e)),
};
process.stdout.write(JSON.stringify(out));
"""




def run_codec(
    course: dict[str, Any], states: list[dict[str, Any]], foreign: list[str] | None = None
) -> dict[str, Any]:
    proc = subprocess.run(
        [node(), "-e", NODE_SCRIPT, str(STATE_JS)],
        input=json.dumps({"course": course, "states": states, "foreign": foreign or []}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def random_state(course: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A valid state with every field at a random value within its range."""
    worst = worst_case_state(course)

    def rand(v: Any) -> Any:
        if isinstance(v, list):
            return [rand(x) for x in v]
        if isinstance(v, dict):
            return {k: rand(x) for k, x in v.items()}
        if v is None:
            return None
        return rng.randint(0, v)

    return rand(worst)


def test_bits() -> None:
    assert [bits(n) for n in (0, 1, 2, 3, 4, 7, 8, 36, 255)] == [1, 1, 2, 2, 3, 3, 4, 6, 8]


def test_worst_case_matches_the_real_codec(course: dict[str, Any]) -> None:
    worst = worst_case_state(course)
    out = run_codec(course, [worst])
    encoded = out["results"][0]["encoded"]
    assert len(encoded) == max_suspend_data_length(course) == out["length"]
    assert out["results"][0]["decoded"] == worst
    # Not raw JSON: only the base64url alphabet.
    assert set(encoded) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_views_and_empty_state_agree(course: dict[str, Any]) -> None:
    out = run_codec(course, [])
    assert out["views"] == view_ids(course)
    # The empty state has the same shape as the worst case (same fields, all zero).
    worst = worst_case_state(course)
    assert json.dumps(out["empty"], sort_keys=True) == json.dumps(_zeroed(worst), sort_keys=True)


def _zeroed(v: Any) -> Any:
    if isinstance(v, list):
        return [_zeroed(x) for x in v]
    if isinstance(v, dict):
        return {k: _zeroed(x) for k, x in v.items()}
    return None if v is None else 0


def test_random_states_round_trip_at_the_predicted_length(course: dict[str, Any]) -> None:
    rng = random.Random(1234)
    states = [random_state(course, rng) for _ in range(50)]
    out = run_codec(course, states)
    for state, result in zip(states, out["results"], strict=True):
        assert result["decoded"] == state
        # Fixed-width codec: every state of a course has the worst-case length.
        assert len(result["encoded"]) == max_suspend_data_length(course)


def test_state_of_another_course_is_rejected(course: dict[str, Any]) -> None:
    other = json.loads(json.dumps(course))
    other["modules"][0]["pages"].append(
        {"id": "extra", "title": "Extra", "kind": "content", "html": "<p>x</p>"}
    )
    encoded_other = run_codec(other, [worst_case_state(other)])["results"][0]["encoded"]
    out = run_codec(course, [], foreign=[encoded_other, "", "!!!!", "A" * 5000])
    assert out["foreign"] == [None, None, None, None]


def test_course_without_assessment_or_evaluation() -> None:
    from tests.player.conftest import sample_course

    c = sample_course()
    c["assessment"] = None
    c["evaluation"] = None
    worst = worst_case_state(c)
    assert worst["test"] is None and worst["evaluation"] is None
    out = run_codec(c, [worst])
    assert out["results"][0]["decoded"] == worst
    assert len(out["results"][0]["encoded"]) == max_suspend_data_length(c)


def test_300_question_course_fits(make_big_course: Any) -> None:
    big = make_big_course(300)
    total = sum(len(m["knowledge_check"]) for m in big["modules"]) + len(
        big["assessment"]["questions"]
    )
    assert total == 300
    worst = worst_case_state(big)
    out = run_codec(big, [worst])
    length = len(out["results"][0]["encoded"])
    assert length == max_suspend_data_length(big)
    assert out["results"][0]["decoded"] == worst
    assert length <= SUSPEND_DATA_LIMIT
    print(f"300-question course: worst-case suspend_data {length} characters")


def test_every_question_type_at_its_largest_agrees() -> None:
    """36 choices / sources everywhere (the authoring maximum), all five types mixed."""
    from tests.player.conftest import big_course

    c = big_course(300)
    kinds = ["single", "multiple", "true-false", "matching", "sequencing"]
    for i, q in enumerate(c["assessment"]["questions"]):
        kind = kinds[i % len(kinds)]
        q["type"] = kind
        ids = [f"c{j}" for j in range(36)]
        if kind == "true-false":
            q["choices"] = [
                {"id": "true", "html": "True", "feedback_html": ""},
                {"id": "false", "html": "False", "feedback_html": ""},
            ]
            q["correct"] = ["true"]
        elif kind == "matching":
            q["choices"] = []
            q["sources"] = [{"id": f"s{j}", "html": "s"} for j in range(36)]
            q["targets"] = [{"id": f"t{j}", "html": "t"} for j in range(36)]
            q["correct"] = [f"s{j}.t{j}" for j in range(36)]
        else:
            q["choices"] = [{"id": x, "html": x, "feedback_html": ""} for x in ids]
            q["correct"] = ids if kind == "sequencing" else ids[:1]
    worst = worst_case_state(c)
    out = run_codec(c, [worst])
    assert out["results"][0]["decoded"] == worst
    assert len(out["results"][0]["encoded"]) == max_suspend_data_length(c)
