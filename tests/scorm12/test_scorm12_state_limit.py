"""A course whose largest learner state cannot fit SCORM 1.2's suspend_data is refused."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import write_synthetic_course
from tests.helpers import run_cli, snapshot


def _largest(stdout: str) -> int:
    line = next(x for x in stdout.splitlines() if x.startswith("largest learner state"))
    return int(line.split(":")[1].split("of")[0].replace(",", ""))


def test_build_fails_when_the_largest_state_exceeds_4096(tmp_path: Path):
    course = write_synthetic_course(tmp_path / "huge", pages=100, questions=12_000)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.zip").write_bytes(b"earlier build")
    before = snapshot(dist)
    result = run_cli("build", course, "-o", dist)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "over SCORM 1.2's 4,096 for cmi.suspend_data" in result.stderr
    assert f"{course / 'course.yaml'}:1:1:" in result.stderr
    assert snapshot(dist) == before


def test_the_limit_is_the_boundary_not_a_fixed_course_size(tmp_path: Path):
    # A smaller course of the same shape fits and reports its figure; together with the
    # test above this shows the build compares the computed size with 4,096.
    course = write_synthetic_course(tmp_path / "fits", pages=100, questions=1_000)
    result = run_cli("build", course, "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    assert 0 < _largest(result.stdout) <= 4096
