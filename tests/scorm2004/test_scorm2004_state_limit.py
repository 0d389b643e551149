"""SCORM 2004's cmi.suspend_data holds 64,000 characters: the build proves the course's largest
learner state fits, and refuses the course (dist/ untouched) when it cannot."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import write_synthetic_course
from tests.helpers import run_cli, snapshot
from tests.support.coursegen import write_course


def _largest(stdout: str) -> int:
    line = next(x for x in stdout.splitlines() if x.startswith("largest learner state"))
    return int(line.split(":")[1].split("of")[0].replace(",", ""))


def test_build_fails_when_the_largest_state_exceeds_64000(tmp_path: Path):
    # 4,200 questions of 36 choices (matching and sequencing cost 216 bits each).
    course = write_course(tmp_path / "huge", questions=4200, choices=36)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.zip").write_bytes(b"earlier build")
    before = snapshot(dist)
    result = run_cli("build", course, "-o", dist, "-t", "scorm2004", "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "over SCORM 2004's 64,000 for cmi.suspend_data" in result.stderr
    assert f"{course / 'course.yaml'}:1:1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(dist) == before


def test_a_state_over_4096_that_fits_64000_builds(tmp_path: Path):
    # The course SCORM 1.2 refuses (tests/scorm12/test_scorm12_state_limit.py) builds for
    # 2004, and the figure the build proves is over 1.2's limit and within 2004's.
    course = write_synthetic_course(tmp_path / "big", pages=100, questions=12_000)
    result = run_cli("build", course, "-o", tmp_path / "dist", "-t", "scorm2004", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert 4096 < _largest(result.stdout) <= 64_000
    assert (tmp_path / "dist" / "synthetic-1.0.0-scorm2004.zip").is_file()
