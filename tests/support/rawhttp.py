"""Reading one HTTP request head off a raw socket, for the test servers that must misbehave
on purpose (tests/xapi/hostile.py) or speak the proxy protocol (forward_proxy.py), which
http.server would not let them do."""

from __future__ import annotations

import socket
from dataclasses import dataclass

MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class RequestHead:
    method: str
    target: str
    headers: dict[str, str]  # names lower-cased
    rest: bytes  # what came after the head (the start of the body)


def read_head(conn: socket.socket) -> RequestHead | None:
    """The request line and headers, or None when the peer closed or sent more than
    MAX_HEAD bytes without ending its head."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = (lines[0].split(" ") + ["", "", ""])[:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RequestHead(method, target, headers, rest)
