"""``xapi ping | records | launch-url`` against hostile servers and packages: the credentials
never leave the endpoint's origin (redirects, ``more`` links, launch addresses), no message
shows the password, answers and tincan.xml are read with a size limit, and every request has a
total deadline. Real command line, real sockets, 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import socket
import time
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.build import cli, cli_env
from support.peak import run_measured

from scormbuild.xapi.urls import origin, redact
from tests.xapi.hostile import (
    SECRET,
    TOKEN,
    USER,
    Hostile,
    Seen,
    answer,
    drip,
    flood,
    hostile_server,
    json_answer,
    redirect_to,
)
from tests.xapi.netutil import closed_port

ACTIVITY = "https://courses.example.org/hostile"
# A generous ceiling: the command itself needs about 40 MB; the unbounded reads it replaces
# took several times the flood below.
MAX_RSS_MB = 150
FLOOD = 400 << 20


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run(*args: str | Path, timeout: float = 60) -> Run:
    """The real command line; its own peak RSS is measured apart from the test process's
    (support.peak: only that command, not the LRS or pytest itself)."""
    started = time.monotonic()
    result = run_measured([*cli(), *map(str, args)], env=cli_env(), timeout=timeout)
    return Run(result.returncode, result.stdout, result.stderr, time.monotonic() - started,
               result.peak_bytes / (1 << 20))


def ping(endpoint: str, *extra: str) -> Run:
    return run("xapi", "ping", "--endpoint", endpoint, "--user", USER, "--password", SECRET,
               *extra)


def records(endpoint: str, out: Path, *extra: str) -> Run:
    return run("xapi", "records", "--activity", ACTIVITY, "--endpoint", endpoint,
               "--user", USER, "--password", SECRET, "-o", out, *extra)


def one_clean_line(result: Run) -> str:
    """The command failed with one line on stderr, no traceback, no secret."""
    assert result.returncode == 1, result
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert SECRET not in text and TOKEN not in text
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# Origins: redirects and `more` links -----------------------------------------------------------

def test_origin_is_scheme_host_and_port():
    assert origin("http://127.0.0.1/x") == origin("HTTP://127.0.0.1:80/y?z")
    assert origin("http://127.0.0.1:8080/") != origin("http://127.0.0.1:8081/")
    assert origin("https://lrs.example.org/") != origin("http://lrs.example.org:443/")
    assert origin("javascript:alert(1)") is None and origin("/relative") is None


@pytest.mark.parametrize("userinfo", ["", f"evil:{SECRET}@"], ids=["plain", "userinfo"])
@pytest.mark.parametrize("command", ["ping", "records"])
def test_a_redirect_to_another_port_gets_no_credentials(command: str, userinfo: str,
                                                        tmp_path: Path):
    with hostile_server(lambda seen, conn, server: conn.sendall(answer(200, b"{}"))) as thief:
        stolen = f"http://{userinfo}127.0.0.1:{thief.port}/steal"
        with hostile_server(redirect_to(stolen)) as lrs:
            out = tmp_path / "roster.csv"
            result = ping(lrs.url()) if command == "ping" else records(lrs.url(), out)
    assert [s.headers.get("authorization") for s in thief.seen] == []
    assert len(lrs.seen) == 1 and lrs.seen[0].headers["authorization"] == f"Basic {TOKEN}"
    line = one_clean_line(result)
    assert "another origin" in line
    assert ("evil:***@" in line) == bool(userinfo)
    assert not out.exists()


def test_a_redirect_on_the_endpoints_origin_is_followed(tmp_path: Path):
    def respond(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        if seen.target.startswith("/old/"):
            new = "/xAPI/" + seen.target[len("/old/"):]
            conn.sendall(answer(301, b"", f"Location: {new}"))
        else:
            conn.sendall(json_answer({"statements": [], "more": ""}))

    with hostile_server(respond) as lrs:
        out = tmp_path / "roster.csv"
        result = records(lrs.url("/old/"), out)
    assert result.returncode == 0, result.stderr
    assert [urllib.parse.urlsplit(s.target).path for s in lrs.seen] == [
        "/old/statements", "/xAPI/statements"]
    assert all(s.headers["authorization"] == f"Basic {TOKEN}" for s in lrs.seen)
    assert out.read_text(encoding="utf-8").startswith("name,identifier,")


def moved_lrs(status: int):
    """A tiny LRS under /xAPI/ that moved from /old/ (``status`` redirects); it keeps the PUT
    statement and gives it back."""
    stored: dict[str, bytes] = {}

    def respond(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        if seen.target.startswith("/old/"):
            conn.sendall(answer(status, b"", f"Location: /xAPI/{seen.target[len('/old/'):]}"))
        elif seen.target == "/xAPI/about":
            conn.sendall(json_answer({"version": ["1.0.3"]}))
        elif seen.method == "PUT":
            stored["statement"] = seen.body
            conn.sendall(answer(204, b""))
        else:
            conn.sendall(answer(200, stored.get("statement", b"{}")))
    return respond


def test_a_put_is_redirected_with_its_body_on_the_same_origin():
    with hostile_server(moved_lrs(307)) as lrs:
        result = ping(lrs.url("/old/"))
    assert result.returncode == 0, result.stderr
    assert [(s.method, urllib.parse.urlsplit(s.target).path) for s in lrs.seen] == [
        ("GET", "/old/about"), ("GET", "/xAPI/about"),
        ("PUT", "/old/statements"), ("PUT", "/xAPI/statements"),
        ("GET", "/old/statements"), ("GET", "/xAPI/statements")]
    assert lrs.seen[3].body == lrs.seen[2].body != b""


def test_a_put_redirected_as_a_get_is_refused():
    with hostile_server(moved_lrs(302)) as lrs:
        result = ping(lrs.url("/old/"))
    line = one_clean_line(result)
    assert "PUT http://127.0.0.1" in line and "would turn the PUT into a GET" in line
    assert [s.method for s in lrs.seen].count("PUT") == 1


def test_a_redirect_loop_ends_with_one_sentence():
    with hostile_server(redirect_to("/xAPI/about")) as lrs:
        result = ping(lrs.url())
    assert "more than 5 redirects" in one_clean_line(result)
    assert len(lrs.seen) == 6


def test_a_more_link_to_another_origin_is_not_followed(tmp_path: Path):
    with hostile_server(lambda seen, conn, server: conn.sendall(answer(200, b"{}"))) as thief:
        page = {"statements": [], "more": f"//127.0.0.1:{thief.port}/xAPI/statements?p=2"}
        with hostile_server(lambda s, conn, server: conn.sendall(json_answer(page))) as lrs:
            out = tmp_path / "roster.csv"
            result = records(lrs.url(), out)
    assert thief.seen == []
    assert len(lrs.seen) == 1
    line = one_clean_line(result)
    assert "`more` link" in line and "another origin" in line
    assert not out.exists()


# Redaction ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["ping", "records"])
def test_a_password_in_the_endpoint_is_never_printed(command: str, tmp_path: Path):
    endpoint = f"http://{USER}:{SECRET}@127.0.0.1:{closed_port()}/xAPI/"
    result = (ping(endpoint) if command == "ping"
              else records(endpoint, tmp_path / "roster.csv"))
    line = one_clean_line(result)
    assert f"{USER}:***@127.0.0.1" in line


def test_an_lrs_echoing_the_credentials_does_not_get_them_printed():
    def echo(seen: Seen, conn: socket.socket, server: Hostile) -> None:
        auth = seen.headers.get("authorization", "")
        pair = base64.b64decode(auth.split(" ")[-1]).decode()
        conn.sendall(answer(500, f"denied {auth} for {pair} ({pair.split(':')[1]})".encode()))

    with hostile_server(echo) as lrs:
        result = ping(lrs.url())
    line = one_clean_line(result)
    assert "HTTP 500 denied Basic *** for key:*** (***)" in line


def test_redact_hides_urls_tokens_and_the_password():
    text = f"http://u:{SECRET}@h/ Basic {TOKEN} {USER}:{SECRET} {SECRET}"
    assert redact(text, USER, SECRET) == "http://u:***@h/ Basic *** key:*** ***"
    assert redact("s and s", "k", "s") == "s and s"  # too short to hide as bare text


# Size limits -----------------------------------------------------------------------------------

@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "streamed"])
def test_a_huge_about_answer_is_refused_in_bounded_memory(declare_length: bool):
    with hostile_server(flood(FLOOD, declare_length)) as lrs:
        result = ping(lrs.url())
    assert result.max_rss_mb < MAX_RSS_MB, result
    line = one_clean_line(result)
    assert "GET http://127.0.0.1" in line and "larger than 1 MiB" in line


def test_a_huge_statements_page_is_refused_in_bounded_memory(tmp_path: Path):
    out = tmp_path / "roster.csv"
    with hostile_server(flood(FLOOD, declare_length=False)) as lrs:
        result = records(lrs.url(), out)
    assert result.max_rss_mb < MAX_RSS_MB, result
    assert "larger than 32 MiB" in one_clean_line(result)
    assert not out.exists()


TINCAN = """<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
<activity id="https://courses.example.org/hostile"
          type="http://adlnet.gov/expapi/activities/course">
