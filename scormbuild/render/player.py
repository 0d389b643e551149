"""Assemble the in-browser player: index.html with the course data inlined, plus JS and CSS.

Placeholder until the player lands: the real implementation replaces this module.
"""

from __future__ import annotations

import json


def render_player(course_data: dict, tracking: str) -> dict[str, bytes]:
    """Return the player's files (path inside the package -> bytes).

    ``course_data`` is the course JSON (see docs/internals.md); ``tracking`` names the
    adapter the package prefers ("scorm12" or "xapi"); the player falls back to standalone.
    """
    data = json.dumps(course_data, sort_keys=True, ensure_ascii=False)
    html = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Course</title></head>"
        f"<body><script type='application/json' id='course-data'>{data}</script></body></html>"
    )
    return {"index.html": html.encode("utf-8")}
