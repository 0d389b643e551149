"""Where the test tools live, and the skip-locally / fail-in-CI rule for missing ones."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
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


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """CI is set to anything but empty, 0 or false (CI services say "true", some say "1")."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


def missing_tool(message: str) -> NoReturn:
    """Skip on a developer machine, but fail loudly in CI, where a skip would hide a broken
    setup behind a green run. Every test that needs a tool goes through here (a test in
    tests/test_ci_honesty.py checks that no test skips any other way); it also works at
    module level, where a plain skip would need ``allow_module_level``."""
    text = f"{message} ({SETUP_HINT})"
    if in_ci():
        pytest.fail(f"CI is set and a test tool is missing: {text}", pytrace=False)
    pytest.skip(text, allow_module_level=True)


def node() -> str:
    """The node binary the JS tests run the player's scripts with."""
    found = shutil.which("node")
    if found is None:
        missing_tool("node is not installed")
    return found


def require_module(name: str) -> ModuleType:
    """Import a test-only Python package (e.g. playwright) or apply the missing-tool rule."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing_tool(f"Python package {name} not installed")
