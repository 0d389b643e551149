"""Reference statements of the shapes the player sends, built with `tincan`, for `xapi ping`
and the tests.

The player (templates/player/tracking/xapi.js) builds the real statements; docs/xapi.md lists
their shapes. These are kept, not deleted, because the tests of the LRS readers (records, item
analysis, seat time) feed them realistic statements from here rather than hand-written JSON
repeating every verb, IRI and extension key; the vocabulary itself is xapi/vocabulary.py, which
the readers use too.
"""

from __future__ import annotations

import uuid
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
    LanguageMap,
    Result,
    Score,
    Statement,
    Verb,
)

from scormbuild.xapi.activities import CourseActivities, CourseActivity
from scormbuild.xapi.vocabulary import (
    EXTENSION_CE,
    EXTENSION_CERTIFICATE,
    EXTENSION_LAUNCH_PARAMETERS,
    TYPE_MEETING,
    verb_iri,
)


def verb(name: str) -> Verb:
    return Verb(id=verb_iri(name), display=LanguageMap({"en-US": name}))


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration as xAPI wants it (``PT1M23.45S``), never SCORM's ``0000:01:23.45``.

    Hours are not folded into days: "PT26H" is unambiguous, while a day is not always 24 hours.
    """
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    secs = f"{rest // 100}.{rest % 100:02d}".rstrip("0").rstrip(".")
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if rest or out == "PT":
        out += f"{secs}S"
    return out


def new_statement_id() -> str:
    """A statement id is made once, when the statement is first queued, and kept through every
    retry: the LRS then refuses a duplicate instead of storing it twice."""
    return str(uuid.uuid4())


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


PING_ACTIVITY = "https://scormbuild.invalid/xapi/ping"


def ping_statement(statement_id: str | None = None) -> Statement:
    """The one statement ``xapi ping`` writes: an unmistakable test actor on a ``.invalid``
    address (RFC 2606), so it never lands on a real learner's record."""
    return Statement(
        id=statement_id or new_statement_id(),
        actor=Agent(name="scormbuild xapi ping", mbox="mailto:xapi-ping@scormbuild.invalid"),
        verb=verb("experienced"),
        object=Activity(id=PING_ACTIVITY, definition=ActivityDefinition(
            name=LanguageMap({"en-US": "scormbuild LRS connection check"}),
            type=TYPE_MEETING)),
        timestamp=datetime.now(timezone.utc),
    )
