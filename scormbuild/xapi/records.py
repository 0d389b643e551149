"""``scormbuild xapi records``: one CSV row per learner and registration, for CE providers.

Reads the course's statements from an LRS (``GET statements?activity=<course IRI>
&related_activities=true``, following ``more`` links) and derives each column from the
statements the player sends (docs/xapi.md, "Records for CE providers"). Standard library only.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, timezone
from typing import Any

from scormbuild.xapi.lrs import (
    DEFAULT_TIMEOUT,
    Lrs,
    LrsError,
    answer_excerpt,
    basic_auth,
    normalise_endpoint,
    status_problem,
)
from scormbuild.xapi.proxy import ProxyChoice
from scormbuild.xapi.urls import origin, redact_url
from scormbuild.xapi.vocabulary import (
    ADL_VERBS,
    CMI5_CATEGORY,
    EARNED,
    EXTENSION_CERTIFICATE,
    Iris,
)

# A runaway `more` chain (an LRS that links a page to itself) ends here, not in a hang.
MAX_PAGES = 10_000

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text: Any) -> float | None:
    """Seconds in an xAPI duration (``PT1H2M3.45S``, ``P1DT2H``); None when it is not one."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    d, h, m, s = (float(match.group(k) or 0) for k in "dhms")
    return d * 86400 + h * 3600 + m * 60 + s


