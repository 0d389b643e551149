"""``xapi ping | records`` through an HTTP proxy (tests/support/forward_proxy.py, 127.0.0.1
only) in front of the real LRS (npm xapi-statements) or a scripted one (tests/xapi/hostile.py).

The proxy connects every host name to 127.0.0.1, so an endpoint on ``lrs.proxy.test`` (which
resolves nowhere) can only be reached through it: a command that ignored the proxy fails.
https goes through a real CONNECT tunnel to a TLS front (a certificate made with the system's
openssl, trusted through SSL_CERT_FILE) before the LRS.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.build import cli, cli_env
from support.env import SAMPLE_COURSE, missing_tool
from support.forward_proxy import ForwardProxy, forward_proxy, tls_front

from tests.xapi.conftest import LrsServer
from tests.xapi.hostile import (
    SECRET,
    TOKEN,
    USER,
    Hostile,
    drip,
    flood,
    hostile_server,
    json_answer,
    redirect_to,
)
from tests.xapi.netutil import closed_port

PROXY_USER, PROXY_SECRET = "pxuser", "Pr0xy-Pass"
PROXY_TOKEN = base64.b64encode(f"{PROXY_USER}:{PROXY_SECRET}".encode()).decode()
PROXY_AUTH = f"Basic {PROXY_TOKEN}"
FAR = "lrs.proxy.test"  # resolves nowhere: reachable only through the proxy
EMPTY_PAGE = {"statements": [], "more": ""}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> Run:
    """The real command line with exactly these proxy variables (the others removed)."""
    clean = {k: v for k, v in cli_env().items() if not k.lower().endswith("_proxy")}
    started = time.monotonic()
    done = subprocess.run([*cli(), *args], env={**clean, **env}, capture_output=True,
                          text=True, timeout=timeout, check=False)
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def ping(endpoint: str, env: dict[str, str], *extra: str, group: tuple[str, ...] = ()) -> Run:
    return run(["xapi", *group, "ping", "--endpoint", endpoint, "--user", USER,
                "--password", SECRET, *extra], env)


def records(endpoint: str, out: Path, env: dict[str, str], *extra: str,
            activity: str = "https://courses.example.org/proxied") -> Run:
    return run(["xapi", "records", "--activity", activity, "--endpoint", endpoint,
                "--user", USER, "--password", SECRET, "-o", str(out), *extra], env)


def one_clean_line(result: Run) -> str:
    """Failed (exit 1) with one line on stderr, no traceback, no LRS or proxy secret."""
    assert result.returncode == 1, result
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    for secret in (SECRET, TOKEN, PROXY_SECRET, PROXY_TOKEN):
        assert secret not in text, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def far(port: int, path: str = "/xAPI/", scheme: str = "http") -> str:
    return f"{scheme}://{FAR}:{port}{path}"


def targets(proxy: ForwardProxy) -> list[tuple[str, str]]:
    return [(s.method, s.target) for s in proxy.seen]


@pytest.fixture()
def proxy() -> Iterator[ForwardProxy]:
    with forward_proxy() as running:
        yield running


# http through the proxy: absolute-URI requests -------------------------------------------------

def test_ping_goes_through_http_proxy(lrs: LrsServer, proxy: ForwardProxy):
    result = ping(far(lrs.port), {"http_proxy": proxy.url()})
    assert result.returncode == 0, result
    assert "OK:" in result.stdout
    seen = targets(proxy)
    assert [m for m, _ in seen] == ["GET", "PUT", "GET"]
    assert seen[0][1] == f"http://{FAR}:{lrs.port}/xAPI/about"
    assert all(t.startswith(f"http://{FAR}:{lrs.port}/xAPI/statements?statementId=")
               for _, t in seen[1:])
    # The LRS credentials travel to the LRS (through the proxy), as they did direct.
    assert {s.headers.get("authorization") for s in proxy.seen} == {f"Basic {TOKEN}"}


def test_records_goes_through_http_proxy(lrs: LrsServer, proxy: ForwardProxy, tmp_path: Path):
    out = tmp_path / "roster.csv"
    result = records(far(lrs.port), out, {"HTTP_PROXY": proxy.url()})
    assert result.returncode == 0, result
    assert out.read_bytes().startswith(b"name,identifier,registration")
    (method, target), = targets(proxy)
    assert method == "GET"
    assert target.startswith(f"http://{FAR}:{lrs.port}/xAPI/statements?activity=")


@pytest.mark.parametrize("command", ["item-analysis", "seat-time"])
def test_ce_evidence_reports_go_through_http_proxy(command: str, lrs: LrsServer,
                                                   proxy: ForwardProxy, tmp_path: Path):
    result = run(["xapi", command, str(SAMPLE_COURSE), "--endpoint", far(lrs.port),
                  "--user", USER, "--password", SECRET, "--format", "csv",
                  "-o", str(tmp_path / "report.csv")], {"http_proxy": proxy.url()})
    assert result.returncode == 0, result
    (method, target), = targets(proxy)
    assert method == "GET"
    assert target.startswith(f"http://{FAR}:{lrs.port}/xAPI/statements?activity=")


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "{port}", "*", "example.org, 127.0.0.1",
                                      "NO_PROXY=127.0.0.1"])
def test_no_proxy_matching_the_lrs_connects_directly(no_proxy: str, lrs: LrsServer,
                                                     tmp_path: Path):
    name, value = "no_proxy", no_proxy
    if no_proxy.startswith("NO_PROXY="):
        name, value = no_proxy.split("=", 1)
    value = value.replace("{port}", f"127.0.0.1:{lrs.port}")
    with forward_proxy(refuse=502) as refusing:
        env = {"http_proxy": refusing.url(), name: value}
        result = ping(lrs.endpoint, env)
        out = tmp_path / "roster.csv"
        listed = records(lrs.endpoint, out, env)
    assert result.returncode == 0, result
    assert listed.returncode == 0, listed
    assert refusing.seen == []


@pytest.mark.parametrize("no_proxy", ["127.0.0.1:1", "example.org", "0.0.0.1.example"])
def test_no_proxy_not_matching_the_lrs_uses_the_proxy(no_proxy: str, lrs: LrsServer,
                                                      proxy: ForwardProxy):
    result = ping(lrs.endpoint, {"http_proxy": proxy.url(), "no_proxy": no_proxy})
    assert result.returncode == 0, result
    assert [m for m, _ in targets(proxy)] == ["GET", "PUT", "GET"]
    assert targets(proxy)[0][1] == f"{lrs.endpoint}about"


def test_no_proxy_is_a_host_suffix(proxy: ForwardProxy):
    # proxy.test covers lrs.proxy.test: no proxy, so the name does not resolve (direct).
    result = ping(far(closed_port()), {"http_proxy": proxy.url(), "no_proxy": ".proxy.test"})
    line = one_clean_line(result)
    assert proxy.seen == []
    assert f"cannot talk to http://{FAR}" in line and "proxy" not in line.replace(FAR, "")


def test_lower_case_wins_and_a_proxy_needs_no_scheme(lrs: LrsServer, proxy: ForwardProxy):
    """As urllib: http_proxy over HTTP_PROXY; ``host:port`` alone is an http:// proxy."""
    dead = f"http://127.0.0.1:{closed_port()}"
    result = ping(far(lrs.port), {"HTTP_PROXY": dead, "http_proxy": f"127.0.0.1:{proxy.port}"})
    assert result.returncode == 0, result
    assert len(proxy.seen) == 3


