"""Worst-case size of the encoded learner state (``cmi.suspend_data``) for a course.

Mirrors the codec in ``templates/player/state.js``: the codec is fixed-width per course (every
field's width comes from the course data alone), so the largest state a course can produce has
exactly the length computed here, and so has every other state. tests/player encodes the
worst-case state built here with the real state.js under node to keep the two in step.
"""

from __future__ import annotations

import math
from typing import Any

HEADER_BITS = 18  # format version (6) + schema hash (12)
SEAT_BITS = 22
SEAT_MAX = 2**SEAT_BITS - 1  # seat time in seconds saturates here (about 1,165 hours)
SEED_BITS = 16
DAY_BITS = 16  # certificate day: days since 1970-01-01 (0 = no certificate yet)
DAY_MAX = 2**DAY_BITS - 1
ATTESTED_BITS = 1
PHASE_BITS = 2  # 0 not started, 1 answering, 2 submitted
PHASE_MAX = 2
UNLIMITED_ATTEMPTS = 255  # attempts: 0 (unlimited) -> the counter saturates at 255


def bits(n: int) -> int:
    """Width in bits able to hold every value 0..n (at least 1)."""
    return max(1, int(n).bit_length())


def view_ids(course_data: dict) -> list[str]:
    """The player's linear sequence of views (the location is an index into it)."""
    ids = ["course:menu"]
    for module in course_data.get("modules", []):
        ids.extend(page["id"] for page in module["pages"])
        if module.get("knowledge_check"):
            ids.append(f"check:{module['id']}")
    if course_data.get("assessment"):
        ids.append(f"posttest:{course_data['assessment']['id']}")
    if course_data.get("evaluation"):
        ids.append(f"evaluation:{course_data['evaluation']['id']}")
    ids.append("course:completion")
    return ids


def _tracked_views(course_data: dict) -> int:
    return sum(
        len(m["pages"]) + (1 if m.get("knowledge_check") else 0)
        for m in course_data.get("modules", [])
    )


def _question_maxima(question: dict) -> list[int]:
    """The largest value of each field of one answer, in encoding order."""
    n = len(question.get("choices", []))
    kind = question["type"]
    if kind == "single":
        return [n]
    if kind == "true-false":
        return [2]
    if kind == "multiple":
        return [1] * n
    if kind == "matching":
        return [len(question["targets"])] * len(question["sources"])
    if kind == "sequencing":
        return [n] * n
    raise ValueError(f"unknown question type {kind!r}")


def _kc_questions(course_data: dict) -> list[dict]:
    return [q for m in course_data.get("modules", []) for q in m.get("knowledge_check", [])]


def _max_attempts(course_data: dict) -> int:
    attempts = int(course_data["assessment"]["attempts"])
    return attempts if attempts > 0 else UNLIMITED_ATTEMPTS


def _likert_maxima(item: dict) -> list[int]:
    # Free-text answers stay out of suspend_data (see docs/automation.md), so they cost nothing.
    return [len(item["scale"])] if item["type"] == "likert" else []


def worst_case_state(course_data: dict) -> dict[str, Any]:
    """The state object with every field at its largest value (same shape as state.js uses).

    Location at the last view, every view visited, every answer field at its maximum, attempts
    used up, post-test submitted, seeds and seat times (total and per module) at their caps,
    evaluation done, attestation given, certificate day at its cap.
    """
    state: dict[str, Any] = {
        "loc": len(view_ids(course_data)) - 1,
        "seat": SEAT_MAX,
        "mseat": [SEAT_MAX] * len(course_data.get("modules", [])),
        "visited": [1] * _tracked_views(course_data),
        "kc": [_question_maxima(q) for q in _kc_questions(course_data)],
        "kcseed": 2**SEED_BITS - 1 if _kc_questions(course_data) else 0,
        "test": None,
        "evaluation": None,
        "cert": {"attested": 1, "day": DAY_MAX},
    }
    assessment = course_data.get("assessment")
    if assessment:
        state["test"] = {
            "attempts": _max_attempts(course_data),
            "phase": PHASE_MAX,
            "seed": 2**SEED_BITS - 1,
            "answers": [_question_maxima(q) for q in assessment["questions"]],
        }
    evaluation = course_data.get("evaluation")
    if evaluation:
        state["evaluation"] = {
            "done": 1,
            "answers": [_likert_maxima(item) for item in evaluation["items"]],
        }
    return state


def state_bits(course_data: dict) -> int:
    """Total bits of the encoded state, header included."""
    total = HEADER_BITS + bits(len(view_ids(course_data)) - 1) + SEAT_BITS
    total += SEAT_BITS * len(course_data.get("modules", []))  # active time per module
    total += _tracked_views(course_data)
    total += sum(bits(v) for q in _kc_questions(course_data) for v in _question_maxima(q))
    if _kc_questions(course_data):
        total += SEED_BITS  # the knowledge-check shuffle seed
    assessment = course_data.get("assessment")
    if assessment:
        total += bits(_max_attempts(course_data)) + PHASE_BITS + SEED_BITS
        total += sum(bits(v) for q in assessment["questions"] for v in _question_maxima(q))
    evaluation = course_data.get("evaluation")
    if evaluation:
        total += 1 + sum(bits(v) for item in evaluation["items"] for v in _likert_maxima(item))
    return total + ATTESTED_BITS + DAY_BITS


def max_suspend_data_length(course_data: dict) -> int:
    """Length in characters of the largest suspend_data the course can produce.

    Six bits per character (base64url alphabet), the last character zero-padded.
    """
    return math.ceil(state_bits(course_data) / 6)
