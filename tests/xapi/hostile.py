"""A scripted, hostile HTTP server on 127.0.0.1 for the xAPI client tests.

Each connection's request head is read (bounded) and recorded, then a test's ``respond``
function writes whatever it likes to the raw socket: a redirect to another port, an answer
that never ends, one byte every half second. Every loop is bounded in bytes and in time, and
the server stops (joining its threads) when the ``with`` block ends.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from support.rawhttp import read_head

from tests.xapi.netutil import LOOPBACK

MAX_BODY = 1 << 20
LIFETIME = 30.0  # no connection is served longer than this, whatever the script does

# The LRS credentials the hostile-LRS and proxy tests give the commands, to prove they are
# never printed or sent where they do not belong.
USER, SECRET = "key", "Sup3r-Secret"
TOKEN = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class Hostile:
    port: int
    seen: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/xAPI/") -> str:
        return f"http://{LOOPBACK}:{self.port}{path}"

    def alive(self, started: float) -> bool:
        return not self.stopping.is_set() and time.monotonic() - started < LIFETIME


Respond = Callable[[Seen, socket.socket, Hostile], None]


def _read_request(conn: socket.socket) -> Seen | None:
    got = read_head(conn)
    if got is None:
        return None
    method, target, headers, rest = got.method, got.target, got.headers, got.rest
    length = min(int(headers.get("content-length", "0") or 0), MAX_BODY)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Seen(method, target, headers, rest[:length])


def _serve_one(conn: socket.socket, server: Hostile, respond: Respond) -> None:
    with conn:
        conn.settimeout(5)
        try:
            seen = _read_request(conn)
            if seen is None:
                return
            server.seen.append(seen)
            respond(seen, conn, server)
        except OSError:  # the client went away: expected when it gives up
            pass


@contextmanager
def hostile_server(respond: Respond) -> Iterator[Hostile]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((LOOPBACK, 0))
    listener.listen(16)
    listener.settimeout(0.1)
    server = Hostile(port=listener.getsockname()[1])
    workers: list[threading.Thread] = []

    def accept_loop() -> None:
        started = time.monotonic()
        while server.alive(started) and len(workers) < 100:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            worker = threading.Thread(target=_serve_one, args=(conn, server, respond),
                                      daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        server.stopping.set()
        acceptor.join(timeout=5)
        for worker in workers:
            worker.join(timeout=5)
        listener.close()


# Scripts -------------------------------------------------------------------------------------

def answer(status: int, body: bytes, *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close",
            *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def json_answer(document: object, status: int = 200) -> bytes:
    return answer(status, json.dumps(document).encode(), "Content-Type: application/json")


def redirect_to(location: str, status: int = 302) -> Respond:
    def respond(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        conn.sendall(answer(status, b"", f"Location: {location}"))
    return respond


def flood(total: int, declare_length: bool) -> Respond:
    """An answer of ``total`` bytes of spaces (a valid JSON prefix), sent as fast as the
    client reads; with or without a Content-Length saying so."""
    chunk = b" " * (1 << 20)

    def respond(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        if declare_length:
            head += f"Content-Length: {total}\r\n"
        conn.sendall((head + "\r\n").encode())
        started, sent = time.monotonic(), 0
        while sent < total and server.alive(started):
            conn.sendall(chunk)
            sent += len(chunk)
    return respond


def drip(prefix: bytes, every: float = 0.5) -> Respond:
    """``prefix``, then one byte every ``every`` seconds, never finishing (until LIFETIME)."""
    def respond(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        conn.sendall(prefix)
        started = time.monotonic()
        while server.alive(started):
            conn.sendall(b" ")
            server.stopping.wait(every)
    return respond
