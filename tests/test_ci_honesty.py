"""CI must never pass by skipping: every missing tool goes through support.env.missing_tool,
which skips on a developer machine and fails when CI is set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.env import TESTS_DIR, in_ci

# Any way of skipping a test other than missing_tool (which lives in support/env.py).
SKIPS = re.compile(r"pytest\.skip\(|importorskip\(|mark\.skip|skipif\(|\.skipTest\(")


def test_no_test_skips_around_the_rule() -> None:
    offenders = []
    for path in sorted(TESTS_DIR.rglob("*.py")):
        if path == TESTS_DIR / "support" / "env.py" or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SKIPS.search(line) and path != Path(__file__):
                offenders.append(f"{path.relative_to(TESTS_DIR)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("True", True), ("", False), ("0", False),
     ("false", False)],
)
def test_what_counts_as_ci(value: str, expected: bool) -> None:
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False


MISSING = '''
from support.env import missing_tool, require_module

require_module("no_such_package_for_scormbuild_tests")

def test_never_runs():
    pass
'''


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("1", "1 error"),
                                             (None, "1 skipped")])
def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(
    tmp_path: Path, ci: str | None, outcome: str
) -> None:
    (tmp_path / "test_missing.py").write_text(MISSING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(TESTS_DIR)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path / "test_missing.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert outcome in proc.stdout, proc.stdout + proc.stderr
    if ci is not None:
        assert proc.returncode != 0
        assert "test tool is missing" in proc.stdout
