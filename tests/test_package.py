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
        # The page's text ships in its module's content script, not in index.html.
        assert b"pulls a belt" in z.read("content/m1.js")


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


# -- issue 9: stale temporary files of a killed build -------------------------------------

HOLD_TEMP = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"x" * 1_000_000)
print("holding", flush=True)
time.sleep(60)
"""


def test_a_build_removes_temp_files_left_by_a_killed_build(tmp_path: Path):
    """A build killed mid-write left a 50-260 MB .<package>.XXXXXXXX.tmp behind for good."""
    out = tmp_path / "dist"
    out.mkdir()
    name = "sample-course-2.1.0-scorm12.zip"
    stale = out / f".{name}.k1ll3d_x.tmp"
    # A writer that dies holding its lock, as a build killed by SIGKILL does.
    writer = subprocess.Popen([sys.executable, "-c", HOLD_TEMP, str(stale)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
    live = out / f".{name}.l1ve_abc.tmp"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_TEMP, str(live)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        writer.kill()
        writer.wait()
        others = [out / ".notes.abcdefgh.tmp", out / f"{name}.tmp", out / f".{name}.tmp"]
        for other in others:
            other.write_bytes(b"not ours")
        build(SAMPLE, out)
        assert not stale.exists(), "the dead writer's temp file is removed"
        assert live.exists(), "a temp file still locked by a live writer is left alone"
        assert all(other.exists() for other in others), "other names are never touched"
    finally:
        holder.kill()
        holder.wait()
    build(SAMPLE, out)
    assert not live.exists()


def test_output_that_is_a_file_is_one_plain_line(tmp_path: Path):
    taken = tmp_path / "dist"
    taken.write_text("a file")
    result = run_cli("build", SAMPLE, "-o", taken)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{taken}: is a file, not a folder; -o names the folder the packages go into"]
    assert taken.read_text() == "a file"
