"""The course as xAPI activities: stable IRIs and definitions, built with the `tincan` library.

Every IRI is ``course.xapi_base`` plus the author's stable ids, never a title, position or
version: LRS reports group statements by activity id, so an id that changed between versions
would split a course's history in two (see ../shared/reference/xapi.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from tincan import (
    Activity,
    ActivityDefinition,
    InteractionComponent,
    InteractionComponentList,
    LanguageMap,
)

from scormbuild.problems import Problem, ProblemsFound
from scormbuild.render.course_json import RenderedCourse
from scormbuild.source.model import Choice, Course, Question
from scormbuild.xapi.vocabulary import (
    INTERACTION_TYPES,
    LIST_SEPARATOR,
    PAIR_SEPARATOR,
    TYPE_ASSESSMENT,
    TYPE_COURSE,
    TYPE_INTERACTION,
    TYPE_LESSON,
    TYPE_MODULE,
    TYPE_SURVEY,
    Iris,
)

# Names longer than this are shortened (the full text stays in the description): LRS report
# tables show the name in one cell.
NAME_LIMIT = 120

Kind = Literal["course", "module", "page", "assessment", "question", "evaluation",
               "evaluation-item"]


def missing_base_problem(course: Course, target: str = "xapi") -> Problem:
    mark = course.mark
    return Problem(
        str(mark.path), mark.line, mark.col,
        f"the {target} target needs a base IRI for the course's xAPI activity ids: add "
        "xapi_base: https://... to course.yaml (an address your organisation controls, e.g. "
        f"https://courses.example.org/{course.id}; never change it once learners have used "
        "the course)",
    )


@dataclass
class CourseActivity:
    """One activity plus what reports need beside its xAPI definition."""

    kind: Kind
    source_id: str  # the author's id in the course source
    activity: Activity
    parent: str | None  # IRI of the activity it belongs to (statements' context parent)
    objective: str = ""  # questions and survey items: the objective id they measure

    @property
    def iri(self) -> str:
        return str(self.activity.id)

    @property
    def definition(self) -> dict[str, Any]:
        data: dict[str, Any] = self.activity.definition.as_version()
        return data


@dataclass
class CourseActivities:
    course: Course
    iris: Iris
    activities: list[CourseActivity]

    def __iter__(self) -> Iterator[CourseActivity]:
        return iter(self.activities)

    def __len__(self) -> int:
        return len(self.activities)

    def get(self, kind: Kind, source_id: str) -> CourseActivity:
        for item in self.activities:
            if item.kind == kind and item.source_id == source_id:
                return item
        raise KeyError(f"no {kind} activity with id {source_id!r}")

    def by_iri(self, iri: str) -> CourseActivity:
        for item in self.activities:
            if item.iri == iri:
                return item
        raise KeyError(iri)

    @property
    def root(self) -> CourseActivity:
        return self.activities[0]

    def as_json(self) -> dict[str, Any]:
        """The document ``scormbuild xapi activities`` prints (for LRS admins, CE providers)."""
        c = self.course
        return {
            "course": c.id,
            "version": c.version,
            "language": c.language,
            "xapi_base": self.iris.base,
            "activities": [
                {
                    "kind": a.kind,
                    "source_id": a.source_id,
                    "id": a.iri,
                    "parent": a.parent,
                    **({"objective": a.objective} if a.objective else {}),
                    "definition": a.definition,
                }
                for a in self.activities
            ],
        }


def plain_text(rendered_html: str) -> str:
    """Text of trusted HTML rendered by scormbuild: definitions are plain strings, not HTML."""
    text = re.sub(r"<[^>]+>", " ", rendered_html)
    return " ".join(html.unescape(text).split())


def short_name(text: str, limit: int = NAME_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "\u2026"


class _Builder:
    def __init__(self, course: Course, rendered: RenderedCourse):
        self.course = course
        self.lang = course.language or "und"
        self.iris = Iris(course.xapi_base)
        data = rendered.data
        # Prompts and choices are Markdown in the model; the rendered course has them as HTML
        # with citations resolved, which plain_text turns into what the learner read.
        self.questions: dict[str, dict[str, Any]] = {
            q["id"]: q for m in data["modules"] for q in m["knowledge_check"]}
        if data.get("assessment"):
            self.questions.update({q["id"]: q for q in data["assessment"]["questions"]})
        self.items: dict[str, dict[str, Any]] = {}
        if data.get("evaluation"):
            self.items = {i["id"]: i for i in data["evaluation"]["items"]}
        self.assessment_text = plain_text((data.get("assessment") or {})
                                          .get("instructions_html", ""))
        self.evaluation_text = plain_text((data.get("evaluation") or {})
                                          .get("instructions_html", ""))

    def lang_map(self, text: str) -> LanguageMap:
        return LanguageMap({self.lang: text})

    def definition(self, activity_type: str, name: str, description: str,
                   **interaction: Any) -> ActivityDefinition:
        return ActivityDefinition(
            type=activity_type,
            name=self.lang_map(short_name(name)),
            # An empty description is allowed by xAPI but shows as a blank in LRS reports.
            description=self.lang_map(description or name),
            **interaction,
        )

    def components(self, items: list[tuple[str, str]]) -> InteractionComponentList:
        return InteractionComponentList(
            [InteractionComponent(id=cid, description=self.lang_map(text)) for cid, text in items]
        )

    def choice_texts(self, rendered: list[dict[str, Any]], source: list[Choice]
                     ) -> list[tuple[str, str]]:
        texts = {c["id"]: plain_text(c["html"]) for c in rendered}
        return [(c.id, texts.get(c.id) or c.text) for c in source]

    def question(self, q: Question) -> ActivityDefinition:
        rendered = self.questions.get(q.id, {})
        prompt = plain_text(rendered.get("prompt_html", "")) or q.prompt
        interaction_type = INTERACTION_TYPES[q.type]
        extra: dict[str, Any] = {"interaction_type": interaction_type}
        if q.type == "matching":
            extra["source"] = self.components(
                self.choice_texts(rendered.get("sources", []), q.sources))
            extra["target"] = self.components(
                self.choice_texts(rendered.get("targets", []), q.targets))
            # The model keeps pairs as "source.target"; ids cannot contain "." ([a-z0-9-]+).
            pairs = [pair.replace(".", PAIR_SEPARATOR, 1) for pair in q.correct]
            extra["correct_responses_pattern"] = [LIST_SEPARATOR.join(pairs)]
        elif q.type == "true-false":
            # true-false carries no component list; the pattern is the literal "true"/"false".
            extra["correct_responses_pattern"] = [q.correct[0]]
        else:
            extra["choices"] = self.components(
                self.choice_texts(rendered.get("choices", []), q.choices))
            # multiple: any order of the same set is correct, but xAPI lists one pattern per
            # accepted response; LRSs compare sets for choice, so one pattern in source order.
            extra["correct_responses_pattern"] = [LIST_SEPARATOR.join(q.correct)]
        return self.definition(TYPE_INTERACTION, prompt, prompt, **extra)

    def build(self) -> list[CourseActivity]:
        c, iris = self.course, self.iris
        objectives = {o.id: o.text for o in c.objectives}

        def objective_text(ids: list[str]) -> str:
            return " ".join(objectives[i] for i in ids if i in objectives)

        out = [CourseActivity("course", c.id, Activity(
            id=iris.course(), definition=self.definition(TYPE_COURSE, c.title, c.description)),
            parent=None)]
        for m in c.modules:
            module_iri = iris.module(m.id)
            out.append(CourseActivity("module", m.id, Activity(
                id=module_iri,
                definition=self.definition(TYPE_MODULE, m.title, objective_text(m.objectives))),
                parent=iris.course()))
            for p in m.pages:
                out.append(CourseActivity("page", p.id, Activity(
                    id=iris.page(p.id),
                    definition=self.definition(TYPE_LESSON, p.title,
                                               objective_text(p.objectives))),
                    parent=module_iri))
            for q in m.knowledge_check:
                out.append(CourseActivity("question", q.id, Activity(
                    id=iris.question(q.id), definition=self.question(q)),
                    parent=module_iri, objective=q.objective))
        if c.assessment:
            a = c.assessment
            assessment_iri = iris.assessment(a.id)
            out.append(CourseActivity("assessment", a.id, Activity(
                id=assessment_iri,
                definition=self.definition(TYPE_ASSESSMENT, a.title, self.assessment_text)),
                parent=iris.course()))
            for q in a.questions:
                out.append(CourseActivity("question", q.id, Activity(
                    id=iris.question(q.id), definition=self.question(q)),
                    parent=assessment_iri, objective=q.objective))
        if c.evaluation:
            e = c.evaluation
            evaluation_iri = iris.evaluation(e.id)
            out.append(CourseActivity("evaluation", e.id, Activity(
                id=evaluation_iri,
                definition=self.definition(TYPE_SURVEY, e.title, self.evaluation_text)),
                parent=iris.course()))
            for item in e.items:
                rendered = self.items.get(item.id, {})
                prompt = plain_text(rendered.get("prompt_html", "")) or item.prompt
                extra: dict[str, Any] = {"interaction_type": INTERACTION_TYPES[item.type]}
                if item.type == "likert":
                    # Scale labels have no ids of their own; their 1-based position is the id
                    # (and the response the player sends), stable while the scale's order is.
                    extra["scale"] = self.components(
                        [(str(n), label) for n, label in enumerate(item.scale, start=1)])
                # No correctResponsesPattern: a survey item has no right answer.
                out.append(CourseActivity("evaluation-item", item.id, Activity(
                    id=iris.evaluation_item(e.id, item.id),
                    definition=self.definition(TYPE_INTERACTION, prompt, prompt, **extra)),
                    parent=evaluation_iri, objective=item.objective))
        return out


def course_activities(course: Course, rendered: RenderedCourse) -> CourseActivities:
    """Every activity of the course, in course order (the course itself first).

    Raises ProblemsFound when the course has no ``xapi_base``: an id made up here (from the
    course id, say) would be one nobody owns and could never change without splitting reports.
    """
    if not course.xapi_base:
        raise ProblemsFound([missing_base_problem(course)])
    return CourseActivities(course, Iris(course.xapi_base), _Builder(course, rendered).build())
