"""Talking to an LRS with the standard library: ``xapi ping`` (and ``xapi records``).

urllib rather than tincan's RemoteLRS: RemoteLRS sets no timeout (a silent firewall would hang
the command forever) and turns network errors into tracebacks; here every failure becomes one
sentence an LRS admin can act on.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from tincan import Statement

from scormbuild.xapi.checks import check_statement
from scormbuild.xapi.statements import ping_statement

XAPI_VERSION = "1.0.3"
DEFAULT_TIMEOUT = 10.0


class LrsError(Exception):
    """One clear sentence about why the LRS could not be used."""


def basic_auth(user: str, password: str) -> str:
    """The whole Authorization header value, as the launch convention's ``auth`` carries it."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def normalise_endpoint(endpoint: str) -> str:
    """The xAPI endpoint with one trailing slash (resources are appended to it)."""
    parts = urllib.parse.urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LrsError(f"endpoint {endpoint!r} is not an http(s) URL such as "
                       "https://lrs.example.org/xapi/")
    return endpoint.strip().rstrip("/") + "/"


@dataclass
class Lrs:
    endpoint: str
    auth: str
    timeout: float = DEFAULT_TIMEOUT

    def request(self, method: str, resource: str, params: dict[str, str] | None = None,
                body: Any = None) -> tuple[int, bytes]:
        url = self.endpoint + resource
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return self.fetch(method, url, body)

    def fetch(self, method: str, url: str, body: Any = None) -> tuple[int, bytes]:
        """One request to a full URL (e.g. a ``more`` link resolved against the endpoint)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": self.auth,
                   "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise LrsError(f"no answer from {self.endpoint} within {self.timeout:g} s") \
                    from None
            if isinstance(reason, ConnectionRefusedError):
                raise LrsError(f"cannot connect to {self.endpoint}: connection refused "
                               "(is the LRS running, and is the endpoint right?)") from None
            raise LrsError(f"cannot connect to {self.endpoint}: {reason}") from None
        except TimeoutError:
            raise LrsError(f"no answer from {self.endpoint} within {self.timeout:g} s") \
                from None
        except OSError as err:
            raise LrsError(f"cannot talk to {self.endpoint}: {err}") from None


def _detail(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return (text[:300] + "...") if len(text) > 300 else text


def status_problem(what: str, status: int, body: bytes) -> LrsError:
    if status in (401, 403):
        return LrsError(f"{what}: the LRS refused the credentials (HTTP {status}); check "
                        "--user and --password (the LRS key and secret)")
    if status == 404:
        return LrsError(f"{what}: HTTP 404; the endpoint is probably not the xAPI root "
                        "(it usually ends in /xapi/ or /xAPI/)")
    return LrsError(f"{what}: HTTP {status} {_detail(body)}")


@dataclass
class PingReport:
    ok: bool
    lines: list[str] = field(default_factory=list)


def ping(endpoint: str, user: str, password: str, timeout: float = DEFAULT_TIMEOUT
         ) -> PingReport:
    """About (versions), then one test statement written and read back."""
    report = PingReport(ok=False)
    try:
        lrs = Lrs(normalise_endpoint(endpoint), basic_auth(user, password), timeout)
        status, body = lrs.request("GET", "about")
        if status != 200:
            raise status_problem("GET about", status, body)
        try:
            versions = json.loads(body)["version"]
        except (ValueError, KeyError, TypeError):
            raise LrsError(f"GET about: not an xAPI About resource: {_detail(body)}") from None
        report.lines.append(f"about: the LRS speaks xAPI {', '.join(map(str, versions))}")
        if not any(str(v).startswith("1.0") for v in versions):
            raise LrsError("the LRS does not list xAPI 1.0.x, which the player sends")

        statement = ping_statement()
        data = json.loads(statement.to_json())
        problems = check_statement(data)
        if problems:  # our own bug, never the LRS's: say so rather than blame the LRS
            raise LrsError("scormbuild built an invalid test statement: " + "; ".join(problems))
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
