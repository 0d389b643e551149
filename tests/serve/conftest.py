"""Fixtures for `scormbuild serve`: a copy of a small course and the server around it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Serve
from support.env import SAMPLE_COURSE


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course copied, so tests may edit it (the fixture itself never changes)."""
    dest = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(SAMPLE_COURSE, dest)
    return dest


@pytest.fixture(scope="module")
def served(course_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """One `scormbuild serve COPY --port 0` for the whole module."""
    serve = Serve.start(str(course_copy), "--port", "0",
                        cache_dir=tmp_path_factory.mktemp("cache"))
    yield serve
    serve.stop()
