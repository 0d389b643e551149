"""The render and compile caches: same bytes as a cold build, never stale, never in the
course or dist."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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
    damaged = [*cache.glob("render-*.json"), *cache.glob("compiled-*.json")]
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


# -- issue 9: caches are data, validated on read; the package's files come from the source --

MAGIC = b"scormbuild-cache "


def read_entry(file: Path) -> object:
    """A cache file's JSON (the new format has a hash line first; the old one had none)."""
    data = file.read_bytes()
    if data.startswith(MAGIC):
        data = data.partition(b"\n")[2]
    return json.loads(data)


def write_entry(file: Path, value: object) -> None:
    """Write ``value`` as a well-formed cache file, its hash recomputed (a forged entry), in
    the format the file had (the old format was plain JSON)."""
    payload = json.dumps(value).encode()
    if file.exists() and not file.read_bytes().startswith(MAGIC):
        file.write_bytes(payload)
        return
    file.write_bytes(MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def test_no_pickle_anywhere_in_scormbuild():
    package = Path(__file__).resolve().parents[2] / "scormbuild"
    offenders = [str(p) for p in package.rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+(c?pickle|marshal|shelve)\b",
                              p.read_text(encoding="utf-8"), re.MULTILINE)]
    assert offenders == []


def test_a_planted_pickle_never_runs(tmp_path: Path):
    """Today a compiled-*.pickle in the cache folder ran a command and the build succeeded."""
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    cache.mkdir()
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):  # noqa: ANN204
            return (os.system, (f"touch {marker}",))

    name = hashlib.sha256(str(course.resolve()).encode()).hexdigest()[:24]
    (cache / f"compiled-{name}.pickle").write_bytes(pickle.dumps(Payload()))
    for _ in range(2):
        result = build(course, tmp_path / "dist", cache)
        assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_an_old_pickle_entry_is_removed_and_nothing_else(tmp_path: Path):
    """The pickle caches of older scormbuild versions are never read: the build that stores
    the course's JSON entry deletes that course's pickle, and leaves every other file alone."""
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    cache.mkdir()
    name = hashlib.sha256(str(course.resolve()).encode()).hexdigest()[:24]
    legacy = cache / f"compiled-{name}.pickle"
    legacy.write_bytes(b"old")
    other = cache / "compiled-0123456789abcdef01234567.pickle"  # another course's: kept
    other.write_bytes(b"other")
    result = build(course, tmp_path / "dist", cache)
    assert result.returncode == 0, result.stderr
    assert not legacy.exists()
    assert other.read_bytes() == b"other"
    assert _compiled_file(cache).is_file()


def _compiled_file(cache: Path) -> Path:
    (file,) = cache.glob("compiled-*.json")
    return file


CORRUPTIONS = {
    "not-json": lambda data: b"{not json",
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "tampered": lambda data: data.replace(b"What is a widget?", b"What is a gadget?"),
    "null": None, "list": [1], "wrong-shape": {"identity": 1, "files": {}, "compiled": [1]},
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_a_corrupt_or_tampered_compiled_entry_is_a_miss(tmp_path: Path, kind: str):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    file = _compiled_file(cache)
    change = CORRUPTIONS[kind]
    if callable(change):
        data = file.read_bytes()
        assert kind != "tampered" or b"What is a widget?" in data
        file.write_bytes(change(data))
    else:
        write_entry(file, change)  # well-formed file, wrong shape inside
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert zip_of(tmp_path / "b") == zip_of(tmp_path / "a"), "never silently shipped"


def test_a_forged_compiled_entry_cannot_add_files_to_the_package(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    file = _compiled_file(cache)
    entry = read_entry(file)
    entry["compiled"]["rendered"]["assets"] = {"assets/x": "/etc/hostname"}
    write_entry(file, entry)
    assert build(course, tmp_path / "b", cache).returncode == 0
    with zipfile.ZipFile(next((tmp_path / "b").glob("*.zip"))) as z:
        assert "assets/x" not in z.namelist()
    assert zip_of(tmp_path / "b") == zip_of(tmp_path / "a")


def test_files_injected_into_the_render_cache_are_never_shipped(tmp_path: Path):
    """Today an injected "assets/x": "/etc/hostname" in the render cache shipped that file."""
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    for file in cache.glob("compiled-*"):
        file.unlink()  # so the build goes to the render cache
    (render_file,) = cache.glob("render-*.json")
    data = read_entry(render_file)
    page = str(course / "modules" / "01-basics" / "intro.md")
    for entry in data["entries"].values():
        entry["assets"] = {"assets/x": "/etc/hostname"}  # the old format's asset list
        if "links" in entry:  # and a forged link record in the new one
            entry["links"].append([page, "/etc/hostname", 9, False, "assets/x"])
    write_entry(render_file, data)
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next((tmp_path / "b").glob("*.zip"))) as z:
        assert "assets/x" not in z.namelist()
    assert zip_of(tmp_path / "b") == zip_of(tmp_path / "a")


def test_a_planted_fifo_or_device_in_the_cache_folder_is_a_miss(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    compiled, render = _compiled_file(cache), next(cache.glob("render-*.json"))
    compiled.unlink()
    os.mkfifo(compiled)
    render.unlink()
    render.symlink_to("/dev/zero")
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 0, result.stderr
    assert zip_of(tmp_path / "b") == zip_of(tmp_path / "a")


def test_a_symlinked_asset_leaving_the_course_after_caching_is_not_shipped(tmp_path: Path):
    """The compile cache must notice that a linked file now points outside the course."""
    course = copy_course(SAMPLE, tmp_path / "course")
    cache = tmp_path / "cache"
    assert build(course, tmp_path / "a", cache).returncode == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    sheet = course / "assets" / "care-sheet.txt"
    sheet.unlink()
    sheet.symlink_to(secret)
    result = build(course, tmp_path / "b", cache)
    assert result.returncode == 1
    assert "outside the course folder" in result.stderr
    assert not (tmp_path / "b").exists()
