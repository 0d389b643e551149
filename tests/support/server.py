"""A static HTTP server on 127.0.0.1 for browser tests, with a tiny "LMS back end".

Why a back end at all: a real LMS persists what the SCO committed, and the learner's next
session starts from that. The harness page mirrors every API call and every committed CMI to
this server with ``navigator.sendBeacon`` (which the browser still delivers while a page is
being torn down), so a test can read what happened even after the page was closed abruptly,
and start the next "session" from exactly what was committed, nothing more.

The server binds to 127.0.0.1 only (tests never talk to anything else), picks a free port,
runs in a daemon thread and is stopped by its context manager.
"""

from __future__ import annotations

import json
import mimetypes
import os
import threading
import time
import urllib.parse
from collections.abc import Mapping
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LMS_PREFIX = "/__lms/"
# Beacons are small; refuse anything absurd rather than buffering it.
_MAX_BODY = 1_000_000


class LmsStore:
    """What the harness reported, per harness session id (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._logs: dict[str, list[dict[str, Any]]] = {}
        self._committed: dict[str, dict[str, Any]] = {}

    def add_log(self, sid: str, entries: list[dict[str, Any]]) -> None:
        with self._lock:
            self._logs.setdefault(sid, []).extend(entries)

    def set_committed(self, sid: str, record: dict[str, Any]) -> None:
        """Keep the newest record by its ``seq`` (beacons may arrive out of order)."""
        with self._lock:
            old = self._committed.get(sid)
            if old is None or int(record.get("seq", 0)) >= int(old.get("seq", 0)):
                self._committed[sid] = record

    def log(self, sid: str) -> list[dict[str, Any]]:
        """The log entries received for ``sid``, in call order (beacons may arrive reordered)."""
        with self._lock:
            entries = list(self._logs.get(sid, []))
        return sorted(entries, key=lambda e: int(e.get("seq", 0)))

    def committed(self, sid: str) -> dict[str, Any] | None:
        """The newest committed record: ``{"seq": n, "cmi": {...}}``."""
        with self._lock:
            return self._committed.get(sid)

    def wait_for(self, sid: str, predicate: Any, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Poll until ``predicate(log)`` is true (beacons are asynchronous) or time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.log(sid)
            if predicate(entries) or time.monotonic() >= deadline:
                return entries
            time.sleep(0.05)


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    # Keep pytest output clean; failures show up as assertion messages instead.
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def end_headers(self) -> None:
        # Every load must see the files as they are now (tests rebuild and reload).
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        url_path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix, folder in self.server.mounts:
            if url_path == prefix.rstrip("/") or url_path.startswith(prefix):
                rel = url_path[len(prefix) :] if url_path.startswith(prefix) else ""
                target = (folder / rel).resolve()
                # Never serve anything outside the mounted folder.
                if target != folder and folder not in target.parents:
                    return str(folder / "__forbidden__")
                return str(target)
        return str(self.server.mounts[-1][1] / "__not_mounted__")

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # ES modules and JSON must carry the right type or Chromium refuses them.
        ext = Path(path).suffix.lower()
        if ext in (".js", ".mjs"):
            return "text/javascript"
        return mimetypes.guess_type(str(path))[0] or "application/octet-stream"

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if not path.startswith(LMS_PREFIX):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except json.JSONDecodeError:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        parts = path[len(LMS_PREFIX) :].split("/")
        if len(parts) != 2:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        sid, kind = parts
        if kind == "log" and isinstance(body, list):
            self.server.store.add_log(sid, body)
        elif kind == "commit" and isinstance(body, dict):
            self.server.store.set_committed(sid, body)
        else:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mounts: list[tuple[str, Path]]
    store: LmsStore


class StaticServer:
    """Serve folders on http://127.0.0.1:<free port>/.

    ``mounts`` maps URL prefixes ("/harness/") to folders; ``root`` (if given) is served at "/".
    Longer prefixes win. Use as a context manager; ``stop()`` is idempotent.
    """

    def __init__(self, root: Path | None = None, mounts: Mapping[str, Path] | None = None) -> None:
        table: dict[str, Path] = {}
        for prefix, folder in (mounts or {}).items():
            norm = "/" + prefix.strip("/") + "/"
            table[norm] = Path(folder).resolve()
        if root is not None:
            table["/"] = Path(root).resolve()
        if not table:
            raise ValueError("StaticServer needs a root folder or at least one mount")
        self.store = LmsStore()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.mounts = sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True)
        self._httpd.store = self.store
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="test-static-server", daemon=True
        )
        self._thread.start()
        self._stopped = False

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + "/" + path.lstrip("/")

    def mount(self, prefix: str, folder: Path) -> None:
        """Add a mount while running (e.g. a second course for the same browser origin)."""
        norm = "/" + prefix.strip("/") + "/"
        table = dict(self._httpd.mounts)
        table[norm] = Path(folder).resolve()
        self._httpd.mounts = sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
