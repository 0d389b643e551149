"""Origins and redaction: which addresses may receive the LRS credentials, and keeping the
credentials out of every message the xapi commands print.

The credentials (Basic auth) belong to one origin, the endpoint's: scheme, host and port, as a
browser's same-origin rule has it. A redirect or a ``more`` link elsewhere never gets them.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from dataclasses import dataclass

DEFAULT_PORTS = {"http": 80, "https": 443}

# The password of a URL's userinfo (`//user:password@host`), up to the first `@` of the
# authority; what is left (`//user:***@host`) still says which key was used.
_USERINFO = re.compile(r"(?P<head>//[^/?#@\s:]*):[^/?#@\s]*@")

# Shorter passwords are not hidden as bare text: "***" in place of every "s" in a message
# would garble it; they are still hidden inside URLs and tokens.
MIN_BARE_SECRET = 4


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def origin(url: str) -> Origin | None:
    """The origin of an http(s) URL; None for anything else (no host, another scheme, a bad
    port), which is never the endpoint's origin."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return Origin(scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme])


def redact_url(text: str) -> str:
    """Every ``//user:password@`` in ``text`` as ``//user:***@``."""
    return _USERINFO.sub(r"\g<head>:***@", text)


def redact(text: str, user: str | None = None, password: str | None = None) -> str:
    """``text`` without the password: not in URLs, not as the Basic token, not bare."""
    text = redact_url(text)
    if password:
        pair = f"{user or ''}:{password}"
        token = base64.b64encode(pair.encode()).decode("ascii")
        text = text.replace(token, "***")
        if user:
            text = text.replace(pair, f"{user}:***")
        if len(password) >= MIN_BARE_SECRET:
            text = text.replace(password, "***")
    return text