def test_the_https_proxy_is_not_used_for_http(lrs: LrsServer, proxy: ForwardProxy):
    result = ping(lrs.endpoint, {"https_proxy": proxy.url()})
    assert result.returncode == 0, result
    assert proxy.seen == []


# Proxy credentials ---------------------------------------------------------------------------

def _empty_lrs(seen: object, conn: object, server: Hostile) -> None:
    conn.sendall(json_answer(EMPTY_PAGE))  # type: ignore[attr-defined]


def test_proxy_credentials_reach_the_proxy_and_never_the_lrs(tmp_path: Path):
    userinfo = f"{PROXY_USER}:{PROXY_SECRET}@"
    with hostile_server(_empty_lrs) as lrs, forward_proxy(require_auth=PROXY_AUTH) as proxy:
        result = records(far(lrs.port), tmp_path / "r.csv", {"http_proxy": proxy.url(userinfo)})
        # The same settings with no_proxy matching: direct, and no Proxy-Authorization.
        direct = records(lrs.url(), tmp_path / "d.csv",
                         {"http_proxy": proxy.url(userinfo), "no_proxy": "127.0.0.1"})
    assert result.returncode == 0, result
    assert direct.returncode == 0, direct
    assert [s.headers.get("proxy-authorization") for s in proxy.seen] == [PROXY_AUTH]
    assert len(lrs.seen) == 2
    for seen in lrs.seen:
        assert "proxy-authorization" not in seen.headers
        assert PROXY_TOKEN not in str(seen) and PROXY_SECRET not in str(seen)
        assert seen.headers["authorization"] == f"Basic {TOKEN}"


