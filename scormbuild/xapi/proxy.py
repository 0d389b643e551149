"""Which HTTP proxy, if any, a request to the LRS goes through.

The environment's ``https_proxy`` / ``http_proxy`` (by the endpoint's scheme) and ``no_proxy``
are read with urllib's own functions (getproxies_environment: lower case first, HTTP_PROXY
ignored under CGI; proxy_bypass_environment: comma list, host suffixes, ``*``, ``host:port``),
so scormbuild reads them exactly as Python's urllib does. ``xapi --proxy URL`` replaces them
(every request goes through URL; no_proxy is not read), ``xapi --no-proxy`` ignores them.

Only ``http://`` proxies: an https endpoint is reached through a CONNECT tunnel, in which TLS
is verified against the LRS host; socks and ``https://`` proxies are refused with a sentence.
A proxy's ``user:password@`` becomes a Proxy-Authorization header for the proxy alone.
"""

from __future__ import annotations

import base64
import urllib.parse
import urllib.request
from dataclasses import dataclass

from scormbuild.problems import Refused
from scormbuild.xapi.urls import redact_url

DEFAULT_PROXY_PORT = 80  # as urllib and http.client have it for a proxy URL without a port


class ProxyError(Refused):
    """A proxy setting scormbuild cannot use (another scheme, no host, a bad port)."""


@dataclass(frozen=True)
class Proxy:
    """One http:// proxy, its credentials, and where the setting came from (for messages)."""

    host: str
    port: int
    user: str | None
    password: str | None
    source: str  # "https_proxy", "--proxy", ...

    def authorization(self) -> str | None:
        """The Proxy-Authorization value (Basic), or None without credentials."""
        if self.user is None:
            return None
        pair = f"{self.user}:{self.password or ''}"
        return "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    def bypass_hint(self) -> str:
        """How to go around this proxy, for a message."""
        if self.source == "--proxy":
            return "leave out --proxy if the LRS is reachable directly"
        return "add the LRS host to no_proxy if it is reachable directly"

    def __str__(self) -> str:
        """The proxy as a message names it: its address (no password) and its source."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        who = f"{self.user}:***@" if self.user is not None else ""
        return f"http://{who}{host}:{self.port} (from {self.source})"


def parse_proxy(url: str, source: str) -> Proxy:
    """An http:// proxy URL (``host:port`` alone means http://, as for curl and urllib)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    shown = redact_url(text)
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        raise ProxyError(f"proxy {shown!r} (from {source}) is not a URL such as "
                         "http://proxy.example.org:3128") from None
    scheme = parts.scheme.lower()
    if scheme != "http":
        raise ProxyError(
            f"proxy {shown!r} (from {source}): scormbuild uses http:// proxies only (https "
            f"LRSs through a CONNECT tunnel); {scheme}:// proxies are not supported")
    if not parts.hostname:
        raise ProxyError(f"proxy {shown!r} (from {source}) has no host; give it as "
                         "http://proxy.example.org:3128")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ProxyError(f"proxy {shown!r} (from {source}) has a path or query; a proxy is "
                         "only http://[user:password@]host:port")
    unquote = urllib.parse.unquote
    return Proxy(
        host=parts.hostname, port=port or DEFAULT_PROXY_PORT,
        user=None if parts.username is None else unquote(parts.username),
        password=None if parts.password is None else unquote(parts.password),
        source=source)


def _variable(scheme: str) -> str:
    return f"{scheme}_proxy"


@dataclass(frozen=True)
class ProxyChoice:
    """How the LRS is reached: ``proxies`` maps a scheme (and ``no`` for no_proxy) to a proxy
    URL, as urllib.request.getproxies_environment returns them; ``fixed`` is --proxy."""

    proxies: dict[str, str]
    fixed: str | None = None

    @classmethod
    def from_environment(cls) -> ProxyChoice:
        return cls(urllib.request.getproxies_environment())

    @classmethod
    def direct(cls) -> ProxyChoice:
        return cls({})

    @classmethod
    def given(cls, url: str) -> ProxyChoice:
        parse_proxy(url, "--proxy")  # refused now rather than at the first request
        return cls({}, fixed=url)

    def for_url(self, url: str) -> Proxy | None:
        """The proxy for a request to ``url`` (an http(s) URL), or None to connect directly."""
        if self.fixed is not None:
            return parse_proxy(self.fixed, "--proxy")
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        setting = self.proxies.get(scheme)
        if not setting:
            return None
        # urllib hands proxy_bypass the request's host as written (with its port, if any),
        # so a no_proxy entry may name a host, a domain suffix or host:port.
        host = parts.netloc.rpartition("@")[2]
        if urllib.request.proxy_bypass_environment(host, self.proxies):
            return None
        return parse_proxy(setting, _variable(scheme))

    def secrets(self) -> list[tuple[str, str]]:
        """Every (user, password) of the proxies this choice may use, to redact messages."""
        urls = [self.fixed] if self.fixed is not None else [
            v for k, v in self.proxies.items() if k != "no"]
        found = []
        for url in urls:
            try:
                proxy = parse_proxy(url, "")
            except ProxyError:
                continue
            if proxy.password:
                found.append((proxy.user or "", proxy.password))
        return found
