"""Where the test tools live, and the skip-locally / fail-in-CI rule for missing ones."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS_DIR = REPO_ROOT / "tests"
TOOLS_DIR = TESTS_DIR / "tools"
NODE_MODULES = TOOLS_DIR / "node_modules"
HARNESS_DIR = TESTS_DIR / "support" / "lms"
FIXTURE_COURSES = TESTS_DIR / "fixtures" / "courses"
SAMPLE_COURSE = FIXTURE_COURSES / "sample"
CHROMIUM = Path("/usr/bin/chromium")
SCORM_AGAIN_DIST = NODE_MODULES / "scorm-again" / "dist"

# As root, Chromium needs --no-sandbox; the others stop it from phoning home, which this
# machine's closed network refuses (noisily and slowly), and keep runs reproducible.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

SETUP_HINT = "run scripts/setup-test-env"


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing_tool(message: str) -> NoReturn:
    """Skip on a developer machine, but fail loudly in CI, where a skip would hide a broken
    setup behind a green run."""
    text = f"{message} ({SETUP_HINT})"
    if in_ci():
        pytest.fail(f"CI=true and a test tool is missing: {text}", pytrace=False)
    pytest.skip(text)
