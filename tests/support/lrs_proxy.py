"""A reverse proxy in front of the test LRS, on 127.0.0.1, that a test can stop and restart.

Why: npm xapi-statements keeps everything in memory, so stopping the LRS itself would forget
what it stored. To the browser, a stopped proxy *is* an unreachable LRS (connection refused on
the same address), while the statements stored before the outage survive behind it.

It also records every ``POST .../statements`` it forwarded (the statement ids and the LRS's
answer), so a test can prove that each statement reached the LRS exactly once on the wire, and
it can play an LRS *with* a State API (``state_api=True``: a small in-memory
``activities/state`` resource, as xAPI 1.0.3 defines it, and ``agents/profile`` likewise),
which xapi-statements lacks. For cmi5 it also plays the LMS's fetch URL
(``POST fetch/<key>``, see ``issue_token``): the first POST gets the auth token, every later one
the cmi5 error JSON (section 8.2.3). Only 127.0.0.1 is ever bound or contacted.
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
}
STATE_KEYS = ("activityId", "agent", "registration", "stateId")
PROFILE_KEYS = ("agent", "profileId")


def agent_key(text: str) -> str:
    """An agent query parameter as a store key: the same Agent however its JSON is spelled."""
    try:
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return text


@dataclass(frozen=True)
class Delivery:
    """One POST of statements the proxy forwarded, and the LRS's status code."""

    ids: tuple[str, ...]
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.0"  # one request per connection: a stop refuses the next one

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _cors(self) -> None:
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET,HEAD,PUT,POST,DELETE")
            self.send_header(
                "Access-Control-Allow-Headers",
                self.headers.get("Access-Control-Request-Headers", "*"),
            )
            self.send_header("Vary", "Origin")

    def _reply(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
        self.send_response(status)
        self._cors()
        self.send_header("X-Experience-API-Version", "1.0.3")
        if body:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _state(self, body: bytes, keys: tuple[str, ...] = STATE_KEYS,
               required: tuple[str, ...] = ("activityId", "agent", "stateId")) -> None:
        """activities/state (or agents/profile): GET a document (404 if none), PUT/POST one
        (204), DELETE it."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if self.command == "OPTIONS":
            self._reply(200)
            return
        if any(k not in query for k in required):
            self._reply(400, b'{"error": "' + ", ".join(required).encode() + b' are required"}')
            return
        key = tuple(agent_key(query[k][0]) if k == "agent" else query.get(k, [""])[0]
                    for k in keys)
        store = self.server.proxy.states
        if self.command == "GET":
            if key in store:
                self._reply(200, store[key])
            else:
                self._reply(404)
        elif self.command in ("PUT", "POST"):
            store[key] = body
            self.server.proxy.state_writes += 1
            self._reply(204)
        elif self.command == "DELETE":
            store.pop(key, None)
            self._reply(204)
        else:
            self._reply(405)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        proxy = self.server.proxy
        with proxy._lock:
            proxy.requests.append((self.command, path))
        if proxy.state_api and path.endswith("/activities/state"):
            self._state(body)
            return
        if proxy.state_api and path.endswith("/agents/profile"):
            self._state(body, PROFILE_KEYS, PROFILE_KEYS)
            return
        if path.startswith("/fetch/"):
            self._fetch(path[len("/fetch/"):])
            return
        # Generous: a reply lost here after the LRS stored a batch (a 502 from the proxy on a
        # loaded machine) would make the player resend it, and the exactly-once tests would
        # then count a test-harness failure as the player's.
        conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            out_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        except OSError:
            self.send_error(502)
            return
        finally:
            conn.close()
        if self.command == "POST" and path.endswith("/statements"):
            try:
                sent = json.loads(body)
            except ValueError:
                sent = []
            sent = sent if isinstance(sent, list) else [sent]
            proxy.record(
                Delivery(tuple(str(s.get("id")) for s in sent if isinstance(s, dict)), status)
            )
        self.send_response(status)
        for key, value in out_headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _fetch(self, key: str) -> None:
        """cmi5's fetch URL: POST once for the token; then, and for unknown keys, an error."""
        proxy = self.server.proxy
        if self.command == "OPTIONS":
            self._reply(200)
            return
        with proxy._lock:
            proxy.fetch_posts.append((self.command, key))
            token = proxy.tokens.pop(key, None) if self.command == "POST" else None
        if token is None:
            self._reply(200, json.dumps({"error-code": "1", "error-text": "The authorization "
                                         "token has already been returned."}).encode())
        else:
            self._reply(200, json.dumps({"auth-token": token}).encode())

    do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = _forward


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: LrsProxy


class LrsProxy:
    """``http://127.0.0.1:<port>/`` forwarding to the LRS on 127.0.0.1:``upstream_port``.

    ``stop()`` closes the port (the browser gets "connection refused"); ``start()`` opens the
    same port again. Use as a context manager.
    """

    def __init__(self, upstream_port: int, state_api: bool = False) -> None:
        self.upstream_port = upstream_port
        self.state_api = state_api
        self.states: dict[tuple[str, ...], bytes] = {}
        self.state_writes = 0
        self.tokens: dict[str, str] = {}  # fetch key -> the token its first POST returns
        self.fetch_posts: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []
        self._httpd: _ProxyServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.start()

    def record(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries.append(delivery)

    @property
    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._deliveries)

    def accepted_ids(self) -> list[str]:
        """Every statement id in a POST the LRS accepted (2xx), once per acceptance."""
        return [i for d in self.deliveries if 200 <= d.status < 300 for i in d.ids]

    def issue_token(self, key: str, token: str) -> str:
        """A single-use cmi5 fetch URL that returns ``token`` once."""
        with self._lock:
            self.tokens[key] = token
        return self.url(f"fetch/{key}")

    def document(self, *key: str) -> bytes | None:
        """A stored State (activityId, agent JSON, registration, stateId) or Agent Profile
        (agent JSON, profileId) document, or None."""
        return self.states.get(tuple(agent_key(k) if k.startswith("{") else k for k in key))

    def put_document(self, doc: Any, *key: str) -> None:
        """Store a document as the LMS would (State API or Agent Profile)."""
        self.states[tuple(agent_key(k) if k.startswith("{") else k for k in key)] = (
            json.dumps(doc).encode())

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._httpd = _ProxyServer(("127.0.0.1", self.port), _Handler)
        self._httpd.proxy = self
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="lrs-proxy", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> LrsProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
