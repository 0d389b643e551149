"""Hand-made course data dicts (the docs/internals.md contract) for the player tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def _choice(cid: str, html: str, feedback: str = "") -> dict[str, str]:
    return {"id": cid, "html": html, "feedback_html": feedback}


def _tf(qid: str, objective: str, prompt: str, correct: str, kc: bool) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "true-false",
        "objective": objective,
        "prompt_html": f"<p>{prompt}</p>",
        "choices": [
            _choice("true", "True", "<p>About true.</p>" if kc else ""),
            _choice("false", "False", "<p>About false.</p>" if kc else ""),
        ],
        "sources": [],
        "targets": [],
        "correct": [correct],
        "rationale_html": "<p>Because.</p>" if kc else "",
    }


def sample_course() -> dict[str, Any]:
    """A small course using every question type, page kind and survey item type."""
    single = {
        "id": "kc-kinds",
        "type": "single",
        "objective": "obj-kinds",
        "prompt_html": "<p>How many kinds of widget are there?</p>",
        "choices": [
            _choice("two", "Two", "<p>No: sprockets are widgets too.</p>"),
            _choice("three", "Three", "<p>Yes: gears, cogs and sprockets.</p>"),
            _choice("four", "Four", "<p>No: there are three.</p>"),
        ],
        "sources": [],
        "targets": [],
        "correct": ["three"],
        "rationale_html": "<p>Gears, cogs and sprockets.</p>",
    }
    multiple = {
        "id": "pt-multi",
        "type": "multiple",
        "objective": "obj-kinds",
        "prompt_html": "<p>Which are widgets?</p>",
        "choices": [
            _choice("gear", "Gear"),
            _choice("cog", "Cog"),
            _choice("spoon", "Spoon"),
            _choice("sprocket", "Sprocket"),
        ],
        "sources": [],
        "targets": [],
        "correct": ["gear", "cog", "sprocket"],
        "rationale_html": "",
    }
    matching = {
        "id": "pt-match",
        "type": "matching",
        "objective": "obj-use",
        "prompt_html": "<p>Match each widget to its use.</p>",
        "choices": [],
        "sources": [
            {"id": "gear", "html": "Gear"},
            {"id": "cog", "html": "Cog"},
            {"id": "sprocket", "html": "Sprocket"},
        ],
        "targets": [
            {"id": "turn", "html": "Turning"},
            {"id": "hold", "html": "Holding"},
            {"id": "chain", "html": "Driving a chain"},
        ],
        "correct": ["gear.turn", "cog.hold", "sprocket.chain"],
        "rationale_html": "",
    }
    sequencing = {
        "id": "pt-order",
        "type": "sequencing",
        "objective": "obj-use",
        "prompt_html": "<p>Put the steps in order.</p>",
        "choices": [
            _choice("oil", "Oil it"),
            _choice("open", "Open the case"),
            _choice("close", "Close the case"),
        ],
        "sources": [],
        "targets": [],
        "correct": ["open", "oil", "close"],
        "rationale_html": "",
    }
    pt_single = dict(single, id="pt-kinds", rationale_html="")
    pt_single["choices"] = [dict(c, feedback_html="") for c in single["choices"]]
    return {
        "format": 1,
        "id": "widgets",
        "title": "An Introduction to Widgets",
        "version": "1.0.0",
        "language": "en-US",
        "objectives": [
            {"id": "obj-kinds", "text": "Identify the three kinds of widget."},
            {"id": "obj-use", "text": "Describe what each widget is used for."},
        ],
        "authors": [{"name": "Dr. Ada Example", "credentials": "PhD", "role": "author"}],
        "ce": {
            "hours": 1.0,
            "format": "Self-paced reading",
            "level": "beginning",
            "credit_type": "CE hours",
            "course_number": "WID-101",
            "provider": {"name": "Example CE Provider", "contact": "ce@example.org"},
            "approvals": [
                {
                    "body": "ASWB ACE",
                    "statement": "Approved <for> & by ACE.",
                    "provider_number": "1234",
                    "period": "2026-2029",
                }
            ],
        },
        "modules": [
            {
                "id": "basics",
                "title": "Widget basics",
                "pages": [
                    {
                        "id": "intro",
                        "title": "What is a widget?",
                        "kind": "content",
                        "html": "<h2>Widgets</h2><p>Widgets come in three kinds "
                        '<cite class="sb-cite">(Smith, 2020)</cite>.</p>'
                        '<aside class="sb-note"><p>A note.</p></aside>',
                    },
                    {
                        "id": "vignette-ana",
                        "title": "Ana's workshop",
                        "kind": "vignette",
                        "html": "<p>Ana opens her workshop.</p>"
                        '<aside class="sb-reflect" aria-label="Reflect"><ul><li>What first?</li>'
                        "</ul></aside>",
                    },
                ],
                "knowledge_check": [
                    single,
                    _tf("kc-tf", "obj-kinds", "Cogs are widgets.", "true", True),
                ],
            },
            {
                "id": "using",
                "title": "Using widgets",
                "pages": [
                    {
                        "id": "case-ben",
                        "title": "Ben's factory",
                        "kind": "case-study",
                        "html": "<p>Ben runs a factory.</p>"
                        '<aside class="sb-reflect" aria-label="Reflect"><p>Why?</p></aside>'
                        '<details class="sb-model-response"><summary>Show a model response'
                        "</summary><p>Because.</p></details>"
                        '<section class="sb-tool"><h3>Checklist</h3><p>Step 1.</p></section>',
                    }
                ],
                "knowledge_check": [],
            },
        ],
        "assessment": {
            "id": "post-test",
            "title": "Post-test",
            "instructions_html": "<p>Answer every question. You need 80% to pass.</p>",
            "pass_mark": 80,
            "attempts": 2,
            "reporting": "passed-incomplete",
            "questions": [
                pt_single,
                _tf("pt-tf", "obj-kinds", "Sprockets are widgets.", "true", False),
                multiple,
                matching,
                sequencing,
            ],
        },
        "evaluation": {
            "id": "evaluation",
            "title": "Course evaluation",
            "instructions_html": "<p>Your answers help us improve.</p>",
            "items": [
                {
                    "id": "eval-kinds",
                    "type": "likert",
                    "prompt_html": "<p>I can identify the three kinds of widget.</p>",
                    "scale": [
                        "Strongly disagree",
                        "Disagree",
                        "Neutral",
                        "Agree",
                        "Strongly agree",
                    ],
                    "required": True,
                    "objective": "obj-kinds",
                },
                {
                    "id": "eval-comments",
                    "type": "text",
                    "prompt_html": "<p>Any other comments?</p>",
                    "scale": [],
                    "required": False,
                    "objective": "",
                },
            ],
        },
    }


def big_course(questions: int = 300) -> dict[str, Any]:
    """A synthetic course with ``questions`` questions: 4-choice single post-test items, plus a
    knowledge check of 5 questions in each of 10 modules (of 5 pages each)."""
    course = sample_course()
    modules = []
    for m in range(10):
        pages = [
            {"id": f"m{m}-p{p}", "title": f"Page {p}", "kind": "content", "html": "<p>x</p>"}
            for p in range(5)
        ]
        kc = []
        for k in range(5):
            q = {
                "id": f"kc-{m}-{k}",
                "type": "single",
                "objective": "obj-kinds",
                "prompt_html": "<p>?</p>",
                "choices": [_choice(f"c{i}", f"C{i}", "<p>f</p>") for i in range(4)],
                "sources": [],
                "targets": [],
                "correct": ["c0"],
                "rationale_html": "<p>r</p>",
            }
            kc.append(q)
        modules.append(
            {"id": f"m{m}", "title": f"Module {m}", "pages": pages, "knowledge_check": kc}
        )
    course["modules"] = modules
    pt = []
    for i in range(questions - 50):
        pt.append(
            {
                "id": f"pt-{i}",
                "type": "single",
                "objective": "obj-kinds",
                "prompt_html": f"<p>Question {i}?</p>",
                "choices": [_choice(f"c{j}", f"Choice {j}") for j in range(4)],
                "sources": [],
                "targets": [],
                "correct": ["c1"],
                "rationale_html": "",
            }
        )
    course["assessment"]["questions"] = pt
    course["assessment"]["attempts"] = 0
    return course


@pytest.fixture
def course() -> dict[str, Any]:
    return sample_course()


@pytest.fixture
def make_big_course() -> Callable[..., dict[str, Any]]:
    return big_course
