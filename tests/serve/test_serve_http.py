"""`scormbuild serve` without a browser: what it serves, refuses, prints, and how it stops."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from serving import Serve
from support.build import build_course, run_cli
from support.env import SAMPLE_COURSE

from scormbuild.commands.args import HOW_TO_PASS_SRC

PREVIEW_MARKERS = (b"data-sb-inspector", b"data-sb-preview", b"__preview", b"EventSource",
                   b"SbLms12", b"sb-preview")


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as given (no client-side normalising of ``..``)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_serves_preview_page_and_the_built_course_from_memory(served: Serve,
                                                               course_copy: Path) -> None:
    status, page = raw_get(served.url, "/")
    assert status == 200
    assert b"data-sb-inspector" in page and b"data-sb-preview-course" in page
    status, index = raw_get(served.url, "/course/index.html")
    assert status == 200 and b"Sample Course for Tests" in index
    assert raw_get(served.url, "/course/imsmanifest.xml")[0] == 200
    # Nothing was written into the course (or beside it: no dist/).
    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*")}

    assert files(course_copy) == files(SAMPLE_COURSE)
    assert not (course_copy / "dist").exists()
    assert not list(course_copy.parent.glob("**/*.zip"))


@pytest.mark.parametrize("path", [
    "/course/../../../../etc/passwd",
    "/course/..%2f..%2f..%2fetc/passwd",
    "/__preview/../../scormbuild/commands/cli.py",
    "/__preview/..%2F..%2Fscormbuild%2Fcommands%2Fcli.py",
    "/__preview/%2e%2e/%2e%2e/pyproject.toml",
    "/course/%5c..%5c..%5cetc%5cpasswd",
    "/../../../../etc/passwd",
    "/course/../course.yaml",
    "/course.yaml",
    "/__preview/index.html.bak",
    "/course//etc/passwd",
])
def test_no_path_traversal(served: Serve, path: str) -> None:
    status, body = raw_get(served.url, path)
    assert status == 404, (path, status)
    assert b"root:" not in body and b"[project]" not in body and b"import" not in body


def test_preview_assets_are_served_but_nothing_else_of_templates(served: Serve) -> None:
    assert raw_get(served.url, "/__preview/lms12.js")[0] == 200
    assert raw_get(served.url, "/__preview/preview.js")[0] == 200
    assert raw_get(served.url, "/__preview/index.html")[0] == 404
    assert raw_get(served.url, "/__preview/../player/player.js")[0] == 404


def test_build_status_endpoint(served: Serve) -> None:
    with urllib.request.urlopen(served.url + "__preview/build", timeout=10) as r:
        data = json.loads(r.read())
    assert data["ok"] is True and data["target"] == "scorm12" and data["generation"] >= 1


def test_port_in_use_is_one_clear_line(tmp_path: Path, course_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_cli("serve", str(course_copy), "--port", str(port), timeout=30)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [f"127.0.0.1:{port} is already in use; stop the other server or pick "
                     "another port with --port"], proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_ctrl_c_stops_within_a_second(course_copy: Path, tmp_path: Path) -> None:
    serve = Serve.start(str(course_copy), "--port", "0", cache_dir=tmp_path / "cache")
    try:
        # An open event stream (a preview tab) must not hold the server up.
        parts = urllib.parse.urlsplit(serve.url)
        stream = socket.create_connection((parts.hostname, parts.port), timeout=5)
        stream.sendall(b"GET /__preview/events HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while b"event: build" not in received:
            chunk = stream.recv(4096)
            assert chunk, received
            received += chunk
        code, seconds = serve.interrupt(timeout=5)
        stream.close()
    finally:
        serve.stop()
    assert code == 0
    assert seconds < 1.0, f"took {seconds:.2f} s to stop"
    output = "\n".join(serve.drain())
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert output.rstrip().endswith("stopped")


def test_binds_loopback_by_default_and_warns_for_another_host(course_copy: Path,
                                                               tmp_path: Path) -> None:
    default = Serve.start(str(course_copy), "--port", "0", cache_dir=tmp_path / "c1")
    default.stop()
    assert default.url.startswith("http://127.0.0.1:")
    assert not any("warning" in line for line in default.drain())
    # 127.0.0.2 is still loopback (no network here) but not the default: it gets the warning.
    other = Serve.start(str(course_copy), "--port", "0", "--host", "127.0.0.2",
                        cache_dir=tmp_path / "c2")
    other.stop()
    assert other.url.startswith("http://127.0.0.2:")
    assert any(line.startswith("warning: serving on 127.0.0.2") for line in other.drain())


def test_missing_course_folder(tmp_path: Path) -> None:
    proc = run_cli("serve", str(tmp_path / "nope"), "--port", "0", timeout=30)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"{tmp_path / 'nope'}: course folder not found; {HOW_TO_PASS_SRC}"]


def test_unknown_target_is_a_usage_error(course_copy: Path) -> None:
    proc = run_cli("serve", str(course_copy), "--target", "cmi5", timeout=30)
    assert proc.returncode == 2


def test_nothing_of_the_preview_goes_into_a_package(course_copy: Path, tmp_path: Path) -> None:
    for target in ("scorm12", "xapi"):
        proc = run_cli("build", str(course_copy), "-o", str(tmp_path / target), "-t", target)
        assert proc.returncode == 0, proc.stderr
        (zip_path,) = (tmp_path / target).glob("*.zip")
        with zipfile.ZipFile(zip_path) as zf:
            names = zf.namelist()
            assert not [n for n in names if "preview" in n or n.endswith("lms12.js")], names
            for name in names:
                data = zf.read(name)
                found = [m for m in PREVIEW_MARKERS if m in data]
                assert not found, f"{name} of the {target} package holds {found}"
    # The markers are real: the preview page does hold them (so the check above can fail).
    preview = Path(__file__).resolve().parents[2] / "templates" / "preview"
    shipped = b"".join(p.read_bytes() for p in preview.iterdir())
    assert all(m in shipped for m in PREVIEW_MARKERS)


def test_cli_target_names_match_the_targets() -> None:
    from scormbuild.build import TARGETS
    from scormbuild.commands.cli import TARGET_NAMES

    assert sorted(TARGET_NAMES) == sorted(TARGETS)


def test_help_imports_no_pipeline_module() -> None:
    """`scormbuild --help` must not import the pipeline (that is what made it slow)."""
    import subprocess
    import sys

    from support.build import cli_env

    code = ("import sys; from scormbuild.commands.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('scormbuild.build', 'markdown_it', 'jinja2', 'lxml', 'yaml', "
            "'tincan', 'scormbuild.commands.xapi', 'watchfiles') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=cli_env(), timeout=60, check=False)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_build_course_helper_still_works(course_copy: Path, tmp_path: Path) -> None:
    """The lazy imports leave `build` working end to end (and byte-identical twice)."""
    first = build_course(course_copy, tmp_path / "a")
    second = build_course(course_copy, tmp_path / "b")
    assert first.zip_path.read_bytes() == second.zip_path.read_bytes()


def test_the_wheel_ships_the_preview(tmp_path: Path) -> None:
    """The preview's page and LMS runtime are part of the installed package."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path), str(repo)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("scormbuild-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for name in ("index.html", "preview.js", "preview.css", "lms12.js"):
        assert f"scormbuild/templates/preview/{name}" in names
    assert "scormbuild/serve/server.py" in names
