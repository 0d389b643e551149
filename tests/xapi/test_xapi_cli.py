"""``scormbuild xapi activities | ping | launch-url`` as LRS admins meet them: the real command
line, exit 0 on success, exit 1 with one clear sentence (never a traceback) otherwise.
Every network test talks to 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from scormbuild.build import compile_course
from scormbuild.xapi.activities import course_activities
from tests.helpers import SAMPLE, run_cli
from tests.xapi.netutil import closed_port


def _without_base(tmp_path: Path) -> Path:
    copy = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = copy / "course.yaml"
    lines = course_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    course_yaml.write_text("".join(ln for ln in lines if not ln.startswith("xapi_base:")),
                           encoding="utf-8")
    return copy


@pytest.mark.parametrize("command", ["", "activities", "ping", "launch-url", "records"])
def test_help(command: str):
    result = run_cli("xapi", *([command] if command else []), "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_activities_prints_the_definitions_as_json():
    result = run_cli("xapi", "activities", SAMPLE)
    assert result.returncode == 0, result.stderr
    compiled = compile_course(SAMPLE)
    expected = course_activities(compiled.course, compiled.rendered).as_json()
    assert json.loads(result.stdout) == expected
    assert expected["activities"][0]["id"] == "https://courses.example.org/sample-course"


def test_activities_writes_a_file_with_o(tmp_path: Path):
    out = tmp_path / "activities.json"
    result = run_cli("xapi", "activities", SAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert f"wrote {out} ({len(data['activities'])} activities)" in result.stderr


def test_activities_without_xapi_base_says_what_to_add(tmp_path: Path):
    src = _without_base(tmp_path)
    result = run_cli("xapi", "activities", src)
    assert result.returncode == 1
    assert f"{src / 'course.yaml'}:" in result.stderr
    assert "add xapi_base: https://... to course.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_ping_succeeds_against_the_lrs_and_its_statement_is_there(lrs):
    result = run_cli("xapi", "ping", "--endpoint", lrs.endpoint, "--user", "k",
                     "--password", "s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "xAPI 1.0.3" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("OK: ")
    statement_id = re.search(r"test statement ([0-9a-f-]{36}) read back", result.stdout)
    assert statement_id, result.stdout
    stored = lrs.get("statements", f"statementId={statement_id.group(1)}")
    assert stored["actor"]["mbox"] == "mailto:xapi-ping@scormbuild.invalid"


def test_ping_accepts_the_endpoint_without_its_trailing_slash(lrs):
    result = run_cli("xapi", "ping", "--endpoint", lrs.endpoint.rstrip("/"), "--user", "k",
                     "--password", "s")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ping_fails_clearly_against_a_closed_port():
    port = closed_port()
    started = time.monotonic()
    result = run_cli("xapi", "ping", "--endpoint", f"http://127.0.0.1:{port}/xAPI/",
                     "--user", "k", "--password", "s")
    assert result.returncode == 1
    assert "FAILED" in result.stderr
    assert "connection refused" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert time.monotonic() - started < 30


def test_ping_fails_clearly_when_the_endpoint_is_not_the_xapi_root(lrs):
    result = run_cli("xapi", "ping", "--endpoint", f"http://127.0.0.1:{lrs.port}/nothing/",
                     "--user", "k", "--password", "s")
    assert result.returncode == 1
    assert "404" in result.stderr and "xAPI root" in result.stderr
    assert "Traceback" not in result.stderr


def test_ping_times_out_on_a_silent_server():
    # A listening socket that never accepts: the connection opens, no answer ever comes.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]
        result = run_cli("xapi", "ping", "--endpoint", f"http://127.0.0.1:{port}/xAPI/",
                         "--user", "k", "--password", "s", "--timeout", "0.5")
    assert result.returncode == 1
    assert "no answer" in result.stderr and "0.5 s" in result.stderr
    assert "Traceback" not in result.stderr


def test_ping_refuses_a_non_http_endpoint():
    result = run_cli("xapi", "ping", "--endpoint", "lrs.example.org", "--user", "k",
                     "--password", "s")
    assert result.returncode == 1
    assert "not an http(s) URL" in result.stderr


@pytest.fixture(scope="module")
def xapi_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xapi-dist")
    result = run_cli("build", SAMPLE, "-o", out, "-t", "xapi")
    assert result.returncode == 0, result.stderr
    (zip_path,) = out.glob("*-xapi.zip")
    return zip_path


def test_launch_url_carries_every_parameter_url_encoded(xapi_zip: Path):
    registration = str(uuid.uuid4())
    result = run_cli("xapi", "launch-url", xapi_zip, "--endpoint", "http://127.0.0.1:9/xAPI",
                     "--user", "key", "--password", "s3cret &=?", "--actor-email",
                     "ann@example.org", "--actor-name", "Ann O'Learner",
                     "--registration", registration, "--base-url", "http://127.0.0.1:8000/c")
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://127.0.0.1:8000/c/index.html"
    assert " " not in url and "+" not in parts.query
    params = dict(urllib.parse.parse_qsl(parts.query, strict_parsing=True))
    assert params["endpoint"] == "http://127.0.0.1:9/xAPI/"
    assert params["auth"] == "Basic " + base64.b64encode(b"key:s3cret &=?").decode()
    assert json.loads(params["actor"]) == {"objectType": "Agent", "name": "Ann O'Learner",
                                           "mbox": "mailto:ann@example.org"}
    assert params["registration"] == registration
    assert params["activity_id"] == "https://courses.example.org/sample-course"


def test_launch_url_makes_a_registration_when_none_is_given(xapi_zip: Path):
    result = run_cli("xapi", "launch-url", xapi_zip, "--endpoint", "http://127.0.0.1:9/xAPI/",
                     "--user", "k", "--password", "p", "--actor-email", "ann@example.org")
    assert result.returncode == 0, result.stderr
    params = dict(urllib.parse.parse_qsl(result.stdout.strip().split("?", 1)[1]))
    assert result.stdout.startswith("index.html?")
    assert f"registration: {params['registration']} (new)" in result.stderr
    uuid.UUID(params["registration"])


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--registration", "attempt-1", "is not a UUID"),
    ("--actor-email", "not-an-email", "must be mailto:<email address>"),
])
def test_launch_url_refuses_bad_values(xapi_zip: Path, option: str, value: str, message: str):
    args = {"--registration": None, "--actor-email": "ann@example.org", option: value}
    extra = [a for k, v in args.items() if v is not None for a in (k, v)]
    result = run_cli("xapi", "launch-url", xapi_zip, "--endpoint", "http://127.0.0.1:9/xAPI/",
                     "--user", "k", "--password", "p", *extra)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_launch_url_refuses_a_package_without_tincan_xml(tmp_path: Path):
    result = run_cli("build", SAMPLE, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    (scorm_zip,) = tmp_path.glob("*-scorm12.zip")
    result = run_cli("xapi", "launch-url", scorm_zip, "--endpoint", "http://127.0.0.1:9/x/",
                     "--user", "k", "--password", "p", "--actor-email", "ann@example.org")
    assert result.returncode == 1
    assert "no tincan.xml at the root" in result.stderr
    assert "Traceback" not in result.stderr
