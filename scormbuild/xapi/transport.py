"""One HTTP request to an LRS, bounded in time and size, its credentials kept on one origin.

http.client rather than urllib: urllib follows redirects with the Authorization header to any
host, has only a per-read socket timeout (a server sending one byte every few seconds keeps it
waiting for ever) and reads an answer of any size. Here:

- every request has a total deadline, from connecting to the last byte of the answer;
- an answer larger than the caller's limit is refused, by its Content-Length before reading
  and by counting while reading;
- redirects are followed by hand, only on the endpoint's origin (a redirect elsewhere is an
  error: the credentials would go with it);
- through an http:// proxy when the environment (or ``xapi --proxy``) says so
  (scormbuild/xapi/proxy.py): https as a CONNECT tunnel, TLS verified against the LRS host;
  http as an absolute-URI request to the proxy. The proxy's credentials go in
  Proxy-Authorization to the proxy alone (the CONNECT request, or the proxy's own request
  line); the origin that may receive the LRS credentials stays the endpoint's.
"""

from __future__ import annotations

import functools
import http.client
import io
import re
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from email.message import Message
from typing import Any

from scormbuild.problems import Refused
from scormbuild.xapi.proxy import Proxy, ProxyChoice, ProxyError
from scormbuild.xapi.urls import Origin, origin, redact, redact_url

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
# How http.client's set_tunnel reports a CONNECT answer other than 200 (an OSError).
_TUNNEL_FAILED = re.compile(r"Tunnel connection failed: (\d{3})\s*(.*)", re.DOTALL)


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


