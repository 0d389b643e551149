"""Statements of the shapes the player sends (docs/xapi.md), built with `tincan`, for the
tests of the LRS readers (records, item analysis, seat time, checks): realistic input without
hand-written JSON repeating every verb, IRI and extension key. Test code: the package ships only
the player's statements (tracking/xapi.js), with names from scormbuild/xapi/vocabulary.py,
which this uses too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tincan import (
    Activity,
    ActivityDefinition,
    ActivityList,
    Agent,
    Context,
    ContextActivities,
    Extensions,
    Result,
    Score,
    Statement,
)

from scormbuild.xapi.activities import CourseActivities, CourseActivity
from scormbuild.xapi.statements import iso_duration, new_statement_id, verb
from scormbuild.xapi.vocabulary import (
    EXTENSION_CE,
    EXTENSION_CERTIFICATE,
    EXTENSION_LAUNCH_PARAMETERS,
)


@dataclass
class StatementBuilder:
    """Statements of one attempt: one actor, one registration, the course's activities."""

    activities: CourseActivities
    actor: Agent
    registration: str
    # Unknown launch-URL parameters, echoed back as the launch convention asks.
    launch_extras: dict[str, str] = field(default_factory=dict)
    now: datetime | None = None  # fixed timestamps for reproducible tests

    def _context(self, activity: CourseActivity, extensions: dict[str, Any] | None = None
                 ) -> Context:
        root = self.activities.root
        lists: dict[str, ActivityList] = {}
        if activity.parent:
            lists["parent"] = ActivityList([Activity(id=activity.parent)])
        if activity.parent and activity.parent != root.iri:
            # grouping = the course, so an LRS can gather every statement of the course
            # even from a question two levels down (the course is already the parent above).
            lists["grouping"] = ActivityList([Activity(id=root.iri)])
        ext = dict(extensions or {})
        if self.launch_extras:
            ext[self.activities.iris.extension(EXTENSION_LAUNCH_PARAMETERS)] = dict(
                sorted(self.launch_extras.items()))
        return Context(
            registration=self.registration,
            language=self.activities.course.language,
            context_activities=ContextActivities(**lists) if lists else None,
            extensions=Extensions(ext) if ext else None,
        )

    def statement(self, verb_name: str, activity: CourseActivity,
                  result: Result | None = None,
                  context_extensions: dict[str, Any] | None = None) -> Statement:
        return Statement(
            id=new_statement_id(),
            actor=self.actor,
            verb=verb(verb_name),
            object=Activity(id=activity.iri,
                            definition=ActivityDefinition(activity.activity.definition)),
            result=result,
            context=self._context(activity, context_extensions),
            timestamp=(self.now or datetime.now(timezone.utc)),
        )

    # The statements the player sends, in the order a learner causes them.
    def launched(self) -> Statement:
        return self.statement("launched", self.activities.root)

    def initialized(self) -> Statement:
        return self.statement("initialized", self.activities.root)

    def experienced(self, page_id: str, seconds: float) -> Statement:
        return self.statement("experienced", self.activities.get("page", page_id),
                              Result(duration=iso_duration(seconds)))

    def answered(self, question_id: str, response: str, success: bool | None,
                 seconds: float) -> Statement:
        """``response`` uses the correctResponsesPattern syntax (``a[,]b``, ``s[.]t``)."""
        return self.statement(
            "answered", self.activities.get("question", question_id),
            Result(response=response, success=success, duration=iso_duration(seconds)))

    def answered_survey(self, item_id: str, response: str, seconds: float) -> Statement:
        return self.statement(
            "answered", self.activities.get("evaluation-item", item_id),
            Result(response=response, duration=iso_duration(seconds)))

    def completed_module(self, module_id: str, seconds: float) -> Statement:
        return self.statement("completed", self.activities.get("module", module_id),
                              Result(completion=True, duration=iso_duration(seconds)))

    def assessed(self, correct: int, total: int, pass_mark: int, seconds: float
                 ) -> Statement:
        """passed/failed on the post-test: raw = questions right, scaled = raw / total."""
        a = self.activities.course.assessment
        if a is None or total <= 0:
            raise ValueError("the course has no post-test")
        scaled = round(correct / total, 4)
        success = scaled * 100 >= pass_mark
        return self.statement(
            "passed" if success else "failed", self.activities.get("assessment", a.id),
            Result(score=Score(scaled=scaled, raw=correct, min=0, max=total),
                   success=success, completion=True, duration=iso_duration(seconds)))

    def certificate_extension(self, certificate_id: str, issued: str) -> dict[str, Any]:
        """``{"<base>/extension/certificate": {"id", "issued": "YYYY-MM-DD"}}``."""
        return {self.activities.iris.extension(EXTENSION_CERTIFICATE):
                {"id": certificate_id, "issued": issued}}

    def completed_course(self, seconds: float, success: bool | None = None,
                         certificate: tuple[str, str] | None = None) -> Statement:
        """``certificate`` = (id, issue date): when the certificate is issued with the
        completion, it travels as a result extension of the completion."""
        ce = self.activities.course.ce
        extensions: dict[str, Any] = {}
        if ce is not None:
            # CE facts on the completion, so a CE provider's LRS report can issue credit
            # without a separate catalogue lookup.
            extensions[self.activities.iris.extension(EXTENSION_CE)] = {
                "hours": ce.hours, "credit_type": ce.credit_type,
                "course_number": ce.course_number, "provider": ce.provider.name,
            }
        return self.statement(
            "completed", self.activities.root,
            Result(completion=True, success=success, duration=iso_duration(seconds),
                   extensions=Extensions(self.certificate_extension(*certificate))
                   if certificate else None),
            context_extensions=extensions)

    def earned_certificate(self, certificate_id: str, issued: str) -> Statement:
        """The certificate issued after the course completion was sent (the completion is
        sent once): Tin Can ``earned`` on the course, the same result extension."""
        return self.statement("earned", self.activities.root, Result(
            extensions=Extensions(self.certificate_extension(certificate_id, issued))))

    def terminated(self, seconds: float) -> Statement:
        return self.statement("terminated", self.activities.root,
                              Result(duration=iso_duration(seconds)))
