"""A real LRS and a real xAPI validator for the xAPI tests, both from tests/tools/node_modules.

The LRS is npm ``xapi-statements@5.0.1`` (Learning Locker's statements service) with every
repository in memory. It listens on all interfaces by default and has no host option, so a
small wrapper patches ``http.Server.prototype.listen`` to force 127.0.0.1 before loading it,
and reports the address it really bound; the fixture refuses to run on anything else.
The validator is npm ``@learninglocker/xapi-validation@3.0.0``, run with node.

Missing node or packages: skipped locally, a failure when CI=true (support.env.missing_tool).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.env import NODE_MODULES, SAMPLE_COURSE, missing_tool

from tests.xapi.netutil import LOOPBACK, free_port

XAPI_STATEMENTS = NODE_MODULES / "xapi-statements" / "dist" / "index.js"
XAPI_VALIDATION = NODE_MODULES / "@learninglocker" / "xapi-validation" / "dist" / "index.js"
START_TIMEOUT = 60.0

# Patches listen() before express calls app.listen(port, callback), then prints the address
# the server really bound as one JSON line the fixture checks.
LOOPBACK_WRAPPER = r"""
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  const callback = rest.find((arg) => typeof arg === 'function');
  this.once('listening', () => {
    process.stdout.write(JSON.stringify({ scormbuildBound: this.address() }) + '\n');
  });
  return listen.call(this, { port: Number(port), host: '127.0.0.1' }, callback);
};
require(process.argv[2]);
"""

# Reads a JSON list of statements on stdin; prints, per statement, its warnings (name + path).
VALIDATE_SCRIPT = r"""
const validate = require(process.argv[1]).default;
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((statement) => validate(statement).map((w) => ({
    name: w.name, path: (w.path || []).join('.'), data: w.data === undefined ? null : w.data,
  })));
  process.stdout.write(JSON.stringify(out));
});
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        missing_tool("node not found on PATH")
    return node


@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib (and the CLI subprocesses) honour *_proxy variables; loopback must stay direct."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@dataclass
class LrsServer:
    endpoint: str  # the xAPI root, ending in /
    port: int
    log: Path

    def get(self, resource: str, params: str = "") -> Any:
        """GET a resource with the headers xapi-statements requires; the parsed JSON."""
        request = urllib.request.Request(
            f"{self.endpoint}{resource}{'?' + params if params else ''}",
            headers={"X-Experience-API-Version": "1.0.3", "Authorization": "Basic dGVzdDp0ZXN0"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def post_statements(self, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.endpoint}statements", data=json.dumps(statements).encode(), method="POST",
            headers={"X-Experience-API-Version": "1.0.3", "Authorization": "Basic dGVzdDp0ZXN0",
                     "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")


def _wait_until_up(proc: subprocess.Popen[bytes], lrs: LrsServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"xapi-statements exited with {proc.returncode}:\n"
                        f"{lrs.log.read_text(errors='replace')}", pytrace=False)
        try:
            if lrs.get("about").get("version"):
                return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.2)
    pytest.fail(f"xapi-statements did not answer within {START_TIMEOUT:g} s:\n"
                f"{lrs.log.read_text(errors='replace')}", pytrace=False)


def _bound_address(log: Path) -> dict[str, Any]:
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith('{"scormbuildBound"'):
            bound: dict[str, Any] = json.loads(line)["scormbuildBound"]
            return bound
    return {}


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LrsServer]:
    """xapi-statements in memory on 127.0.0.1:<free port>, started once, killed at the end."""
    node = _node()
    if not XAPI_STATEMENTS.exists():
        missing_tool(f"npm xapi-statements missing in {NODE_MODULES}")
    work = tmp_path_factory.mktemp("lrs")
    wrapper = work / "loopback.js"
    wrapper.write_text(LOOPBACK_WRAPPER, encoding="utf-8")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(work),
        "MODELS_REPO": "memory",
        "STORAGE_REPO": "memory",
        "AUTH_REPO": "test",
        "EVENTS_REPO": "test",
        "EXPRESS_PORT": str(port),
        # Its defaults write access logs and files under the working directory.
        "EXPRESS_MORGAN_DIRECTORY": str(work / "access-logs"),
        "FS_LOCAL_STORAGE_DIR": str(work / "storage"),
        "LL_CLIENT_INFO_ENDPOINT": f"http://{LOOPBACK}:{port}/auth",
        "WINSTON_CONSOLE_LEVEL": "warn",
        "SERVICE_AWAIT_UPDATES": "true",
    }
    log = work / "lrs.log"
    server = LrsServer(endpoint=f"http://{LOOPBACK}:{port}/xAPI/", port=port, log=log)
    with log.open("wb") as out:
        # cwd = the temp folder: dotenv reads a .env from the working directory.
        proc = subprocess.Popen([node, str(wrapper), str(XAPI_STATEMENTS)], cwd=work, env=env,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_until_up(proc, server)
        bound = _bound_address(log)
        if bound.get("address") != LOOPBACK or bound.get("port") != port:
            pytest.fail(f"the LRS bound {bound}, not {LOOPBACK}:{port}", pytrace=False)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


Warnings = list[dict[str, Any]]


@pytest.fixture(scope="session")
def xapi_validate() -> Callable[[list[dict[str, Any]]], list[Warnings]]:
    """``xapi_validate(statements)``: the warnings of each statement (empty list = valid)."""
    node = _node()
    if not XAPI_VALIDATION.exists():
        missing_tool(f"npm @learninglocker/xapi-validation missing in {NODE_MODULES}")

    def run(statements: list[dict[str, Any]]) -> list[Warnings]:
        proc = subprocess.run([node, "-e", VALIDATE_SCRIPT, str(XAPI_VALIDATION)],
                              input=json.dumps(statements), capture_output=True, text=True,
                              timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        result: list[Warnings] = json.loads(proc.stdout)
        assert len(result) == len(statements)
        return result

    return run


def sample_with_own_iri(dest: Path, label: str) -> Path:
    """A copy of the sample course whose xapi_base is unique, so statements a test stores in
    the shared in-memory LRS are never read by another test's query."""
    src = Path(shutil.copytree(SAMPLE_COURSE, dest / "course"))
    course_yaml = src / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    old = "xapi_base: https://courses.example.org/sample-course"
    assert old in text
    course_yaml.write_text(text.replace(
        old, f"xapi_base: https://courses.example.org/{label}-{uuid.uuid4().hex[:12]}"),
        encoding="utf-8")
    return src
