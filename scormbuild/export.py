"""Documents for CE approvers: the answer key and the whole course text.

Approvers (NBCC, NASW, ASWB ACE) ask for the post-test with its key and rationales, and
for the full course text to check the hours; both come from the same compiled course as
the packages, so they cannot drift from what learners see.
"""

from __future__ import annotations

import base64
import csv
import io
import mimetypes
import re
import string

from jinja2 import Environment, FileSystemLoader, select_autoescape

from scormbuild.render.course_json import RenderedCourse
from scormbuild.resources import templates_dir
from scormbuild.source.model import Course, Question

LETTERS = string.ascii_uppercase + string.digits  # A-Z then 0-9: at most 36 choices


def _key_text(q: Question) -> str:
    """The correct answer in words, as an approver reads it."""
    if q.type == "matching":
        sources = {c.id: c.text for c in q.sources}
        targets = {c.id: c.text for c in q.targets}
        return "; ".join(f"{sources[s]} -> {targets[t]}"
                         for s, t in (pair.split(".", 1) for pair in q.correct))
    by_id = {c.id: (LETTERS[i], c.text) for i, c in enumerate(q.choices)}
    if q.type == "true-false":
        return by_id[q.correct[0]][1] if q.correct else ""
    joiner = " then " if q.type == "sequencing" else "; "
    return joiner.join(f"{by_id[c][0]}. {by_id[c][1]}" for c in q.correct)


def _waiver_text(q: Question) -> str:
    """The item-writing rules the author waived on purpose, and why (for the approver)."""
    if q.waiver is None or not q.waiver.rules:
        return ""
    return f"{', '.join(q.waiver.rules)}: {q.waiver.reason}"


def _rows(course: Course) -> list[dict[str, str]]:
    objectives = {o.id: o.text for o in course.objectives}
    rows = []
    sections: list[tuple[str, list[Question]]] = []
    if course.assessment:
        sections.append(("Post-test", course.assessment.questions))
    sections += [(f"Knowledge check: {m.title}", m.knowledge_check) for m in course.modules
                 if m.knowledge_check]
    for section, questions in sections:
        for number, q in enumerate(questions, start=1):
            if q.type == "matching":
                options = " | ".join([f"{c.text}" for c in q.sources]) + " || " + " | ".join(
                    c.text for c in q.targets)
            elif q.type == "true-false":
                options = "True | False"
            else:
                options = " | ".join(f"{LETTERS[i]}. {c.text}" for i, c in enumerate(q.choices))
            rows.append({
                "section": section, "number": str(number), "id": q.id, "type": q.type,
                "objective": q.objective, "objective_text": objectives.get(q.objective, ""),
                "prompt": q.prompt, "options": options, "key": _key_text(q),
                "rationale": q.rationale, "item_writing_waiver": _waiver_text(q),
            })
    return rows


def answer_key_csv(course: Course) -> str:
    rows = _rows(course)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def answer_key_markdown(course: Course) -> str:
    lines = [f"# Answer key: {course.title}", "",
             f"Course `{course.id}`, version {course.version}."]
    if course.assessment:
        p = course.assessment.policy
        lines.append(f"Post-test: {len(course.assessment.questions)} questions, pass mark "
                     f"{p.pass_mark}%, attempts {p.attempts or 'unlimited'}.")
    section = None
    for row in _rows(course):
        if row["section"] != section:
            section = row["section"]
            lines += ["", f"## {section}"]
        lines += [
            "", f"### {row['number']}. {row['prompt']}",
            f"*{row['type']}; id `{row['id']}`; objective `{row['objective']}`: "
            f"{row['objective_text']}*", "",
        ]
        lines += [f"- {option.strip()}" for option in row["options"].split(" | ")]
        lines += ["", f"**Key:** {row['key']}", "", f"**Rationale:** {row['rationale']}"]
        if row["item_writing_waiver"]:
            lines += ["", f"**Item-writing check waived:** {row['item_writing_waiver']}"]
    return "\n".join(lines) + "\n"


def course_text_html(course: Course, rendered: RenderedCourse) -> str:
    env = Environment(loader=FileSystemLoader(str(templates_dir() / "export")),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    modules = []
    data_modules = {m["id"]: m for m in rendered.data["modules"]}
    for m in course.modules:
        modules.append({
            "id": m.id, "title": m.title, "pages": data_modules[m.id]["pages"],
            "words": sum(rendered.page_words[p.id] for p in m.pages),
            "questions": data_modules[m.id]["knowledge_check"],
        })
    html = env.get_template("course-text.html.j2").render(
        course=rendered.data, modules=modules, total_words=sum(rendered.page_words.values()),
        key={row["id"]: row["key"] for row in _rows(course)},
        rationale={row["id"]: row["rationale"] for row in _rows(course)},
    )
    return _inline_images(html, rendered)


def _inline_images(html: str, rendered: RenderedCourse) -> str:
    """Embed images so the one HTML file prints complete wherever it is saved."""

    def data_uri(match: re.Match[str]) -> str:
        source = rendered.assets.get(match.group(1))
        if source is None:
            return match.group(0)
        mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(source.read_bytes()).decode("ascii")
        return f'src="data:{mime};base64,{encoded}"'

    return re.sub(r'src="(assets/[^"]+)"', data_uri, html)
