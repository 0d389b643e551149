"""Talking to an LRS with the standard library: ``xapi ping`` (and ``xapi records``).

Not tincan's RemoteLRS: it sets no timeout (a silent firewall would hang the command forever)
and turns network errors into tracebacks; here every failure becomes one sentence an LRS admin
can act on. The requests themselves (deadline, size limit, redirects on the endpoint's origin
only) are scormbuild/xapi/transport.py.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tincan import Statement

from scormbuild.xapi.checks import check_statement
from scormbuild.xapi.proxy import ProxyChoice
from scormbuild.xapi.statements import ping_statement
from scormbuild.xapi.transport import LrsError, fetch
from scormbuild.xapi.urls import Origin, origin, redact_url

__all__ = ["LrsError", "Lrs", "basic_auth", "normalise_endpoint", "ping", "status_problem",
           "answer_excerpt"]

XAPI_VERSION = "1.0.3"
DEFAULT_TIMEOUT = 10.0
# What scormbuild reads of one answer: About and one statement are small; a page of
# statements (`GET statements`, paged by the LRS with `more`) may be large, but never this.
MAX_SMALL_ANSWER = 1 << 20
MAX_PAGE_ANSWER = 32 << 20


def basic_auth(user: str, password: str) -> str:
    """The whole Authorization header value, as the launch convention's ``auth`` carries it."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def normalise_endpoint(endpoint: str) -> str:
    """The xAPI endpoint with one trailing slash (resources are appended to it)."""
    text = endpoint.strip()
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        parts = urllib.parse.urlsplit("")
    if origin(text) is None:
        raise LrsError(f"endpoint {redact_url(text)!r} is not an http(s) URL such as "
                       "https://lrs.example.org/xapi/")
    if parts.username is not None or parts.password is not None:
        raise LrsError(f"endpoint {redact_url(text)!r} contains credentials; give them as "
                       "--user and --password (the LRS key and secret) instead")
    if parts.query or parts.fragment:
        raise LrsError(f"endpoint {redact_url(text)!r} has a query or fragment; the xAPI "
                       "root is a plain address such as https://lrs.example.org/xapi/")
    return text.rstrip("/") + "/"


@dataclass
class Lrs:
    endpoint: str
    auth: str
    timeout: float = DEFAULT_TIMEOUT
    # The *_proxy variables as they are when the Lrs is made (xapi --proxy/--no-proxy: given).
    proxies: ProxyChoice = field(default_factory=ProxyChoice.from_environment)

    @property
    def origin(self) -> Origin:
        home = origin(self.endpoint)
        if home is None:
            raise LrsError(f"endpoint {redact_url(self.endpoint)!r} is not an http(s) URL")
        return home

    def request(self, method: str, resource: str, params: dict[str, str] | None = None,
                body: Any = None, limit: int = MAX_SMALL_ANSWER) -> tuple[int, bytes]:
        url = self.endpoint + resource
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return self.fetch(method, url, body, limit)

    def fetch(self, method: str, url: str, body: Any = None,
              limit: int = MAX_PAGE_ANSWER) -> tuple[int, bytes]:
        """One request to a full URL on the endpoint's origin (e.g. a ``more`` link resolved
        against the endpoint): the status and at most ``limit`` bytes of answer."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": self.auth,
                   "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        reply = fetch(method, url, headers, data, self.origin, self.timeout, limit,
                      self.proxies)
        return reply.status, reply.body


def answer_excerpt(body: bytes) -> str:
    """The start of an LRS's answer for a message, on one line, without control characters
    (an answer could carry terminal escapes)."""
    text = body[:2000].decode("utf-8", "replace")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return (text[:300] + "...") if len(text) > 300 else text


def status_problem(what: str, status: int, body: bytes) -> LrsError:
    if status in (401, 403):
        return LrsError(f"{what}: the LRS refused the credentials (HTTP {status}); check "
                        "--user and --password (the LRS key and secret)")
    if status == 404:
        return LrsError(f"{what}: HTTP 404; the endpoint is probably not the xAPI root "
                        "(it usually ends in /xapi/ or /xAPI/)")
    return LrsError(f"{what}: HTTP {status} {answer_excerpt(body)}")


@dataclass
class PingReport:
    ok: bool
    lines: list[str] = field(default_factory=list)


def ping(endpoint: str, user: str, password: str, timeout: float = DEFAULT_TIMEOUT,
         proxies: ProxyChoice | None = None) -> PingReport:
    """About (versions), then one test statement written and read back; through the
    environment's proxy unless ``proxies`` says otherwise."""
    report = PingReport(ok=False)
    try:
        lrs = Lrs(normalise_endpoint(endpoint), basic_auth(user, password), timeout,
                  proxies or ProxyChoice.from_environment())
        status, body = lrs.request("GET", "about")
        if status != 200:
            raise status_problem("GET about", status, body)
        try:
            versions = json.loads(body)["version"]
            if not isinstance(versions, list) or not versions:
                raise TypeError("version is not a list")
            versions = [answer_excerpt(str(v).encode())[:40] for v in versions[:10]]
        except (ValueError, KeyError, TypeError):
            raise LrsError("GET about: not an xAPI About resource: "
                           f"{answer_excerpt(body)}") from None
        report.lines.append(f"about: the LRS speaks xAPI {', '.join(map(str, versions))}")
        if not any(str(v).startswith("1.0") for v in versions):
            raise LrsError("the LRS does not list xAPI 1.0.x, which the player sends")

        statement = ping_statement()
        data = json.loads(statement.to_json())
        problems = check_statement(data)
        if problems:  # our own bug, never the LRS's: say so rather than blame the LRS
            raise LrsError("scormbuild built an invalid test statement: "
                           + "; ".join(map(str, problems)))
        statement_id = data["id"]
        status, body = lrs.request("PUT", "statements", {"statementId": statement_id}, data)
        if status not in (200, 204):
            raise status_problem("PUT statements (the test statement)", status, body)
        report.lines.append(f"write: test statement {statement_id} accepted (HTTP {status})")

        status, body = lrs.request("GET", "statements", {"statementId": statement_id})
        if status != 200:
            raise status_problem("GET statements (reading the test statement back)",
                                  status, body)
        try:
            back = Statement.from_json(body.decode("utf-8"))
        except (ValueError, TypeError) as err:
            raise LrsError(f"reading back: the LRS returned something that is not a "
                           f"statement ({err})") from None
        same = (str(back.id) == statement_id and back.verb.id == data["verb"]["id"]
                and back.object.id == data["object"]["id"])
        if not same:
            raise LrsError(f"reading back: statement {statement_id} came back different")
        report.lines.append(f"read: test statement {statement_id} read back unchanged")
        report.ok = True
    except LrsError as err:
        report.lines.append(str(err))
    return report
