"""Malformed sources: every problem named with path:line, exit 1, no traceback, dist untouched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import SAMPLE, copy_course, line_of, run_cli, snapshot


@dataclass
class Breakage:
    name: str
    file: str  # relative to the course folder
    old: str  # text replaced (must exist once)
    new: str
    expect: str  # part of the message
    marker: str  # text on the line the message must point at, in the broken file


MODULES = "modules:\n  - 01-basics\n"  # where course.yaml gets a completion block

BREAKAGES = [
    Breakage("bad-yaml", "modules/01-basics/module.yaml", "objectives: [identify-widgets]",
             "objectives: [identify-widgets", "invalid YAML", "pages:"),
    Breakage("unknown-key", "course.yaml", "title: Sample Course for Tests",
             "titel: Sample Course for Tests", "did you mean 'title'", "titel:"),
    Breakage("duplicate-page-id", "modules/02-practice/routine.md", "id: practice-routine",
             "id: basics-intro", "duplicate page id 'basics-intro'", "id: basics-intro"),
    Breakage("missing-asset", "modules/01-basics/intro.md", "../../assets/gear.svg",
             "../../assets/cog.svg", "names a missing file", "cog.svg"),
    Breakage("asset-escapes", "modules/01-basics/intro.md", "../../assets/care-sheet.txt",
             "../../../../../../etc/passwd", "outside the course folder", "etc/passwd"),
    Breakage("correct-names-no-choice", "posttest.yaml", "correct: gear",
             "correct: gearbox", "correct answer 'gearbox'", "correct: gearbox"),
    Breakage("unknown-objective", "posttest.yaml", "objective: apply-care\n    prompt: Which",
             "objective: apply-kare\n    prompt: Which", "unknown objective 'apply-kare'",
             "id: pt-daily"),
    Breakage("wrong-type", "course.yaml", "pass_mark: 80", "pass_mark: eighty",
             "must be a whole number", "pass_mark:"),
    Breakage("empty-module", "modules/02-practice/module.yaml",
             "pages:\n  - routine.md\n  - case.md", "pages: []", "has no pages", "pages: []"),
    Breakage("bad-id", "modules/01-basics/kinds.md", "id: basics-kinds", "id: Basics Kinds",
             "is not a valid id", "id: Basics Kinds"),
    Breakage("no-front-matter", "modules/01-basics/kinds.md", "---\nid: basics-kinds",
             "id: basics-kinds", "must start with YAML front matter", "id: basics-kinds"),
    Breakage("unknown-citation", "modules/02-practice/routine.md", "[@jones2019]",
             "[@nobody2001]", "citation '@nobody2001' names no reference", "nobody2001"),
    Breakage("vignette-without-reflect", "modules/01-basics/vignette.md", "::: reflect",
             "::: note", "needs a '::: reflect' block", "id: basics-vignette"),
    Breakage("duplicate-key", "course.yaml", "language: en-US",
             "language: en-US\nlanguage: en-GB", "duplicate key 'language'", "language: en-GB"),
    Breakage("missing-page-file", "modules/02-practice/module.yaml", "  - case.md",
             "  - cases.md", "page file not found", "cases.md"),
    Breakage("pass-mark-range", "course.yaml", "pass_mark: 80", "pass_mark: 150",
             "must be from 0 to 100", "pass_mark:"),
    Breakage("matching-target", "posttest.yaml", "sprocket: pulls}", "sprocket: pushes}",
             "'pushes' in 'correct'", "sprocket: pushes"),
    # How many choices a list holds is the SCORM 1.2 target's rule (scorm12/target.py), run
    # for every build: the message and its place stay the loader's.
    Breakage("too-many-choices", "posttest.yaml", "      - {id: leaf, text: Leaf}\n",
             "      - {id: leaf, text: Leaf}\n" + "".join(
                 f"      - {{id: c{i}, text: Choice {i}}}\n" for i in range(34)),
             "question 'pt-kinds' has 37 choices: give from 2 to 36", "{id: gear, text: Gear}"),
    Breakage("too-few-choices", "posttest.yaml",
             "      - {id: oil, text: Oil}\n      - {id: paint, text: Paint}\n"
             "    correct: [clean, oil]", "    correct: [clean]",
             "question 'pt-daily' has 1 choices: give from 2 to 36", "{id: clean, text: Clean}"),
    Breakage("unknown-question-type", "posttest.yaml", "type: sequencing", "type: sequence",
             "did you mean 'sequencing'", "type: sequence"),
    # The completion block (issue 6).
    Breakage("completion-unknown-key", "course.yaml", MODULES,
             "completion:\n  attestation_txt: I did it.\n" + MODULES,
             "did you mean 'attestation_text'", "attestation_txt:"),
    Breakage("completion-seat-not-a-number", "course.yaml", MODULES,
             "completion:\n  min_seat_minutes: ten\n" + MODULES,
             "'min_seat_minutes' in the completion block must be a whole number",
             "min_seat_minutes:"),
    Breakage("completion-idle-range", "course.yaml", MODULES,
             "completion:\n  idle_minutes: 0\n" + MODULES,
             "'idle_minutes' in the completion block must be from 1 to 120", "idle_minutes:"),
    Breakage("completion-not-boolean", "course.yaml", MODULES,
             "completion:\n  attestation_required: sometimes\n" + MODULES,
             "must be true or false", "attestation_required:"),
    Breakage("completion-empty-attestation", "course.yaml", MODULES,
             "completion:\n  attestation_text: ''\n" + MODULES,
             "'attestation_text' in the completion block must not be empty", "attestation_text:"),
    Breakage("completion-long-attestation", "course.yaml", MODULES,
             "completion:\n  attestation_text: " + "I did it. " * 60 + "\n" + MODULES,
             "keep it to 500 or fewer", "attestation_text:"),
    Breakage("completion-not-a-mapping", "course.yaml", MODULES,
             "completion: strict\n" + MODULES,
             "the completion block must be a mapping", "completion: strict"),
]


def break_course(tmp_path: Path, b: Breakage) -> Path:
    course = copy_course(SAMPLE, tmp_path / "course")
    target = course / b.file
    text = target.read_text(encoding="utf-8")
    assert text.count(b.old) == 1, f"fixture text {b.old!r} must occur once in {b.file}"
    target.write_text(text.replace(b.old, b.new), encoding="utf-8")
    return course


@pytest.mark.parametrize("b", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_broken_source_is_reported_precisely_and_dist_is_untouched(tmp_path: Path, b: Breakage):
    course = break_course(tmp_path, b)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous-scorm12.zip").write_bytes(b"an earlier good build")
    before = snapshot(dist)

    result = run_cli("build", course, "-o", dist)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    expected_line = line_of(course / b.file, b.marker)
    expected_where = f"{course / b.file}:{expected_line}:"
    matching = [line for line in result.stderr.splitlines() if b.expect in line]
    assert matching, f"no message containing {b.expect!r} in:\n{result.stderr}"
    assert any(line.startswith(expected_where) for line in matching), (
        f"expected a message at {expected_where}, got:\n{result.stderr}")
    assert snapshot(dist) == before


def test_all_problems_are_reported_in_one_run(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    for b in (BREAKAGES[1], BREAKAGES[5], BREAKAGES[11]):
        target = course / b.file
        target.write_text(target.read_text(encoding="utf-8").replace(b.old, b.new),
                          encoding="utf-8")
    result = run_cli("check", course)
    assert result.returncode == 1
    for expect in ("did you mean 'title'", "correct answer 'gearbox'", "'@nobody2001'"):
        assert expect in result.stderr
    assert "3 error(s)" in result.stderr


def test_failed_build_creates_no_dist_folder(tmp_path: Path):
    course = break_course(tmp_path, BREAKAGES[0])
    result = run_cli("build", course, "-o", tmp_path / "dist")
    assert result.returncode == 1
    assert not (tmp_path / "dist").exists()


def test_missing_course_folder_is_one_clear_line(tmp_path: Path):
    result = run_cli("check", tmp_path / "nowhere")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'nowhere'}: course folder not found; pass the folder that holds "
        "course.yaml as SRC")


def test_placeholders_warn_but_build(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    path = course / "course.yaml"
    path.write_text(path.read_text().replace('provider_number: "1234"',
                                             'provider_number: "[[PLACEHOLDER: number]]"'))
    result = run_cli("build", course, "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    line = line_of(path, "PLACEHOLDER")
    assert f"{path}:{line}:" in result.stderr
    assert "warning: placeholder remains: [[PLACEHOLDER: number]]" in result.stderr


def test_evaluation_required_without_an_evaluation(tmp_path: Path):
    """evaluation_required: true in a course with no evaluation.yaml names the line."""
    course = copy_course(SAMPLE, tmp_path / "course")
    (course / "evaluation.yaml").unlink()
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        MODULES, "completion:\n  evaluation_required: true\n" + MODULES), encoding="utf-8")
    result = run_cli("check", course)
    assert result.returncode == 1
    line = line_of(path, "evaluation_required:")
    assert (f"{path}:{line}:" in result.stderr
            and "evaluation_required is true but the course has no evaluation.yaml"
            in result.stderr), result.stderr


def test_completion_block_is_optional_and_read(tmp_path: Path):
    """A valid completion block builds; without one, a course with an evaluation and a ce
    block requires both (the defaults)."""
    from scormbuild.render.course_json import render_course
    from scormbuild.source.load import load_course

    course, problems = load_course(SAMPLE)
    assert course is not None and not problems
    assert render_course(course).data["completion"] == {
        "evaluation_required": True, "attestation_required": True,
        "attestation_text": "I completed this activity myself and in full.",
        "min_seat_minutes": 0, "idle_minutes": 5,
    }
    src = copy_course(SAMPLE, tmp_path / "course")
    path = src / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(MODULES, (
        "completion:\n  evaluation_required: false\n  attestation_text: I did all of it.\n"
        "  min_seat_minutes: 45\n  idle_minutes: 10\n" + MODULES)), encoding="utf-8")
    course, problems = load_course(src)
    assert course is not None and not problems
    assert render_course(course).data["completion"] == {
        "evaluation_required": False, "attestation_required": True,
        "attestation_text": "I did all of it.", "min_seat_minutes": 45, "idle_minutes": 10,
    }


@pytest.mark.parametrize("file", ["course.yaml", "modules/01-basics/module.yaml", "posttest.yaml",
                                  "evaluation.yaml", "references.yaml",
                                  "modules/01-basics/intro.md"])
def test_a_yaml_error_is_the_one_error_of_its_file(tmp_path: Path, file: str):
    """Not followed by "empty", "missing 'id'" and the like, which only repeat that the file
    could not be read (issue 13: they used to come first and bury the real cause)."""
    course = copy_course(SAMPLE, tmp_path / "course")
    path = course / file
    text = path.read_text(encoding="utf-8")
    if file.endswith(".md"):  # the page's front matter
        broken = text.replace("title:", "title: [unclosed\nother:", 1)
    else:
        broken = "title: [unclosed\n" + text
    path.write_text(broken, encoding="utf-8")
    result = run_cli("check", course)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines()
              if line.startswith(str(course)) and ": warning: " not in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{path}:") and "invalid YAML" in errors[0]
    assert "\n1 error(s), " in result.stderr


@pytest.mark.parametrize("command", [("check",), ("build", "-t", "xapi")])
def test_choice_limit_holds_whatever_is_built(tmp_path: Path, command: tuple[str, ...]):
    """The limit lives in the SCORM 1.2 target, yet `check` and an xAPI build report it too:
    the one player writes every answer in SCORM 1.2's one-character response syntax."""
    b = next(b for b in BREAKAGES if b.name == "too-many-choices")
    course = break_course(tmp_path, b)
    result = run_cli(*command, course, "-o", tmp_path / "dist") if command[0] == "build" \
        else run_cli(*command, course)
    where = f"{course / b.file}:{line_of(course / b.file, b.marker)}:7: {b.expect}"
    assert result.returncode == 1
    assert where in result.stderr.splitlines()
