"""Our own xAPI checks: the `tincan` library serialises anything, valid or not.

It accepted ``scaled = 1.5``, an Agent with no identifier, the verb id ``passed`` and an mbox
without ``mailto:`` (../shared/reference/xapi.md), and an LRS answers such statements with 400,
which a player only learns in the field. Every check returns a list of
``Problem``s (empty when valid) so callers can report all problems at once; a problem's path is
where in the JSON it is (``result.score.scaled``), with no line, so it prints as
``"<path>: <what is wrong>"``.
The rules follow xAPI 1.0.3; the tests hold them against @learninglocker/xapi-validation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from scormbuild.problems import Problem
from scormbuild.xapi.vocabulary import COMPONENT_LISTS

IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")

# An absolute IRI: a scheme, then no whitespace or characters IRIs forbid. Hierarchical
# schemes (http, https, ...) also need an authority, so "http:foo" is refused.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.+)$", re.DOTALL)
_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
_HIERARCHICAL = {"http", "https", "ftp", "ws", "wss"}

# ISO 8601 durations as xAPI uses them: PnYnMnWnDTnHnMnS, at least one part, fraction allowed
# on any number (tincan writes "PT01M23.45S"; the SCORM "0000:01:23.45" is refused).
_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"^P(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)
# ISO 8601 date-time with a time zone (xAPI timestamps; a zone-less time is ambiguous).
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
# RFC 4122 UUIDs (versions 1-5, the RFC variant), as xAPI requires for ids and registrations.
_UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE
)
_SHA1 = re.compile(r"^[0-9a-f]{40}$", re.IGNORECASE)
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")


def as_data(value: Any) -> Any:
    """A tincan object as the JSON it sends; plain data unchanged."""
    if hasattr(value, "to_json"):
        return json.loads(value.to_json())
    return value


def is_iri(value: Any) -> bool:
    if not isinstance(value, str) or _FORBIDDEN.search(value):
        return False
    match = _SCHEME.match(value)
    if not match:
        return False
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme in _HIERARCHICAL:
        return rest.startswith("//") and len(rest) > 2 and rest[2] != "/"
    return True


def is_duration(value: Any) -> bool:
    return isinstance(value, str) and bool(_DURATION.match(value))


def is_timestamp(value: Any) -> bool:
    return isinstance(value, str) and bool(_TIMESTAMP.match(value))


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _at(path: str, message: str) -> Problem:
    """A problem at ``path`` inside the statement or activity (JSON has no lines to name)."""
    return Problem(path, 0, 0, message)


def check_iri(value: Any, path: str) -> list[Problem]:
    return [] if is_iri(value) else [_at(path, f"{value!r} is not an absolute IRI")]


def check_uuid(value: Any, path: str) -> list[Problem]:
    return [] if is_uuid(value) else [_at(path, f"{value!r} is not a UUID")]


def check_duration(value: Any, path: str) -> list[Problem]:
    if is_duration(value):
        return []
    return [_at(path, f"{value!r} is not an ISO 8601 duration such as PT1M23.45S")]


def check_score(score: Any, path: str = "result.score") -> list[Problem]:
    score = as_data(score)
    if not isinstance(score, Mapping):
        return [_at(path, "not an object")]
    out: list[Problem] = []
    for key in ("scaled", "raw", "min", "max"):
        if key in score and not _number(score[key]):
            out.append(_at(f"{path}.{key}", f"{score[key]!r} is not a number"))
    if out:
        return out
    scaled = score.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        out.append(_at(f"{path}.scaled", f"{scaled} is outside [-1, 1]"))
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and low > high:
        out.append(_at(path, f"min {low} is more than max {high}"))
    if raw is not None:
        if low is not None and raw < low:
            out.append(_at(f"{path}.raw", f"{raw} is less than min {low}"))
        if high is not None and raw > high:
            out.append(_at(f"{path}.raw", f"{raw} is more than max {high}"))
    return out


def check_agent(agent: Any, path: str = "actor") -> list[Problem]:
    """An Agent (or Group member): exactly one inverse functional identifier, well formed."""
    agent = as_data(agent)
    if not isinstance(agent, Mapping):
        return [_at(path, "not an object")]
    kind = agent.get("objectType", "Agent")
    if kind == "Group":
        return _check_group(agent, path)
    if kind != "Agent":
        return [_at(f"{path}.objectType", f"{kind!r} is not Agent or Group")]
    return _check_identifier(agent, path)


def _check_group(group: Mapping[str, Any], path: str) -> list[Problem]:
    members = group.get("member")
    present = [k for k in IDENTIFIERS if group.get(k) is not None]
    out: list[Problem] = []
    if present:
        out += _check_identifier(group, path)
    elif not members:
        out.append(_at(path, "an anonymous Group needs members"))
    for n, member in enumerate(members or []):
        out += check_agent(member, f"{path}.member[{n}]")
    return out


def _check_identifier(agent: Mapping[str, Any], path: str) -> list[Problem]:
    present = [k for k in IDENTIFIERS if agent.get(k) is not None]
    if len(present) != 1:
        found = ", ".join(present) or "none"
        return [_at(path, f"needs exactly one identifier ({', '.join(IDENTIFIERS)}); "
                          f"found {found}")]
    key = present[0]
    value = agent[key]
    if key == "mbox" and not (isinstance(value, str) and _MAILTO.match(value)):
        return [_at(f"{path}.mbox", f"{value!r} must be mailto:<email address>")]
    if key == "mbox_sha1sum" and not (isinstance(value, str) and _SHA1.match(value)):
        return [_at(f"{path}.mbox_sha1sum", f"{value!r} is not a SHA-1 hex digest")]
    if key == "openid":
        return check_iri(value, f"{path}.openid")
    if key == "account":
        if not isinstance(value, Mapping):
            return [_at(f"{path}.account", "not an object")]
        out = []
        if not (isinstance(value.get("homePage"), str) and is_iri(value["homePage"])):
            out.append(_at(f"{path}.account.homePage", f"{value.get('homePage')!r} is not an IRL"))
        if not (isinstance(value.get("name"), str) and value["name"]):
            out.append(_at(f"{path}.account.name", "missing"))
        return out
    return []


def _check_language_map(value: Any, path: str) -> list[Problem]:
    if not isinstance(value, Mapping) or not value:
        return [_at(path, "not a language map")]
    return [_at(path, f"{k!r} is not a language tag") for k in value
            if not (isinstance(k, str) and re.match(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", k))]


def check_activity(activity: Any, path: str = "object") -> list[Problem]:
    activity = as_data(activity)
    if not isinstance(activity, Mapping):
        return [_at(path, "not an object")]
    out = check_iri(activity.get("id"), f"{path}.id")
    definition = activity.get("definition")
    if definition is None:
        return out
    dpath = f"{path}.definition"
    for key in ("name", "description"):
        if key in definition:
            out += _check_language_map(definition[key], f"{dpath}.{key}")
    for key in ("type", "moreInfo"):
        if key in definition:
            out += check_iri(definition[key], f"{dpath}.{key}")
    out += _check_extensions(definition.get("extensions"), f"{dpath}.extensions")
    interaction = definition.get("interactionType")
    lists = [k for k in ("choices", "scale", "source", "target", "steps") if k in definition]
    if interaction is None:
        if lists or "correctResponsesPattern" in definition:
            out.append(_at(dpath, "interaction fields without an interactionType"))
        return out
    allowed = COMPONENT_LISTS.get(interaction)
    if allowed is None:
        return [*out, _at(f"{dpath}.interactionType", f"{interaction!r} is not an xAPI type")]
    for key in lists:
        if not isinstance(definition[key], list):
            out.append(_at(f"{dpath}.{key}", "must be a list of components"))
            continue
        if key not in allowed:
            out.append(_at(f"{dpath}.{key}", f"not allowed for interactionType {interaction}"))
        ids = [c.get("id") for c in definition[key] if isinstance(c, Mapping)]
        if len(ids) != len(definition[key]) or not all(isinstance(i, str) and i for i in ids):
            out.append(_at(f"{dpath}.{key}", "every component needs a string id"))
        elif len(set(ids)) != len(ids):
            out.append(_at(f"{dpath}.{key}", "component ids repeat"))
    pattern = definition.get("correctResponsesPattern")
    if pattern is not None and not (isinstance(pattern, list)
                                    and all(isinstance(p, str) for p in pattern)):
        out.append(_at(f"{dpath}.correctResponsesPattern", "must be a list of strings"))
    return out


def _check_extensions(value: Any, path: str) -> list[Problem]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return [_at(path, "not an object")]
    return [msg for key in value for msg in check_iri(key, f"{path} key")]


def check_statement(statement: Any) -> list[Problem]:
    """Every problem of one statement (dict, JSON-able data, or a tincan Statement)."""
    s = as_data(statement)
    if not isinstance(s, Mapping):
        return [_at("statement", "not an object")]
    out: list[Problem] = []
    if "id" in s:
        out += check_uuid(s["id"], "id")
    out += check_agent(s.get("actor"), "actor")
    verb = s.get("verb")
    if not isinstance(verb, Mapping):
        out.append(_at("verb", "missing"))
    else:
        out += check_iri(verb.get("id"), "verb.id")
        if "display" in verb:
            out += _check_language_map(verb["display"], "verb.display")
    obj = s.get("object")
    kind = obj.get("objectType", "Activity") if isinstance(obj, Mapping) else None
    if kind == "Activity":
        out += check_activity(obj, "object")
    elif kind in ("Agent", "Group"):
        out += check_agent(obj, "object")
    elif kind == "StatementRef":
        out += check_uuid(obj.get("id"), "object.id")
    elif kind != "SubStatement":
        out.append(_at("object", f"{kind!r} is not an xAPI object"))
    out += _check_result(s.get("result"))
    out += _check_context(s.get("context"))
    for key in ("timestamp", "stored"):
        if key in s and not is_timestamp(s[key]):
            out.append(_at(key, f"{s[key]!r} is not an ISO 8601 date-time with a time zone"))
    if "authority" in s:
        out += check_agent(s["authority"], "authority")
    return out


def _check_result(result: Any) -> list[Problem]:
    if result is None:
        return []
    if not isinstance(result, Mapping):
        return [_at("result", "not an object")]
    out: list[Problem] = []
    if "score" in result:
        out += check_score(result["score"], "result.score")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            out.append(_at(f"result.{key}", f"{result[key]!r} is not true or false"))
    if "response" in result and not isinstance(result["response"], str):
        out.append(_at("result.response", f"{result['response']!r} is not a string"))
    if "duration" in result:
        out += check_duration(result["duration"], "result.duration")
    out += _check_extensions(result.get("extensions"), "result.extensions")
    return out


def _check_context(context: Any) -> list[Problem]:
    if context is None:
        return []
    if not isinstance(context, Mapping):
        return [_at("context", "not an object")]
    out: list[Problem] = []
    if "registration" in context:
        out += check_uuid(context["registration"], "context.registration")
    if "instructor" in context:
        out += check_agent(context["instructor"], "context.instructor")
    activities = context.get("contextActivities") or {}
    for key, value in activities.items():
        if key not in ("parent", "grouping", "category", "other"):
            out.append(_at(f"context.contextActivities.{key}", "not a context activity list"))
            continue
        for n, activity in enumerate(value if isinstance(value, list) else [value]):
            out += check_activity(activity, f"context.contextActivities.{key}[{n}]")
    out += _check_extensions(context.get("extensions"), "context.extensions")
    return out