def _one_line(text: str, limit: int = 120) -> str:
    """A proxy's reason phrase for a message: printable, one line, short."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return (text[:limit] + "...") if len(text) > limit else text


def proxy_refusal(proxy: Proxy, status: int, reason: str, method: str, url: str,
                  tunnel: bool = True) -> LrsError:
    """The sentence for a proxy that answers a CONNECT (or, for http, the request itself)
    with an error: which proxy, what it said, what to check."""
    parts = urllib.parse.urlsplit(url)
    home = origin(url)
    dest = f"{home.host}:{home.port}" if home else parts.netloc
    said = f"HTTP {status}" + (f" {_one_line(reason)}" if reason.strip() else "")
    head = f"{method} {redact_url(url)}: the proxy {proxy}"
    if status == 407:
        if proxy.user is None:
            text = (f"{head} wants credentials ({said}); give them in the proxy URL, "
                    "http://user:password@proxy:port")
        else:
            text = (f"{head} refused its credentials ({said}); check the user and password "
                    "in the proxy URL")
    elif status == 403:
        text = (f"{head} refuses to connect to {dest} ({said}); ask the proxy's admin to allow "
                f"it, or {proxy.bypass_hint()}")
    elif tunnel:
        text = (f"{head} could not reach {dest} ({said}); check the endpoint's host and port, "
                "and that the proxy can reach the LRS")
    else:  # a gateway error to a proxied http request: the proxy's, or one behind it
        text = (f"{head} (or a gateway behind it) could not reach {dest} ({said}); check the "
                "endpoint's host and port, and that the proxy can reach the LRS")
    return LrsError(redact(text, proxy.user, proxy.password))


def _unreachable(proxy: Proxy, err: OSError, method: str, url: str) -> LrsError:
    why = err.strerror or str(err) or type(err).__name__
    text = (f"{method} {redact_url(url)}: cannot connect to the proxy {proxy}: {why}; check "
            f"the proxy's address and port ({proxy.source}), or {proxy.bypass_hint()}")
    return LrsError(redact(text, proxy.user, proxy.password))


def _connection(parts: urllib.parse.SplitResult, proxy: Proxy | None,
                timeout: float) -> http.client.HTTPConnection:
    https = parts.scheme == "https"
    kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
    if proxy is None:
        return kind(parts.hostname or "", parts.port, timeout=timeout)
    conn = kind(proxy.host, proxy.port, timeout=timeout)
    if https:
        # http.client sends CONNECT host:port (with these headers) to the proxy, then TLS
        # inside the tunnel, its certificate checked against the LRS host, not the proxy's.
        auth = proxy.authorization()
        conn.set_tunnel(parts.hostname or "", parts.port or 443,
                        headers={"Proxy-Authorization": auth} if auth else None)
    return conn


def exchange(method: str, url: str, headers: dict[str, str], data: bytes | None,
             deadline: float, limit: int, proxy: Proxy | None = None) -> Reply:
    """One request and its answer (at most ``limit`` bytes), no redirect followed, directly
    or through ``proxy``. Raises TimeoutError when the deadline passes, OSError and
    http.client.HTTPException as they come, LrsError for an answer over the limit and for a
    proxy that cannot be reached or refuses the connection."""
    parts = urllib.parse.urlsplit(url)
    conn = _connection(parts, proxy, _left(deadline))
    conn.response_class = functools.partial(  # type: ignore[assignment]
        _DeadlineResponse, deadline=deadline)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    send = headers
    if proxy is not None and parts.scheme == "http":
        # An absolute URI for the proxy, rebuilt without any user:password@ a redirect on the
        # endpoint's origin might carry; http.client takes Host from it.
        target = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{target}"
        auth = proxy.authorization()
        if auth:
            send = {**headers, "Proxy-Authorization": auth}
    try:
        try:
            conn.connect()
        except (TimeoutError, ssl.SSLError):
            raise  # the deadline, or TLS with the LRS itself (inside the tunnel)
        except OSError as err:
            if proxy is None:
                raise
            failed = _TUNNEL_FAILED.match(str(err))
            if failed:
                raise proxy_refusal(proxy, int(failed.group(1)), failed.group(2), method,
                                    url) from None
            raise _unreachable(proxy, err, method, url) from None
        if conn.sock is not None:
            conn.sock.settimeout(_left(deadline))
        conn.request(method, target, body=data, headers=send)
        response = conn.getresponse()
        # Through a proxy, http answers come from it: 407 is always the proxy's, 502/504 are a
        # gateway's (other errors, like 403, may be the LRS's and are reported as such).
        if proxy is not None and parts.scheme == "http" and response.status in (407, 502, 504):
            raise proxy_refusal(proxy, response.status, response.reason or "", method, url,
                                tunnel=False)
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
          timeout: float, limit: int, proxies: ProxyChoice | None = None) -> Reply:
    """A request to ``url`` on the ``home`` origin, following redirects on that origin only,
    all within ``timeout`` seconds, each through the proxy ``proxies`` gives for it (none:
    direct). Every failure is an LrsError sentence."""
    deadline = time.monotonic() + timeout
    where = redact_url(url)
    choice = proxies or ProxyChoice.direct()
    proxy: Proxy | None = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            if origin(url) != home:
                raise LrsError(f"{method} {redact_url(url)}: not on the endpoint's origin "
                               f"({home}); scormbuild sends the credentials nowhere else")
            try:
                proxy = choice.for_url(url)
            except ProxyError as err:
                raise LrsError(str(err)) from None
            reply = exchange(method, url, headers, data, deadline, limit, proxy)
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
        raise _hide(f"no answer from {where} within {timeout:g} s (the whole request, "
                    f"from connecting to the last byte){_via(proxy)}", proxy) from None
    except ConnectionRefusedError:  # only ever the LRS's: a proxy's is _unreachable
        raise LrsError(f"cannot connect to {where}: connection refused "
                       "(is the LRS running, and is the endpoint right?)") from None
    except http.client.HTTPException as err:
        detail = str(err)[:200] or type(err).__name__
        raise _hide(f"{method} {where}: not a valid HTTP answer ({detail}){_via(proxy)}",
                    proxy) from None
    except OSError as err:
        raise _hide(f"cannot talk to {where}: {err.strerror or err}{_via(proxy)}",
                    proxy) from None


def _via(proxy: Proxy | None) -> str:
    return "" if proxy is None else f" (through the proxy {proxy})"


def _hide(text: str, proxy: Proxy | None) -> LrsError:
    """An error sentence without the proxy's password (an OSError may quote anything)."""
    return LrsError(text if proxy is None else redact(text, proxy.user, proxy.password))
