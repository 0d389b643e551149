"""Split the course data into what the first view needs and what loads on demand.

``index.html`` carries the course's STRUCTURE only: ids, titles, counts and everything the
menu, the progress figures, the learner-state codec (state.js) and the trackers read at start.
Page and question content goes into one script per module (``content/m<N>.js``) and one for
the post-test (``content/posttest.js``), which the player loads when a view needs them: a
``<script>`` element loads from ``file://``, where ``fetch`` is blocked. So the first view's
size grows with the number of pages (an id and a title each), not with their text.

A knowledge-check question's shape, all the codec needs of it, is a short code (see
``question_shape``); the post-test keeps its questions' ids, types and keys inline because the
score is computed on every save and on resume, whatever view is showing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTENT_DIR = "content"
POSTTEST_KEY = "posttest"


@dataclass
class PlayerData:
    structure: dict[str, Any]  # inlined in index.html
    content: dict[str, dict[str, Any]] = field(default_factory=dict)  # file key -> content


def module_key(index: int) -> str:
    """The content file key of the module at ``index`` (0-based): m1, m2, ...

    Keys, not module ids, name the files: they are always safe as file names and JS strings.
    """
    return f"m{index + 1}"


def content_path(key: str) -> str:
    return f"{CONTENT_DIR}/{key}.js"


def question_shape(q: dict[str, Any]) -> str:
    """A knowledge-check question's shape for the codec: type letter and counts.

    s<choices> single, m<choices> multiple, t true-false, q<choices> sequencing,
    x<sources>.<targets> matching. player.js expands it back into a question skeleton with
    that many (empty) choices, sources and targets, which is all state.js reads of it.
    """
    kind = q["type"]
    if kind == "true-false":
        return "t"
    if kind == "matching":
        return f"x{len(q['sources'])}.{len(q['targets'])}"
    letter = {"single": "s", "multiple": "m", "sequencing": "q"}[kind]
    return f"{letter}{len(q['choices'])}"


def _skeleton(q: dict[str, Any]) -> dict[str, Any]:
    """A post-test question without its text: enough to score, report and encode it."""
    return {
        "id": q["id"], "type": q["type"], "objective": q["objective"],
        "correct": q["correct"],
        "choices": [{"id": c["id"]} for c in q["choices"]],
        "sources": [{"id": c["id"]} for c in q["sources"]],
        "targets": [{"id": c["id"]} for c in q["targets"]],
    }


def split_course(data: dict[str, Any]) -> PlayerData:
    """The structure for index.html and the content files, from the full course data."""
    structure = {k: v for k, v in data.items() if k not in ("modules", "assessment")}
    content: dict[str, dict[str, Any]] = {}
    modules = []
    for i, m in enumerate(data.get("modules", [])):
        key = module_key(i)
        modules.append({
            "id": m["id"], "title": m["title"], "key": key,
            # [id, title] pairs: the menu and the codec's view list need no more.
            "pages": [[p["id"], p["title"]] for p in m["pages"]],
            "kc": " ".join(question_shape(q) for q in m["knowledge_check"]),
        })
        content[key] = {
            "pages": [{"kind": p["kind"], "html": p["html"]} for p in m["pages"]],
            "questions": m["knowledge_check"],
        }
    structure["modules"] = modules
    a = data.get("assessment")
    if a:
        structure["assessment"] = {
            "id": a["id"], "title": a["title"], "pass_mark": a["pass_mark"],
            "attempts": a["attempts"], "reporting": a["reporting"],
            "questions": [_skeleton(q) for q in a["questions"]],
        }
        content[POSTTEST_KEY] = {"instructions_html": a["instructions_html"],
                                 "questions": a["questions"]}
    else:
        structure["assessment"] = None
    return PlayerData(structure=structure, content=content)
