"""The command line as an author meets it: help everywhere, exit codes, init, outline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import SAMPLE, run_cli


@pytest.mark.parametrize("command", ["", "build", "check", "outline", "validate", "init"])
def test_help_everywhere(command: str):
    result = run_cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_usage_error_exits_2():
    result = run_cli("build", "--target", "scorm3000")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_build_prints_each_package_with_its_size(tmp_path: Path):
    result = run_cli("build", SAMPLE, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    zip_path = tmp_path / "sample-course-2.1.0-scorm12.zip"
    assert zip_path.is_file()
    assert f"wrote {zip_path} (" in result.stdout
    assert "largest learner state" in result.stdout


def test_init_writes_a_course_that_builds(tmp_path: Path):
    result = run_cli("init", tmp_path / "new")
    assert result.returncode == 0, result.stderr
    assert run_cli("check", tmp_path / "new").returncode == 0
    built = run_cli("build", tmp_path / "new", "-o", tmp_path / "dist")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "dist" / "my-first-course-1.0.0-scorm12.zip").is_file()
    again = run_cli("init", tmp_path / "new")
    assert again.returncode == 1 and "not empty" in again.stderr


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_outline_json_matches_the_source():
    result = run_cli("outline", SAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    course = _yaml(SAMPLE / "course.yaml")
    assert (data["id"], data["title"], data["version"]) == (
        course["id"], course["title"], course["version"])
    assert data["ce"]["hours"] == course["ce"]["hours"]
    assert data["objectives"] == course["objectives"]
    assert [m["id"] for m in data["modules"]] == [
        _yaml(SAMPLE / "modules" / f / "module.yaml")["id"] for f in course["modules"]]
    for folder, module in zip(course["modules"], data["modules"], strict=True):
        source = _yaml(SAMPLE / "modules" / folder / "module.yaml")
        fronts = [_front_matter(SAMPLE / "modules" / folder / p) for p in source["pages"]]
        assert [(p["id"], p["title"], p.get("kind", "content")) for p in fronts] == [
            (p["id"], p["title"], p["kind"]) for p in module["pages"]]
        assert all(p["words"] > 0 for p in module["pages"])
        assert [q["id"] for q in module["questions"]] == [
            q["id"] for q in source.get("knowledge_check", [])]
    post = _yaml(SAMPLE / "posttest.yaml")
    assessment = data["assessment"]
    assert assessment["passing_score"] == course["assessment"]["pass_mark"]
    assert assessment["attempts"] == course["assessment"]["attempts"]
    by_id = {q["id"]: q for q in assessment["questions"]}
    assert list(by_id) == [q["id"] for q in post["questions"]]
    assert by_id["pt-kinds"]["correct"] == ["gear"]
    assert by_id["pt-daily"]["correct"] == ["clean", "oil"]
    assert by_id["pt-order"]["correct"] == ["clean", "oil", "check"]
    assert by_id["pt-match"]["correct"] == ["gear.turns", "cog.grips", "sprocket.pulls"]
    assert [c["id"] for c in by_id["pt-sprocket"]["choices"]] == ["true", "false"]
    assert by_id["pt-sprocket"]["correct"] == ["true"]
    evaluation = _yaml(SAMPLE / "evaluation.yaml")
    assert [(i["id"], i["type"]) for i in data["evaluation"]["items"]] == [
        (i["id"], i["type"]) for i in evaluation["items"]]


def test_outline_estimate_follows_the_documented_method():
    data = json.loads(run_cli("outline", SAMPLE, "--json").stdout)
    words = sum(p["words"] for m in data["modules"] for p in m["pages"])
    questions = sum(len(m["questions"]) for m in data["modules"])
    questions += len(data["assessment"]["questions"])
    items = len(data["evaluation"]["items"])
    expected = words / 10_000 * 60 + questions * 1 + items * 0.5
    assert data["words"] == words
    assert data["estimated_minutes"] == pytest.approx(expected, abs=0.05)


def _course_with_placeholders(tmp_path: Path) -> Path:
    """The sample course with three placeholders in two files."""
    course = tmp_path / "course"
    shutil.copytree(SAMPLE, course)
    intro = course / "modules" / "01-basics" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nSee [[PLACEHOLDER: a link]].\n\n"
                     "Call [[PLACEHOLDER: a phone number]].\n", encoding="utf-8")
    data = _yaml(course / "course.yaml")
    data["description"] = "[[PLACEHOLDER: a description]]"
    (course / "course.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return course


def test_build_sums_placeholders_up_in_one_line_and_check_lists_each(tmp_path: Path):
    course = _course_with_placeholders(tmp_path)
    check = run_cli("check", course)
    assert check.returncode == 0
    listed = [line for line in check.stderr.splitlines() if "placeholder remains: " in line]
    assert len(listed) == 3
    built = run_cli("build", course, "-o", tmp_path / "dist")
    assert built.returncode == 0, built.stderr
    lines = built.stderr.splitlines()
    assert not any("placeholder remains: " in line for line in lines)
    (summary,) = [line for line in lines if "placeholders remain" in line]
    assert summary.startswith(f"{course}: warning: 3 placeholders remain (")
    assert f"{course / 'course.yaml'}: 1" in summary
    assert f"{course / 'modules' / '01-basics' / 'intro.md'}: 2" in summary
    assert "wrote " in built.stdout


@pytest.mark.parametrize("command", ["check", "build"])
def test_strict_turns_warnings_into_errors_and_writes_nothing(tmp_path: Path, command: str):
    course = _course_with_placeholders(tmp_path)
    out = tmp_path / "dist"
    args = [command, course, "--strict"] + (["-o", out] if command == "build" else [])
    result = run_cli(*args)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "placeholder remains: " in line]
    assert len(errors) == 3 and not any(": warning: " in line for line in errors)
    assert "3 error(s), 0 warning(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    # Without warnings, --strict builds as usual.
    clean = run_cli(command, SAMPLE, "--strict", *(["-o", out] if command == "build" else []))
    assert clean.returncode == 0, clean.stderr


def test_src_defaults_to_this_folder_when_it_holds_course_yaml(tmp_path: Path):
    course = tmp_path / "here"
    shutil.copytree(SAMPLE, course)
    inside = run_cli("check", cwd=course)
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.startswith(".: ok")
    elsewhere = run_cli("check", cwd=tmp_path)  # no course.yaml, no course_src
    assert elsewhere.returncode == 1
    assert elsewhere.stderr.splitlines()[0] == (
        "course_src: course folder not found; pass the folder that holds course.yaml as SRC")


def test_every_group_reports_problems_alike(tmp_path: Path):
    """One guard for every command group: `xapi activities` reports a broken course exactly as
    `check` does (the xapi group used to have a guard of its own, with its own summary)."""
    course = tmp_path / "course"
    shutil.copytree(SAMPLE, course)
    posttest = course / "posttest.yaml"
    posttest.write_text(posttest.read_text(encoding="utf-8").replace(
        "correct: gear", "correct: gearbox"), encoding="utf-8")
    check = run_cli("check", course)
    activities = run_cli("xapi", "activities", course)
    assert (check.returncode, activities.returncode) == (1, 1)
    assert "1 error(s), 0 warning(s)" in check.stderr
    assert activities.stderr == check.stderr


def test_debug_lets_the_traceback_through(tmp_path: Path):
    """SCORMBUILD_DEBUG=1 shows where a problem was raised; without it, one line and exit 1.
    (It used to be read after the commands were decorated, so it changed nothing.)"""
    missing = tmp_path / "no-course"
    quiet = run_cli("check", missing)
    loud = subprocess.run([sys.executable, "-m", "scormbuild", "check", str(missing)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SCORMBUILD_DEBUG": "1"})
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr and "ProblemsFound" in loud.stderr
