"""SCORM 2004's cmi.suspend_data holds 64,000 characters: the build proves the course's largest
learner state fits, and refuses the course (dist/ untouched) when it cannot. Two courses of the
same shape on either side of the limit show the build compares the computed size with 64,000."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import run_cli, snapshot
from tests.support.coursegen import write_course

CHOICES = [f"c{i}" for i in range(36)]


def sequencing_course(dest: Path, questions: int) -> Path:
    """A small generated course whose post-test is ``questions`` sequencing questions of 36
    choices: each answer costs 36 x 6 bits of state, the most a question can cost."""
    write_course(dest, questions=51, choices=36)
    posttest = {"id": "post-test", "title": "Post-test", "instructions": "Answer.", "questions": [
        {"id": f"pt-{i}", "type": "sequencing", "objective": "obj-0", "prompt": f"Order {i}?",
         "rationale": "Why.", "choices": [{"id": c, "text": c} for c in CHOICES],
         "correct": CHOICES[::-1]} for i in range(questions)]}
    (dest / "posttest.yaml").write_text(yaml.safe_dump(posttest, sort_keys=False),
                                        encoding="utf-8")
    return dest


def _largest(stdout: str) -> int:
    line = next(x for x in stdout.splitlines() if x.startswith("largest learner state"))
    return int(line.split(":")[1].split("of")[0].replace(",", ""))


def test_build_fails_when_the_largest_state_exceeds_64000(tmp_path: Path):
    course = sequencing_course(tmp_path / "huge", 1790)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.zip").write_bytes(b"earlier build")
    before = snapshot(dist)
    result = run_cli("build", course, "-o", dist, "-t", "scorm2004", "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "is 64,678 characters, over SCORM 2004's 64,000 for cmi.suspend_data" in \
        result.stderr
    assert f"{course / 'course.yaml'}:1:1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(dist) == before


def test_a_state_over_4096_that_fits_64000_builds(tmp_path: Path):
    # 20 questions fewer: over SCORM 1.2's 4,096 by far, within 2004's 64,000.
    course = sequencing_course(tmp_path / "big", 1770)
    result = run_cli("build", course, "-o", tmp_path / "dist", "-t", "scorm2004", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert 4096 < _largest(result.stdout) <= 64_000
    assert (tmp_path / "dist" / "generated-course-1.0.0-scorm2004.zip").is_file()
    # The same course is refused for SCORM 1.2 (its limit is what 2004 lifts).
    refused = run_cli("build", course, "-o", tmp_path / "dist12", "--no-cache")
    assert refused.returncode == 1
    assert "over SCORM 1.2's 4,096 for cmi.suspend_data" in refused.stderr