<name lang="en-US">Hostile</name><launch lang="en-US">{href}</launch>
</activity>{padding}</activities></tincan>
"""


def tincan_zip(path: Path, href: str, padding: int = 0) -> Path:
    """A Tin Can package with this launch address; ``padding`` spaces inside the document
    (still well-formed XML), streamed into the zip so the test never holds them."""
    head, tail = TINCAN.format(href=href, padding="\0").split("\0")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("tincan.xml", "w", force_zip64=True) as entry:
            entry.write(head.encode())
            chunk = b" " * (1 << 20)
            for start in range(0, padding, len(chunk)):
                entry.write(chunk[: padding - start])
            entry.write(tail.encode())
        archive.writestr("index.html", "<!doctype html><title>x</title>")
    return path


def launch(package: Path, *extra: str) -> Run:
    return run("xapi", "launch-url", package, "--endpoint", "http://127.0.0.1:9/xAPI/",
               "--user", USER, "--password", SECRET, "--actor-email", "ann@example.org",
               "--registration", "2b8d5f2c-1f67-4a39-9c39-3cf1f2d4c0aa", *extra)


def test_a_huge_tincan_xml_is_refused_in_bounded_memory(tmp_path: Path):
    package = tincan_zip(tmp_path / "bomb.zip", "index.html", padding=200 << 20)
    assert package.stat().st_size < 2 << 20
    result = launch(package)
    assert result.max_rss_mb < MAX_RSS_MB, result
    line = one_clean_line(result)
    assert "tincan.xml" in line and "at most 16 MiB" in line
    assert result.stdout == ""


# Launch addresses ----------------------------------------------------------------------------

@pytest.mark.parametrize("href", [
    "http://127.0.0.1:{port}/steal",
    "//127.0.0.1:{port}/steal",
    "HTTPS://127.0.0.1:{port}/steal",
    "\\\\127.0.0.1:{port}\\steal",
    "ht\ttp://127.0.0.1:{port}/steal",
])
def test_launch_url_refuses_an_absolute_launch_address(href: str, tmp_path: Path):
    href = href.format(port=closed_port())
    package = tincan_zip(tmp_path / "remote.zip", href)
    result = launch(package, "--base-url", "http://127.0.0.1:8000/course/")
    line = one_clean_line(result)
    assert "tincan.xml launches" in line
    assert result.stdout == ""


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd", "data:,x"])
def test_launch_url_never_launches_another_scheme(href: str, tmp_path: Path):
    package = tincan_zip(tmp_path / "scheme.zip", href)
    result = launch(package, "--allow-absolute-launch")
    assert "only a relative path or an http(s) address" in one_clean_line(result)
    assert result.stdout == ""


def test_launch_url_uses_an_absolute_address_only_when_allowed(tmp_path: Path):
    href = f"http://127.0.0.1:{closed_port()}/remote/index.html"
    package = tincan_zip(tmp_path / "remote.zip", href)
    result = launch(package, "--base-url", "http://127.0.0.1:8000/", "--allow-absolute-launch")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith(href + "?endpoint=")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert params["auth"] == f"Basic {TOKEN}"
    assert "the credentials in the URL go there" in result.stderr
    assert SECRET not in result.stderr and TOKEN not in result.stderr


@pytest.mark.parametrize(("href", "address", "fragment"), [
    ("index.html", "http://127.0.0.1:8000/course/index.html?endpoint=", ""),
    ("../other/start.html", "http://127.0.0.1:8000/other/start.html?endpoint=", ""),
    ("/top.html", "http://127.0.0.1:8000/top.html?endpoint=", ""),
    ("index.html?mode=a#start", "http://127.0.0.1:8000/course/index.html?mode=a&endpoint=",
     "#start"),
])
def test_a_relative_launch_file_stays_on_the_base_urls_origin(href: str, address: str,
                                                              fragment: str, tmp_path: Path):
    package = tincan_zip(tmp_path / "ok.zip", href)
    result = launch(package, "--base-url", "http://127.0.0.1:8000/course")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith(address) and url.endswith(fragment)
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert params["auth"] == f"Basic {TOKEN}"
    assert params["activity_id"] == ACTIVITY


# Deadlines -------------------------------------------------------------------------------------

DRIPS = {
    "status line": b"HTTP/1.1 200 OK\r\nX-Drip: ",
    "body": b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n{",
}


@pytest.mark.parametrize("phase", list(DRIPS))
@pytest.mark.parametrize("command", ["ping", "records"])
def test_a_dripping_server_cannot_outlast_the_timeout(command: str, phase: str,
                                                      tmp_path: Path):
    with hostile_server(drip(DRIPS[phase], every=0.5)) as lrs:
        result = (ping(lrs.url(), "--timeout", "2") if command == "ping"
                  else records(lrs.url(), tmp_path / "r.csv", "--timeout", "2"))
    # 2 s of dripping plus the start of a Python process on a busy machine.
    assert result.seconds < 5, result
    line = one_clean_line(result)
    assert "no answer" in line and "within 2 s" in line
