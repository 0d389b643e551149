"""Reproducible packages: same source, same bytes; a changed page, a changed zip."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from scormbuild.package import zip_bytes, zip_timestamp
from tests.helpers import SAMPLE, copy_course, run_cli


def build(course: Path, out: Path, env: dict[str, str] | None = None) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "scormbuild", "build", str(course), "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (zip_path,) = out.glob("*-scorm12.zip")
    return zip_path.read_bytes()


def test_two_builds_are_byte_identical(tmp_path: Path):
    first = build(SAMPLE, tmp_path / "a")
    second = build(copy_course(SAMPLE, tmp_path / "copy"), tmp_path / "b")
    assert first == second


def test_changing_one_page_changes_the_zip(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    before = build(course, tmp_path / "a")
    page = course / "modules" / "01-basics" / "kinds.md"
    page.write_text(page.read_text().replace("pulls a chain", "pulls a belt"))
    after = build(course, tmp_path / "b")
    assert before != after
    with zipfile.ZipFile(tmp_path / "b" / "sample-course-2.1.0-scorm12.zip") as z:
        assert b"pulls a belt" in z.read("index.html")


def test_entries_are_sorted_with_fixed_time_and_mode(tmp_path: Path):
    data = build(SAMPLE, tmp_path / "a")
    (tmp_path / "p.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {stat.S_IMODE(i.external_attr >> 16) for i in infos} == {0o644}
    assert not any(n.endswith("/") for n in names), "no folder entries (Moodle rejects empty ones)"


def test_source_date_epoch_sets_the_timestamps(tmp_path: Path):
    data = build(SAMPLE, tmp_path / "a", env={"SOURCE_DATE_EPOCH": "1700000000"})
    (tmp_path / "p.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_zip_writer_ignores_insertion_order():
    stamp = zip_timestamp({})
    assert zip_bytes({"b": b"2", "a": b"1"}, stamp) == zip_bytes({"a": b"1", "b": b"2"}, stamp)


def test_build_replaces_an_existing_package_atomically(tmp_path: Path):
    out = tmp_path / "dist"
    build(SAMPLE, out)
    target = out / "sample-course-2.1.0-scorm12.zip"
    target.write_bytes(b"stale")
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.returncode == 0
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in out.iterdir()) == ["sample-course-2.1.0-scorm12.zip"]
