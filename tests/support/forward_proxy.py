"""A small forward HTTP proxy on 127.0.0.1 for the xAPI client's proxy tests, and a TLS front
to put an https address before the (plain http) test LRS.

The proxy serves ``CONNECT host:port`` (a byte tunnel) and absolute-URI requests
(``GET http://host:port/path``, any method, forwarded with Connection: close and without its
hop-by-hop headers, Proxy-Authorization included, as a real proxy does). Whatever host a
request names, it connects to 127.0.0.1 on that port and nowhere else: a test may name
``lrs.proxy.test`` (which resolves nowhere), so a request can only succeed through the proxy.
It records every request head it received (``seen``), can demand a Proxy-Authorization
(answering 407 otherwise) and can refuse everything with a status (403, 502, ...).

The TLS front accepts TLS with a given certificate and relays the plain bytes to 127.0.0.1:port.
Every thread is bounded in time and joined when the ``with`` block ends.
"""

from __future__ import annotations

import select
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from support.rawhttp import read_head

LOOPBACK = "127.0.0.1"
LIFETIME = 30.0  # no connection is served longer than this
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection",
              "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"}


@dataclass(frozen=True)
class ProxySeen:
    """One request head the proxy received: its method, target and headers (lower-case)."""

    method: str
    target: str
    headers: dict[str, str]


@dataclass
class ForwardProxy:
    port: int
    require_auth: str | None = None  # the exact Proxy-Authorization value to demand
    refuse: int | None = None  # answer every request with this status
    echo: bool = False  # a refusal quotes the request's Proxy-Authorization (reason and body)
    seen: list[ProxySeen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, userinfo: str = "") -> str:
        return f"http://{userinfo}{LOOPBACK}:{self.port}"


def _read_head(conn: socket.socket) -> tuple[ProxySeen, bytes] | None:
    got = read_head(conn)
    return None if got is None else (ProxySeen(got.method, got.target, got.headers), got.rest)


def _status(conn: socket.socket, status: int, reason: str, *extra: str, body: bytes = b""
            ) -> None:
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Connection: close",
            *extra]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def _pipe(a: socket.socket, b: socket.socket, stopping: threading.Event) -> None:
    """Copy bytes both ways until either side closes (or the lifetime ends). One thread with
    select, as an SSL socket must not be read and written from two threads at once."""
    started = time.monotonic()
    other = {a: b, b: a}
    while not stopping.is_set() and time.monotonic() - started < LIFETIME:
        ready = [s for s in (a, b) if isinstance(s, ssl.SSLSocket) and s.pending()]
        if not ready:
            ready, _, _ = select.select([a, b], [], [], 0.2)
        for src in ready:
            try:
                chunk = src.recv(65536)
            except ssl.SSLWantReadError:
                continue
            if not chunk:
                return
            other[src].sendall(chunk)


def _upstream(port: int) -> socket.socket:
    return socket.create_connection((LOOPBACK, port), timeout=5)


def _serve_proxy(conn: socket.socket, proxy: ForwardProxy) -> None:
    with conn:
        conn.settimeout(5)
        try:
            got = _read_head(conn)
            if got is None:
                return
            seen, rest = got
            proxy.seen.append(seen)
            if proxy.require_auth is not None and \
                    seen.headers.get("proxy-authorization") != proxy.require_auth:
                _status(conn, 407, "Proxy Authentication Required",
                        'Proxy-Authenticate: Basic realm="test"')
                return
            if proxy.refuse is not None:
                said = seen.headers.get("proxy-authorization", "") if proxy.echo else ""
                _status(conn, proxy.refuse, f"Refused by the test proxy {said}".strip(),
                        body=f"you sent Proxy-Authorization: {said}".encode() if said else b"")
                return
            if seen.method == "CONNECT":
                _, _, port = seen.target.rpartition(":")
                with _upstream(int(port)) as up:
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pipe(conn, up, proxy.stopping)
                return
            parts = urllib.parse.urlsplit(seen.target)
            if parts.scheme != "http" or not parts.port:
                _status(conn, 400, "Not an absolute http URI with a port")
                return
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            headers = [f"{name}: {value}" for name, value in seen.headers.items()
                       if name not in HOP_BY_HOP]
            head = "\r\n".join([f"{seen.method} {path} HTTP/1.1", *headers,
                                "Connection: close"]) + "\r\n\r\n"
            with _upstream(parts.port) as up:
                up.sendall(head.encode("latin-1") + rest)
                _pipe(conn, up, proxy.stopping)
        except OSError:
            pass


@contextmanager
def _serving(handle: Callable[[socket.socket], None], stopping: threading.Event,
             listener: socket.socket) -> Iterator[None]:
    workers: list[threading.Thread] = []

    def accept_loop() -> None:
        started = time.monotonic()
        while not stopping.is_set() and time.monotonic() - started < LIFETIME * 4:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            worker = threading.Thread(target=handle, args=(conn,), daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    try:
        yield
    finally:
        stopping.set()
        acceptor.join(timeout=5)
        for worker in workers:
            worker.join(timeout=5)
        listener.close()


def _listener() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((LOOPBACK, 0))
    listener.listen(16)
    listener.settimeout(0.1)
    return listener


@contextmanager
def forward_proxy(require_auth: str | None = None, refuse: int | None = None,
                  echo: bool = False) -> Iterator[ForwardProxy]:
    listener = _listener()
    proxy = ForwardProxy(port=listener.getsockname()[1], require_auth=require_auth,
                         refuse=refuse, echo=echo)
    with _serving(lambda conn: _serve_proxy(conn, proxy), proxy.stopping, listener):
        yield proxy


@dataclass
class TlsFront:
    port: int
    stopping: threading.Event = field(default_factory=threading.Event)


@contextmanager
def tls_front(cert: str, key: str, upstream_port: int) -> Iterator[TlsFront]:
    """TLS on 127.0.0.1:<port> with ``cert``, relayed in plain to 127.0.0.1:upstream_port."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = _listener()
    front = TlsFront(port=listener.getsockname()[1])

    def handle(conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            with context.wrap_socket(conn, server_side=True) as tls, \
                    _upstream(upstream_port) as up:
                _pipe(tls, up, front.stopping)
        except OSError:  # includes a client that rejects the certificate
            conn.close()

    with _serving(handle, front.stopping, listener):
        yield front
