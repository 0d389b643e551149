"""The render and compile caches: same bytes as a cold build, never stale, never in the
course or dist."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import SAMPLE, copy_course, snapshot


def build(course: Path, out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scormbuild", "build", str(course), "-o", str(out), *extra],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "SCORMBUILD_CACHE_DIR": str(cache)},
    )


def zip_of(out: Path) -> bytes:
    (path,) = out.glob("*.zip")
    return path.read_bytes()


def test_cached_rebuild_is_byte_identical_to_a_cold_build(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    before = snapshot(course)
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    assert list(cache.glob("render-*.json")), "the first build fills the cache"
    assert build(course, tmp_path / "b", cache).returncode == 0
    assert build(course, tmp_path / "c", cache, "--no-cache").returncode == 0
    assert zip_of(tmp_path / "a") == zip_of(tmp_path / "b") == zip_of(tmp_path / "c")
    assert snapshot(course) == before, "the cache must not write into the course"
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "sample-course-2.1.0-scorm12.zip"], "nor into the output folder"


def test_an_edited_page_is_rendered_again(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    build(course, tmp_path / "a", cache)
    page = course / "modules" / "01-basics" / "kinds.md"
    page.write_text(page.read_text().replace("pulls a chain", "pulls a belt"))
    assert build(course, tmp_path / "b", cache).returncode == 0
    assert _in_zip(tmp_path / "b", "pulls a belt")


def _in_zip(out: Path, text: str) -> bool:
    (path,) = out.glob("*.zip")
    with zipfile.ZipFile(path) as z:
        # Page content ships in content/<module>.js (render/player_data.py), not index.html.
        return any(text.encode() in z.read(n) for n in z.namelist() if n.startswith("content/"))


def test_a_deleted_asset_is_reported_even_when_the_page_is_cached(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    (course / "assets" / "gear.svg").unlink()
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 1
    assert "gear.svg' names a missing file" in result.stderr


def test_problems_are_reported_again_from_the_cache(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    page = course / "modules" / "01-basics" / "intro.md"
    page.write_text(page.read_text().replace("../../assets/gear.svg", "../../assets/nope.svg"))
    cache = tmp_path / "cache"
    first = build(course, tmp_path / "a", cache)
    second = build(course, tmp_path / "a", cache)
    assert first.returncode == second.returncode == 1
    assert first.stderr == second.stderr


def test_a_damaged_cache_is_ignored(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    build(course, tmp_path / "a", cache)
    damaged = [*cache.glob("render-*.json"), *cache.glob("compiled-*.pickle")]
    assert len(damaged) == 2
    for file in damaged:
        file.write_text("{not json")
    assert build(course, tmp_path / "b", cache).returncode == 0
    assert zip_of(tmp_path / "a") == zip_of(tmp_path / "b")


def test_warnings_are_printed_again_on_a_cached_build(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    path = course / "course.yaml"
    path.write_text(path.read_text().replace('provider_number: "1234"',
                                             'provider_number: "[[PLACEHOLDER: number]]"'))
    cache = tmp_path / "cache"
    first = build(course, tmp_path / "a", cache)
    second = build(course, tmp_path / "b", cache)
    assert first.returncode == second.returncode == 0
    assert "placeholder remains" in first.stderr
    assert first.stderr == second.stderr


def test_a_removed_file_invalidates_the_whole_course_cache(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    build(course, tmp_path / "a", cache)
    (course / "references.yaml").unlink()  # citations now name no reference
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 1
    assert "names no reference" in result.stderr
