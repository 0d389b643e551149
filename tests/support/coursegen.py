"""Write synthetic course sources (docs/authoring.md format) for size and state-budget tests.

The generated course is written as an author would write it (YAML + Markdown), so it goes
through the real loader, checks and build, like any course.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

QUESTION_TYPES = ("single", "multiple", "true-false", "matching", "sequencing")


def _question(qid: str, kind: str, objective: str, n: int, knowledge_check: bool) -> dict[str, Any]:
    q: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "objective": objective,
        "prompt": f"Question {qid}?",
        "rationale": f"Why {qid} has this key.",
    }
    ids = [f"c{i}" for i in range(n)]
    if kind in ("single", "multiple", "sequencing"):
        q["choices"] = [{"id": c, "text": f"Choice {c}"} for c in ids]
        if knowledge_check:  # knowledge checks need per-choice feedback (authoring.md)
            for choice in q["choices"]:
                choice["feedback"] = f"About {choice['id']}."
    if kind == "single":
        q["correct"] = ids[1]
    elif kind == "multiple":
        q["correct"] = ids[::2]
    elif kind == "true-false":
        q["correct"] = True
    elif kind == "matching":
        q["sources"] = [{"id": f"s{i}", "text": f"Source {i}"} for i in range(n)]
        q["targets"] = [{"id": f"t{i}", "text": f"Target {i}"} for i in range(n)]
        q["correct"] = {f"s{i}": f"t{(i + 1) % n}" for i in range(n)}
    elif kind == "sequencing":
        q["correct"] = list(reversed(ids))
    return q


def write_course(
    dest: Path,
    *,
    questions: int = 300,
    modules: int = 10,
    pages_per_module: int = 3,
    kc_per_module: int = 5,
    choices: int = 5,
    attempts: int = 0,
    course_id: str = "generated-course",
) -> Path:
    """A course with ``questions`` questions in all: ``kc_per_module`` knowledge-check
    questions per module, the rest in the post-test, cycling through every question type."""
    posttest_count = questions - modules * kc_per_module
    if posttest_count < 1:
        raise ValueError("not enough questions left for the post-test")
    dest.mkdir(parents=True, exist_ok=True)
    objectives = [{"id": f"obj-{i}", "text": f"Explain topic {i}."} for i in range(3)]
    module_dirs = [f"m{m:02d}" for m in range(modules)]
    course = {
        "id": course_id,
        "title": f"Generated course with {questions} questions",
        "version": "1.0.0",
        "language": "en-US",
        "description": "A synthetic course for state-size tests.",
        "authors": [{"name": "Test Author", "credentials": "PhD"}],
        "objectives": objectives,
        "assessment": {"pass_mark": 80, "attempts": attempts, "reporting": "passed-incomplete"},
        "modules": module_dirs,
    }
    (dest / "course.yaml").write_text(yaml.safe_dump(course, sort_keys=False), encoding="utf-8")
    for m, folder in enumerate(module_dirs):
        mdir = dest / "modules" / folder
        mdir.mkdir(parents=True, exist_ok=True)
        pages = []
        for p in range(pages_per_module):
            name = f"page-{p}.md"
            pages.append(name)
            (mdir / name).write_text(
                f"---\nid: m{m}-p{p}\ntitle: Page {p} of module {m}\nkind: content\n---\n"
                f"Some text for page {p} of module {m}.\n",
                encoding="utf-8",
            )
        kc = [
            _question(
                f"kc-{m}-{k}",
                QUESTION_TYPES[(m + k) % 2],  # single / multiple: both carry per-choice feedback
                objectives[k % 3]["id"],
                choices,
                knowledge_check=True,
            )
            for k in range(kc_per_module)
        ]
        module: dict[str, Any] = {
            "id": f"m{m}",
            "title": f"Module {m}",
            "objectives": [o["id"] for o in objectives],
            "pages": pages,
        }
        if kc:
            module["knowledge_check"] = kc
        (mdir / "module.yaml").write_text(yaml.safe_dump(module, sort_keys=False), encoding="utf-8")
    posttest = {
        "id": "post-test",
        "title": "Post-test",
        "instructions": "Answer every question.",
        "questions": [
            _question(
                f"pt-{i}",
                QUESTION_TYPES[i % len(QUESTION_TYPES)],
                objectives[i % 3]["id"],
                choices,
                knowledge_check=False,
            )
            for i in range(posttest_count)
        ],
    }
    (dest / "posttest.yaml").write_text(yaml.safe_dump(posttest, sort_keys=False), encoding="utf-8")
    evaluation = {
        "id": "evaluation",
        "title": "Course evaluation",
        "instructions": "Tell us.",
        "scales": {"agreement": ["Disagree", "Neutral", "Agree"]},
        "items": [
            {"id": f"eval-{i}", "type": "likert", "prompt": f"Item {i}.", "scale": "agreement"}
            for i in range(5)
        ]
        + [{"id": "eval-text", "type": "text", "prompt": "Comments?", "required": False}],
    }
    (dest / "evaluation.yaml").write_text(
        yaml.safe_dump(evaluation, sort_keys=False), encoding="utf-8"
    )
    return dest


def edited_course(src: Path, dest: Path, **changes: str) -> Path:
    """A copy of the course ``src`` in ``dest`` with keys of its course.yaml replaced (the
    first line setting each, top-level or in ``assessment``)."""
    shutil.copytree(src, dest)
    path = dest / "course.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in changes.items():
        text, n = re.subn(rf"(?m)^(\s*{key}:\s*)\S+", rf"\g<1>{value}", text, count=1)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")
    # Each edit must have landed where the loader reads it.
    loaded = yaml.safe_load(text)
    for key, value in changes.items():
        assert str(loaded[key] if key in loaded else loaded["assessment"][key]) == value, key
    return dest