@pytest.mark.parametrize("userinfo", ["", f"{PROXY_USER}:wrong-pass@"], ids=["none", "wrong"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_wanting_credentials_is_one_line(scheme: str, userinfo: str):
    with forward_proxy(require_auth=PROXY_AUTH) as proxy:
        result = ping(far(443, scheme=scheme), {f"{scheme}_proxy": proxy.url(userinfo)})
    line = one_clean_line(result)
    assert "wrong-pass" not in line
    shown = proxy.url(f"{PROXY_USER}:***@" if userinfo else "")
    assert f"the proxy {shown} (from {scheme}_proxy)" in line
    assert "HTTP 407" in line
    assert ("check the user and password" if userinfo else "give them in the proxy URL") in line
    [seen] = proxy.seen
    assert (seen.method, seen.target) == (
        ("CONNECT", f"{FAR}:443") if scheme == "https" else ("GET", far(443) + "about"))


# A refusing or dead proxy ----------------------------------------------------------------------

@pytest.mark.parametrize(("status", "hint"), [
    (403, "refuses to connect to lrs.proxy.test:443"),
    (502, "could not reach lrs.proxy.test:443"),
])
def test_a_proxy_refusing_connect_is_one_line(status: int, hint: str):
    with forward_proxy(refuse=status) as proxy:
        result = ping(far(443, scheme="https"),
                      {"https_proxy": proxy.url(f"{PROXY_USER}:{PROXY_SECRET}@")})
    line = one_clean_line(result)
    assert line.startswith("FAILED: GET https://lrs.proxy.test:443/xAPI/about: the proxy "
                           f"http://{PROXY_USER}:***@127.0.0.1:{proxy.port} (from https_proxy)")
    assert f"HTTP {status}" in line and hint in line
    assert targets(proxy) == [("CONNECT", f"{FAR}:443")]


@pytest.mark.parametrize("command", ["ping", "records"])
@pytest.mark.parametrize(("scheme", "status"), [("http", 502), ("http", 500), ("https", 502)])
def test_a_proxy_echoing_its_credentials_does_not_get_them_printed(scheme: str, status: int,
                                                                   command: str,
                                                                   tmp_path: Path):
    """The refusal's reason phrase (CONNECT, or the proxy's own 502) and, for an http 500,
    its body (shown as the LRS's error text) quote Proxy-Authorization."""
    with forward_proxy(refuse=status, echo=True) as proxy:
        env = {f"{scheme}_proxy": proxy.url(f"{PROXY_USER}:{PROXY_SECRET}@")}
        endpoint = far(443, scheme=scheme)
        result = (ping(endpoint, env) if command == "ping"
                  else records(endpoint, tmp_path / "r.csv", env))
    line = one_clean_line(result)  # no proxy password, no proxy token
    assert f"HTTP {status}" in line and "***" in line
    if status == 502:
        assert f"the proxy http://{PROXY_USER}:***@127.0.0.1:{proxy.port} " \
               f"(from {scheme}_proxy)" in line and "could not reach lrs.proxy.test:443" in line
    else:
        assert "you sent Proxy-Authorization: Basic ***" in line
    assert proxy.seen[0].headers["proxy-authorization"] == PROXY_AUTH


@pytest.mark.parametrize("command", ["ping", "records"])
def test_a_dead_proxy_is_one_line(command: str, tmp_path: Path):
    port = closed_port()
    env = {"http_proxy": f"http://{PROXY_USER}:{PROXY_SECRET}@127.0.0.1:{port}"}
    out = tmp_path / "r.csv"
    result = ping(far(80), env) if command == "ping" else records(far(80), out, env)
    line = one_clean_line(result)
    assert (f"cannot connect to the proxy http://{PROXY_USER}:***@127.0.0.1:{port} "
            "(from http_proxy)") in line
    assert "refused" in line.lower() and "check the proxy's address and port" in line
    assert not out.exists()


@pytest.mark.parametrize("setting", ["socks5://127.0.0.1:1080", "socks5h://u:pw12345@h:1",
                                     "https://proxy.example.org:3128"])
def test_only_http_proxies_are_used(setting: str):
    result = ping(far(443, scheme="https"), {"https_proxy": setting})
    line = one_clean_line(result)
    scheme = setting.split(":")[0]
    assert f"{scheme}:// proxies are not supported" in line and "http:// proxies only" in line
    assert "pw12345" not in line


# --proxy and --no-proxy -------------------------------------------------------------------------

def test_no_proxy_option_connects_directly(lrs: LrsServer):
    dead = f"http://127.0.0.1:{closed_port()}"
    result = ping(lrs.endpoint, {"http_proxy": dead}, group=("--no-proxy",))
    assert result.returncode == 0, result


def test_proxy_option_replaces_the_environment(lrs: LrsServer, proxy: ForwardProxy):
    dead = f"http://127.0.0.1:{closed_port()}"
    result = ping(far(lrs.port), {"http_proxy": dead, "no_proxy": "*"},
                  group=("--proxy", proxy.url()))
    assert result.returncode == 0, result
    assert len(proxy.seen) == 3


def test_proxy_option_refuses_another_scheme():
    result = ping(far(443), {}, group=("--proxy", f"socks5://u:{PROXY_SECRET}@h:1"))
    assert result.returncode == 2
    assert "socks5:// proxies are not supported" in result.stderr
    assert PROXY_SECRET not in result.stderr and "Traceback" not in result.stderr


# The hardening holds through the proxy ----------------------------------------------------------

@pytest.mark.parametrize("command", ["ping", "records"])
def test_a_redirect_to_another_origin_is_refused_through_the_proxy(command: str,
                                                                   proxy: ForwardProxy,
                                                                   tmp_path: Path):
    with hostile_server(_empty_lrs) as thief:
        stolen = f"http://127.0.0.1:{thief.port}/steal"
        with hostile_server(redirect_to(stolen)) as lrs:
            env = {"http_proxy": proxy.url()}
            out = tmp_path / "r.csv"
            result = ping(far(lrs.port), env) if command == "ping" else records(
                far(lrs.port), out, env)
    assert thief.seen == []
    assert len(lrs.seen) == 1 and len(proxy.seen) == 1
    line = one_clean_line(result)
    assert "another origin" in line and f"http://{FAR}:{lrs.port}" in line
    assert not out.exists()


def test_a_redirect_on_the_endpoints_origin_is_followed_through_the_proxy(
        proxy: ForwardProxy, tmp_path: Path):
    def respond(seen: object, conn: object, server: Hostile) -> None:
        target = seen.target  # type: ignore[attr-defined]
        if target.startswith("/old/"):
            conn.sendall(b"HTTP/1.1 301 X\r\nContent-Length: 0\r\nConnection: close\r\n"  # type: ignore[attr-defined]
                         b"Location: /xAPI/" + target[len("/old/"):].encode() + b"\r\n\r\n")
        else:
            conn.sendall(json_answer(EMPTY_PAGE))  # type: ignore[attr-defined]

    with hostile_server(respond) as lrs:
        result = records(far(lrs.port, "/old/"), tmp_path / "r.csv",
                         {"http_proxy": proxy.url()})
    assert result.returncode == 0, result
    paths = [urllib.parse.urlsplit(t).path for _, t in targets(proxy)]
    assert paths == ["/old/statements", "/xAPI/statements"]
    assert all(t.startswith(f"http://{FAR}:{lrs.port}/") for _, t in targets(proxy))


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_deadline_holds_through_the_proxy(scheme: str, tmp_path: Path):
    """http: the LRS behind the proxy drips its answer; https: the proxy never answers
    the CONNECT (a scripted server plays the proxy)."""
    drip_answer = drip(b"HTTP/1.1 200 OK\r\nX-Drip: ", every=0.5)
    with hostile_server(drip_answer) as slow, forward_proxy() as proxy:
        if scheme == "http":
            env, endpoint = {"http_proxy": proxy.url()}, far(slow.port)
        else:
            env, endpoint = {"https_proxy": slow.url("")}, far(443, scheme="https")
        result = ping(endpoint, env, "--timeout", "2")
    assert result.seconds < 6, result
    line = one_clean_line(result)
    assert "no answer" in line and "within 2 s" in line and "through the proxy" in line
    if scheme == "https":
        assert slow.seen[0].method == "CONNECT" and slow.seen[0].target == f"{FAR}:443"


def test_the_size_limit_holds_through_the_proxy(proxy: ForwardProxy):
    with hostile_server(flood(8 << 20, declare_length=False)) as lrs:
        result = ping(far(lrs.port), {"http_proxy": proxy.url()})
    line = one_clean_line(result)
    assert "larger than 1 MiB" in line


# https: CONNECT tunnel, TLS checked against the LRS host -------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for lrs.proxy.test (and the key), trusted by the commands
    through SSL_CERT_FILE."""
    openssl = shutil.which("openssl")
    if openssl is None:
        missing_tool("openssl not found on PATH")
    work = tmp_path_factory.mktemp("tls")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", f"/CN={FAR}", "-addext", f"subjectAltName=DNS:{FAR}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _tls_env(cert: Path, proxy_url: str) -> dict[str, str]:
    return {"https_proxy": proxy_url, "SSL_CERT_FILE": str(cert),
            "SSL_CERT_DIR": os.devnull}


def test_https_goes_through_a_connect_tunnel(lrs: LrsServer, certificate: tuple[Path, Path],
                                             tmp_path: Path):
    cert, key = certificate
    activity = f"https://courses.example.org/tunnel-{uuid.uuid4().hex[:8]}"
    with tls_front(str(cert), str(key), lrs.port) as front, forward_proxy() as proxy:
        endpoint = far(front.port, scheme="https")
        env = _tls_env(cert, proxy.url())
        result = ping(endpoint, env)
        listed = records(endpoint, tmp_path / "r.csv", env, activity=activity)
    assert result.returncode == 0, result
    assert listed.returncode == 0, listed
    # One CONNECT per request, to the LRS host (never resolved locally) and port; nothing else
    # and no LRS credentials in the clear.
    assert targets(proxy) == [("CONNECT", f"{FAR}:{front.port}")] * 4
    assert all("authorization" not in s.headers for s in proxy.seen)


def test_https_tls_is_checked_against_the_lrs_host(lrs: LrsServer,
                                                   certificate: tuple[Path, Path]):
    cert, key = certificate
    with tls_front(str(cert), str(key), lrs.port) as front, forward_proxy() as proxy:
        result = ping(f"https://other.proxy.test:{front.port}/xAPI/",
                      _tls_env(cert, proxy.url()))
    line = one_clean_line(result)
    assert "certificate verify failed" in line and "other.proxy.test" in line
    assert targets(proxy) == [("CONNECT", f"other.proxy.test:{front.port}")]


def test_proxy_credentials_go_in_connect_only(certificate: tuple[Path, Path], tmp_path: Path):
    cert, key = certificate
    with hostile_server(_empty_lrs) as lrs, \
            tls_front(str(cert), str(key), lrs.port) as front, \
            forward_proxy(require_auth=PROXY_AUTH) as proxy:
        result = records(far(front.port, scheme="https"), tmp_path / "r.csv",
                         _tls_env(cert, proxy.url(f"{PROXY_USER}:{PROXY_SECRET}@")))
    assert result.returncode == 0, result
    [connect] = proxy.seen
    assert (connect.method, connect.target) == ("CONNECT", f"{FAR}:{front.port}")
    assert connect.headers.get("proxy-authorization") == PROXY_AUTH
    assert "authorization" not in connect.headers  # the LRS's goes inside the tunnel only
    [inside] = lrs.seen  # what the LRS read inside the tunnel
    assert inside.headers["host"] == f"{FAR}:{front.port}"
    assert inside.headers["authorization"] == f"Basic {TOKEN}"
    assert "proxy-authorization" not in inside.headers
