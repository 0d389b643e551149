"""One HTTP request to an LRS, bounded in time and size, its credentials kept on one origin.

http.client rather than urllib: urllib follows redirects with the Authorization header to any
host, has only a per-read socket timeout (a server sending one byte every few seconds keeps it
waiting for ever) and reads an answer of any size. Here:

- every request has a total deadline, from connecting to the last byte of the answer;
- an answer larger than the caller's limit is refused, by its Content-Length before reading
  and by counting while reading;
- redirects are followed by hand, only on the endpoint's origin (a redirect elsewhere is an
  error: the credentials would go with it);
- connections are direct: no ``*_proxy`` variable is read.
"""

from __future__ import annotations

import functools
import http.client
import io
import time
import urllib.parse
from dataclasses import dataclass
from email.message import Message
from typing import Any

from scormbuild.problems import Refused
from scormbuild.xapi.urls import Origin, origin, redact_url

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


class LrsError(Refused):
    """One clear sentence about why the LRS could not be used."""


class _Deadline(TimeoutError):
    """The request's total time ran out (raised by the reader, reported as a timeout)."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    location: str | None


class _DeadlineReader(io.RawIOBase):
    """The socket's reader, with the socket timeout set to what is left of the deadline
    before every read, so no pace of dripping bytes outlasts the deadline."""

    def __init__(self, raw: io.RawIOBase, sock: Any, deadline: float) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _Deadline()
        self._sock.settimeout(left)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: Any, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        raw = self.fp.detach()  # the SocketIO http.client made; closed with the response
        self.fp = io.BufferedReader(_DeadlineReader(raw, sock, deadline))


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Deadline()
    return left


def _size(limit: int) -> str:
    return f"{limit / (1 << 20):g} MiB" if limit >= 1 << 20 else f"{limit} bytes"


def exchange(method: str, url: str, headers: dict[str, str], data: bytes | None,
             deadline: float, limit: int) -> Reply:
    """One request and its answer (at most ``limit`` bytes), no redirect followed. Raises
    TimeoutError when the deadline passes, OSError and http.client.HTTPException as they come,
    LrsError for an answer over the limit."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname or "", parts.port, timeout=_left(deadline))
    conn.response_class = functools.partial(  # type: ignore[assignment]
        _DeadlineResponse, deadline=deadline)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(_left(deadline))
        conn.request(method, target, body=data, headers=headers)
        response = conn.getresponse()
        too_big = LrsError(f"{method} {redact_url(url)}: the answer is larger than "
                           f"{_size(limit)}, more than scormbuild reads from an LRS")
        if response.length is not None and response.length > limit:
            raise too_big
        body = response.read(limit + 1)
        if len(body) > limit:
            raise too_big
        headers_in: Message = response.msg
        return Reply(response.status, body, headers_in.get("Location"))
    finally:
        conn.close()


def fetch(method: str, url: str, headers: dict[str, str], data: bytes | None, home: Origin,
          timeout: float, limit: int) -> Reply:
    """A request to ``url`` on the ``home`` origin, following redirects on that origin only,
    all within ``timeout`` seconds. Every failure is an LrsError sentence."""
    deadline = time.monotonic() + timeout
    where = redact_url(url)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            if origin(url) != home:
                raise LrsError(f"{method} {redact_url(url)}: not on the endpoint's origin "
                               f"({home}); scormbuild sends the credentials nowhere else")
            reply = exchange(method, url, headers, data, deadline, limit)
            if reply.status not in REDIRECTS or not reply.location:
                return reply
            target = urllib.parse.urljoin(url, reply.location.strip())
            if origin(target) != home:
                raise LrsError(
                    f"{method} {where}: the LRS redirects (HTTP {reply.status}) to "
                    f"{redact_url(target)}, another origin than the endpoint's ({home}); "
                    "scormbuild does not follow it, as the credentials would go with it "
                    "(if that address is the LRS, give it as --endpoint)")
            if reply.status not in (307, 308) and method not in ("GET", "HEAD"):
                raise LrsError(f"{method} {where}: the LRS redirects (HTTP {reply.status}) "
                               f"to {redact_url(target)}, which would turn the {method} into "
                               "a GET; give the address it redirects to as --endpoint")
            url = target
        raise LrsError(f"{method} {where}: more than {MAX_REDIRECTS} redirects")
    except TimeoutError:
        raise LrsError(f"no answer from {where} within {timeout:g} s (the whole request, "
                       "from connecting to the last byte)") from None
    except ConnectionRefusedError:
        raise LrsError(f"cannot connect to {where}: connection refused "
                       "(is the LRS running, and is the endpoint right?)") from None
    except http.client.HTTPException as err:
        detail = str(err)[:200] or type(err).__name__
        raise LrsError(f"{method} {where}: not a valid HTTP answer ({detail})") from None
    except OSError as err:
        raise LrsError(f"cannot talk to {where}: {err.strerror or err}") from None
