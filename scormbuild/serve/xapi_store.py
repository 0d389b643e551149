"""The preview's own xAPI endpoint: statements and State API documents, kept in memory.

Enough of an LRS for the player (docs/xapi-player.md) to run against, and every statement is
checked with the project's statement checks so the inspector can show what a strict LRS
would refuse.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from scormbuild.xapi.checks import check_statement


@dataclass
class XapiStore:
    statements: list[dict[str, Any]] = field(default_factory=list)  # {statement, problems}
    documents: dict[tuple[str, ...], bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, body: bytes, statement_id: str | None = None) -> tuple[int, list[str]]:
        """Store one statement or a list; (HTTP status, ids). Invalid JSON: 400."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 400, []
        items = data if isinstance(data, list) else [data]
        ids: list[str] = []
        with self._lock:
            for item in items:
                if not isinstance(item, dict):
                    return 400, []
                if statement_id and "id" not in item:
                    item["id"] = statement_id
                item.setdefault("id", str(uuid.uuid4()))
                known = {s["statement"].get("id") for s in self.statements}
                if item["id"] in known:
                    ids.append(str(item["id"]))  # a resend: an LRS keeps the first copy
                    continue
                # The inspector lists them as text, as the CLI prints them.
                self.statements.append({"statement": item, "problems": [
                    str(p) for p in check_statement(item)]})
                ids.append(str(item["id"]))
        return 200, ids

    def log(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.statements)

    def get_document(self, key: tuple[str, ...]) -> bytes | None:
        with self._lock:
            return self.documents.get(key)

    def put_document(self, key: tuple[str, ...], body: bytes) -> None:
        with self._lock:
            self.documents[key] = body

    def delete_document(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self.documents.pop(key, None)