def hms(seconds: float) -> str:
    """``HH:MM:SS`` (whole seconds, rounded; hours may exceed 99)."""
    total = round(seconds)
    return f"{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}"


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime (UTC when it has no offset)."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_since(text: str) -> str:
    """``--since``: a date (midnight UTC) or an ISO date-time, as the ISO string the LRS wants."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            day = date.fromisoformat(text.strip())
            return utc(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
        value = parse_time(text)
    except ValueError:
        raise LrsError(f"--since {text!r} is not a date (2026-01-31) or an ISO 8601 date-time "
                       "(2026-01-31T14:00:00Z)") from None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def identifier(actor: dict[str, Any]) -> str:
    """The actor's identifier: mbox (``mailto:...``), mbox_sha1sum, openid, or an account as
    ``<homePage>|<name>``."""
    if not isinstance(actor, dict):
        return ""
    account = actor.get("account")
    if isinstance(account, dict):
        return f"{account.get('homePage', '')}|{account.get('name', '')}"
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(actor.get(key), str):
            return str(actor[key])
    return ""


@dataclass
class Row:
    name: str
    identifier: str
    registration: str
    start: str
    completion: str
    best_score: str
    passed: str
    attempts: int
    seat_time: str
    evaluation_done: str
    certificate_id: str
    certificate_issued: str


HEADER = [f.name for f in fields(Row)]


def _verb(statement: dict[str, Any]) -> str:
    vid = str((statement.get("verb") or {}).get("id", ""))
    if vid == EARNED:
        return "earned"
    return vid[len(ADL_VERBS):] if vid.startswith(ADL_VERBS) else ""


def _object_id(statement: dict[str, Any]) -> str:
    obj = statement.get("object") or {}
    return str(obj.get("id", "")) if isinstance(obj, dict) else ""


def _context_ids(statement: dict[str, Any], key: str) -> set[str]:
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    listed = activities.get(key) if isinstance(activities, dict) else None
    if isinstance(listed, dict):
        listed = [listed]
    return {str(a.get("id")) for a in listed if isinstance(a, dict)} if isinstance(
        listed, list) else set()


def course_object(statement: dict[str, Any], base: str) -> str:
    """The statement's object id, or ``base`` for a cmi5-defined statement about the course's
    cmi5 AU.

    A cmi5 LMS launches the AU under an activity id of its own (never the AU id of cmi5.xml,
    which is ``base``) and puts the AU id in the ``contextActivities.grouping`` of every
    statement (the publisher id, cmi5 section 9.6.2.3); its cmi5-defined statements (launched,
    initialized, completed, passed, terminated) carry the cmi5 category. Such a statement is
    about the course as the Tin Can package's statements on ``base`` are. Any other statement
    on a foreign object stays foreign, whatever its grouping.
    """
    oid = _object_id(statement)
    if oid == base or oid.startswith(base + "/"):
        return oid
    if base in _context_ids(statement, "grouping") and CMI5_CATEGORY in _context_ids(
            statement, "category"):
        return base
    return oid


def _result(statement: dict[str, Any]) -> dict[str, Any]:
    result = statement.get("result")
    return result if isinstance(result, dict) else {}


def _certificate(statement: dict[str, Any], key: str) -> tuple[str, str] | None:
    cert = (_result(statement).get("extensions") or {}).get(key)
    if isinstance(cert, dict) and cert.get("id"):
        return str(cert["id"]), str(cert.get("issued") or "")
    return None


def _row(base: str, group: list[tuple[datetime, dict[str, Any]]]) -> Row:
    """The row of one learner and registration; ``group`` is in timestamp order."""
    iris = Iris(base)
    evaluation = iris.evaluation_item_pattern()
    cert_key = iris.extension(EXTENSION_CERTIFICATE)
    name = ""
    start = completion = None
    completion_duration: float | None = None
    best: float | None = None
    passed = False
    attempts = 0
    terminated: list[float] = []
    evaluation_done = False
    certificate: tuple[str, str] | None = None
    for when, s in group:
        actor_name = (s.get("actor") or {}).get("name")
        if isinstance(actor_name, str) and actor_name.strip():
            name = actor_name.strip()  # the latest name the actor carried
        verb, oid, result = _verb(s), course_object(s, base), _result(s)
        if oid == base:
            if verb in ("launched", "initialized") and start is None:
                start = when
            elif verb == "completed":
                if completion is None:
                    completion = when
                    completion_duration = parse_duration(result.get("duration"))
                passed = passed or result.get("success") is True
                certificate = _certificate(s, cert_key) or certificate
            elif verb == "earned":
                certificate = _certificate(s, cert_key) or certificate
            elif verb == "terminated":
                seconds = parse_duration(result.get("duration"))
                if seconds is not None:
                    terminated.append(seconds)
            elif verb == "passed":  # cmi5: the AU passed (the post-test's own come below)
                passed = True
        elif verb in ("passed", "failed") and oid.startswith(iris.assessment("")):
            attempts += 1
            passed = passed or verb == "passed"
            scaled = (result.get("score") or {}).get("scaled")
            if isinstance(scaled, (int, float)) and not isinstance(scaled, bool):
                best = scaled if best is None else max(best, scaled)
        elif verb == "answered" and evaluation.match(oid):
            evaluation_done = True
    if terminated:
        seat: float | None = sum(terminated)
    else:
        seat = completion_duration
    first = group[0][1]
    return Row(
        name=name,
        identifier=identifier(first.get("actor") or {}),
        registration=str((first.get("context") or {}).get("registration") or ""),
        start=utc(start) if start else "",
        completion=utc(completion) if completion else "",
        best_score=f"{best * 100:.2f}" if best is not None else "",
        passed="yes" if passed else "no",
        attempts=attempts,
        seat_time=hms(seat) if seat is not None else "",
        evaluation_done="yes" if evaluation_done else "no",
        certificate_id=certificate[0] if certificate else "",
        certificate_issued=certificate[1] if certificate else "",
    )


def roster(base: str, statements: Iterable[dict[str, Any]]) -> list[Row]:
    """One row per (actor identifier, registration) with a statement on the course or one of
    its activities, sorted by name, then registration (then identifier)."""
    base = base.rstrip("/")
    groups: dict[tuple[str, str], list[tuple[datetime, dict[str, Any]]]] = {}
    seen: set[str] = set()
    for s in statements:
        oid = course_object(s, base)
        if not (oid == base or oid.startswith(base + "/")):
            continue
        sid = str(s.get("id", ""))
        if sid and sid in seen:  # a statement on two pages of a shifting result set
            continue
        seen.add(sid)
        try:
            when = parse_time(str(s.get("timestamp") or s.get("stored")))
        except ValueError:
            continue
        key = (identifier(s.get("actor") or {}),
               str((s.get("context") or {}).get("registration") or ""))
        groups.setdefault(key, []).append((when, s))
    rows = [_row(base, sorted(g, key=lambda x: (x[0], _verb(x[1]) != "launched")))
            for g in groups.values()]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.registration, r.identifier))


def fetch_statements(lrs: Lrs, activity: str, since: str | None = None
                     ) -> list[dict[str, Any]]:
    """Every statement about ``activity`` or with it in context, following ``more`` links."""
    params = {"activity": activity, "related_activities": "true"}
    if since:
        params["since"] = since
    url = lrs.endpoint + "statements?" + urllib.parse.urlencode(params)
    out: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        status, body = lrs.fetch("GET", url)
        if status != 200:
            raise status_problem("GET statements", status, body)
        try:
            page = json.loads(body)
            statements = page["statements"]
            more = page.get("more") or ""
        except (ValueError, KeyError, TypeError, AttributeError):
            raise LrsError("GET statements: the LRS did not answer with a statement result "
                           f"({answer_excerpt(body)})") from None
        out.extend(s for s in statements if isinstance(s, dict))
        if not more:
            return out
        next_url = urllib.parse.urljoin(lrs.endpoint, str(more))
        if origin(next_url) != lrs.origin:
            raise LrsError(f"GET statements: the LRS's `more` link leads to "
                           f"{redact_url(next_url)}, another origin than the endpoint's "
                           f"({lrs.origin}); scormbuild does not follow it, as the "
                           "credentials would go with it")
        if next_url == url:
            break
        url = next_url
    raise LrsError(f"GET statements: the LRS kept linking to more pages (stopped at {url})")


def records(endpoint: str, user: str, password: str, activity: str, since: str | None = None,
            timeout: float = DEFAULT_TIMEOUT, proxies: ProxyChoice | None = None
            ) -> list[Row]:
    lrs = Lrs(normalise_endpoint(endpoint), basic_auth(user, password), timeout,
              proxies or ProxyChoice.from_environment())
    base = activity.strip().rstrip("/")
    return roster(base, fetch_statements(lrs, base, since))


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (a learner name "=HYPERLINK(...)") gets a
    leading apostrophe; numbers and timestamps never start with these characters."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([_cell(v) for v in astuple(row)] for row in rows)
    return buffer.getvalue()
