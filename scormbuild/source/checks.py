"""Rules that span the course: unique ids, references between files, page conventions.

Each rule is a small function taking the course and returning problems, so a rule is
easy to find, test and explain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from scormbuild.problems import Problem
from scormbuild.source.lint import lint_course
from scormbuild.source.model import Course, Mark

CITATION = re.compile(r"\[(@[^\]]+)\]")
REFLECT_BLOCK = re.compile(r"^\s*:::\s*reflect\b", re.MULTILINE)


def _p(mark: Mark, message: str, severity: str = "error") -> Problem:
    return Problem(str(mark.path), mark.line, mark.col, message, severity)  # type: ignore[arg-type]


def _duplicates(kind: str, items: Iterable[tuple[str, Mark]]) -> list[Problem]:
    seen: dict[str, Mark] = {}
    out = []
    for ident, mark in items:
        if not ident:
            continue
        if ident in seen:
            first = seen[ident]
            out.append(_p(mark, f"duplicate {kind} id '{ident}' (first used at "
                                f"{first.path}:{first.line})"))
        else:
            seen[ident] = mark
    return out


def unique_ids(course: Course) -> list[Problem]:
    out = _duplicates("objective", ((o.id, o.mark) for o in course.objectives))
    out += _duplicates("module", ((m.id, m.mark) for m in course.modules))
    out += _duplicates("page", ((p.id, p.mark) for _, p in course.all_pages()))
    questions = [q for m in course.modules for q in m.knowledge_check]
    if course.assessment:
        questions += course.assessment.questions
    out += _duplicates("question", ((q.id, q.mark) for q in questions))
    if course.evaluation:
        out += _duplicates("survey item", ((i.id, i.mark) for i in course.evaluation.items))
    out += _duplicates("reference", ((r.key, r.mark) for r in course.references))
    return out


def objective_references(course: Course) -> list[Problem]:
    known = course.objective_ids()
    listing = ", ".join(sorted(known)) or "none defined in course.yaml"
    out = []

    def check(ident: str, mark: Mark, where: str) -> None:
        if ident and ident not in known:
            out.append(_p(mark, f"{where} names unknown objective '{ident}' (known: {listing})"))

    for module in course.modules:
        for ident in module.objectives:
            check(ident, module.mark, f"module '{module.id}'")
        for page in module.pages:
            for ident in page.objectives:
                check(ident, page.mark, f"page '{page.id}'")
        for q in module.knowledge_check:
            check(q.objective, q.mark, f"question '{q.id}'")
    if course.assessment:
        for q in course.assessment.questions:
            check(q.objective, q.mark, f"question '{q.id}'")
    if course.evaluation:
        for item in course.evaluation.items:
            check(item.objective, item.mark, f"survey item '{item.id}'")
    return out


def objective_coverage(course: Course) -> list[Problem]:
    """Warn about objectives no page teaches or no post-test question tests."""
    taught = {o for _, p in course.all_pages() for o in p.objectives}
    taught |= {o for m in course.modules for o in m.objectives}
    tested = {q.objective for q in course.assessment.questions} if course.assessment else set()
    out = []
    for o in course.objectives:
        if o.id not in taught:
            out.append(_p(o.mark, f"objective '{o.id}' is not listed by any module or page",
                          "warning"))
        if course.assessment and o.id not in tested:
            out.append(_p(o.mark, f"objective '{o.id}' is not tested by any post-test question",
                          "warning"))
    return out


def reflection_blocks(course: Course) -> list[Problem]:
    out = []
    for _, page in course.all_pages():
        if page.kind in ("vignette", "case-study") and not REFLECT_BLOCK.search(page.body):
            out.append(_p(page.mark, f"{page.kind} page '{page.id}' needs a '::: reflect' block "
                                     "with prompts for the learner"))
    return out


def citations(course: Course) -> list[Problem]:
    if course.references_unreadable:
        return []  # references.yaml's own error says it; every citation would repeat it
    known = {r.key for r in course.references}
    out = []
    for _, page in course.all_pages():
        for number, line in enumerate(page.body.splitlines(), start=page.body_line):
            for match in CITATION.finditer(line):
                for part in match.group(1).split(";"):
                    key = part.strip()
                    if not key.startswith("@"):
                        continue
                    key = key[1:].strip()
                    if key not in known:
                        where = Mark(page.mark.path, number, match.start() + 1)
                        hint = ("references.yaml has no such key" if known
                                else "the course has no references.yaml")
                        out.append(_p(where, f"citation '@{key}' names no reference ({hint})"))
        if page.include_references and not course.references:
            out.append(_p(page.mark, f"page '{page.id}' asks for the reference list but the "
                                     "course has no references.yaml"))
    return out


RULES: tuple[Callable[[Course], list[Problem]], ...] = (
    unique_ids,
    objective_references,
    objective_coverage,
    reflection_blocks,
    citations,
    lint_course,  # item-writing warnings (source/lint.py)
)


def check_course(course: Course) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(rule(course))
    return problems
