"""The preview's HTTP server: the preview page, its assets, the built course, events, xAPI.

Everything is served from memory or from a fixed list of preview assets: a request path is
only ever a key into those, never joined onto a folder, so nothing outside the built package
and the preview's own files can be reached (``..`` is refused outright as well).
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scormbuild.resources import templates_dir
from scormbuild.serve.site import PreviewSite, Snapshot
from scormbuild.serve.xapi_store import XapiStore

PREVIEW_ASSETS = ("preview.css", "preview.js", "lms12.js")
KEEPALIVE_S = 10.0
CONFIG_MARK = "__SB_PREVIEW_CONFIG__"


def preview_dir() -> Path:
    return templates_dir() / "preview"


def script_json(data: object) -> str:
    """JSON safe inside <script type="application/json"> (no closing tag can appear)."""
    text = json.dumps(data, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def snapshot_json(snap: Snapshot, target: str) -> dict[str, object]:
    return {
        "generation": snap.generation,
        "ok": snap.ok,
        "target": target,
        "title": snap.title,
        "built_at": snap.built_at,
        "problems": [{"text": str(p), "severity": p.severity} for p in snap.problems],
    }


def clean_path(raw: str) -> str | None:
    """The decoded URL path, or None when it tries to climb out (``..``, backslashes, NUL)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(raw).path)
    if "\\" in path or "\x00" in path or ".." in path.split("/"):
        return None
    return posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "scormbuild-serve"
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, site: PreviewSite, store: XapiStore, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.site = site
        self.store = store
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the terminal shows builds, not every request."""

    # -- responses -------------------------------------------------------------------------
    def send(self, status: int, body: bytes = b"", content_type: str = "text/plain; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def not_found(self) -> None:
        self.send(HTTPStatus.NOT_FOUND, b"not found\n")

    def send_json(self, data: object, status: int = 200) -> None:
        self.send(status, json.dumps(data).encode("utf-8"), "application/json",
                  {"X-Experience-API-Version": "1.0.3"})

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    # -- routing ---------------------------------------------------------------------------
    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        path = clean_path(self.path)
        if path is None:
            return self.not_found()
        if path == "/":
            return self.page()
        if path == "/__preview/events":
            return self.events()
        if path == "/__preview/build":
            return self.send_json(snapshot_json(self.site.snapshot, self.site.target))
        if path.startswith("/__preview/xapi/"):
            return self.xapi("GET", path[len("/__preview/xapi/"):])
        if path.startswith("/__preview/"):
            return self.asset(path[len("/__preview/"):])
        if path.startswith("/course/"):
            return self.course_file(path[len("/course/"):])
        return self.not_found()

    def do_POST(self) -> None:  # noqa: N802
        self.write_method("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self.write_method("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self.write_method("DELETE")

    def write_method(self, method: str) -> None:
        path = clean_path(self.path)
        if path is not None and path.startswith("/__preview/xapi/"):
            return self.xapi(method, path[len("/__preview/xapi/"):])
        self.body()
        self.send(HTTPStatus.METHOD_NOT_ALLOWED, b"method not allowed\n")

    # -- handlers --------------------------------------------------------------------------
    def page(self) -> None:
        template = (preview_dir() / "index.html").read_text(encoding="utf-8")
        html = template.replace(CONFIG_MARK, script_json(
            snapshot_json(self.site.snapshot, self.site.target)))
        self.send(HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8")

    def asset(self, name: str) -> None:
        if name not in PREVIEW_ASSETS:
            return self.not_found()
        data = (preview_dir() / name).read_bytes()
        self.send(HTTPStatus.OK, data, _content_type(name))

    def course_file(self, name: str) -> None:
        data = self.site.snapshot.files.get(name or "index.html")
        if data is None:
            return self.not_found()
        self.send(HTTPStatus.OK, data, _content_type(name or "index.html"))

    def events(self) -> None:
        """Server-sent events: one ``build`` event now and one after every rebuild."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        snap = self.site.snapshot
        try:
            self.wfile.write(b"retry: 300\n")
            while True:
                data = json.dumps(snapshot_json(snap, self.site.target))
                self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                self.wfile.flush()
                newer = None
                while newer is None:
                    if self.site.closed:
                        return
                    newer = self.site.wait_newer(snap.generation, KEEPALIVE_S)
                    if newer is None:
                        self.wfile.write(b": keepalive\n\n")  # finds a closed tab
                        self.wfile.flush()
                snap = newer
        except (BrokenPipeError, ConnectionResetError):
            return

    def xapi(self, method: str, rest: str) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        one = {k: v[0] for k, v in query.items()}
        body = self.body() if method in ("POST", "PUT") else b""
        if rest == "about":
            return self.send_json({"version": ["1.0.3"]})
        if rest == "log" and method == "GET":
            return self.send_json(self.store.log())
        if rest == "statements":
            if method in ("POST", "PUT"):
                status, ids = self.store.post(body, one.get("statementId"))
                if status != 200:
                    return self.send(status, b"invalid statement JSON\n")
                if method == "PUT":
                    return self.send(HTTPStatus.NO_CONTENT, headers={
                        "X-Experience-API-Version": "1.0.3"})
                return self.send_json(ids)
            if method == "GET":
                return self.send_json({"statements": [s["statement"] for s in self.store.log()],
                                       "more": ""})
        if rest == "activities/state":
            key = tuple(one.get(k, "") for k in ("activityId", "agent", "registration", "stateId"))
            if method == "GET":
                doc = self.store.get_document(key)
                if doc is None:
                    return self.send(HTTPStatus.NOT_FOUND, b"no such document\n")
                return self.send(HTTPStatus.OK, doc, "application/json",
                                 {"X-Experience-API-Version": "1.0.3"})
            if method in ("PUT", "POST"):
                self.store.put_document(key, body)
            else:
                self.store.delete_document(key)
            return self.send(HTTPStatus.NO_CONTENT, headers={"X-Experience-API-Version": "1.0.3"})
        return self.not_found()


def _content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json",
                                                    "application/xml"):
        guessed += "; charset=utf-8"
    return guessed


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must never hold up Ctrl-C


def make_server(site: PreviewSite, host: str, port: int) -> PreviewServer:
    """Bind HOST:PORT (OSError when it is taken) and return the server, not yet serving."""
    handler = partial(PreviewHandler, site=site, store=XapiStore())
    return PreviewServer((host, port), handler)
