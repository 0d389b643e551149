"""What `xapi ping` sends, built with `tincan`, and the xAPI duration format.

The player (templates/player/tracking/xapi.js) builds the course's statements; docs/xapi.md
lists their shapes. The readers' tests build statements of those shapes with
tests/support/statements.py (test code, not shipped).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tincan import Activity, ActivityDefinition, Agent, LanguageMap, Statement, Verb

from scormbuild.xapi.vocabulary import TYPE_MEETING, verb_iri


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
