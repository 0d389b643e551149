"""Hostile and careless sources (issue 9): bounded YAML, control characters, link schemes,
asset names, symlinks, FIFOs. Each ends in a path:line:col message from `check`, never a
traceback, a hang or gigabytes of memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from support.peak import run_measured

from scormbuild.source.yamlnodes import parse_yaml
from tests.helpers import SAMPLE, copy_course, line_of, run_cli

MODULE = Path("modules/01-basics/module.yaml")
PAGE = Path("modules/01-basics/intro.md")


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text,
                    encoding="utf-8")


def check_with_peak(course: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """`scormbuild check` in a child process; (result, the child's peak RSS in bytes).

    The child runs with a 1 GB address-space limit so that a regression fails here (as a
    MemoryError traceback) instead of exhausting the machine.
    """
    command = [sys.executable, "-m", "scormbuild", "check", str(course)]
    measured = run_measured(command, timeout=60, address_space=1 << 30)
    result = subprocess.CompletedProcess(command, measured.returncode, measured.stdout,
                                         measured.stderr)
    return result, measured.peak_bytes


def test_billion_laughs_is_refused_quickly_in_little_memory(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    append(course / MODULE, billion_laughs())
    result, peak = check_with_peak(course)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    where = f"{course / MODULE}:{line_of(course / MODULE, 'lol4:')}:"
    assert any(line.startswith(where) and "aliases" in line
               for line in result.stderr.splitlines()), result.stderr
    assert peak < 200 * 1024 * 1024, f"peak RSS {peak / 2**20:.0f} MB"
    start = time.perf_counter()
    problems: list = []
    assert parse_yaml(billion_laughs(), Path("m.yaml"), problems) is None
    assert time.perf_counter() - start < 0.5
    assert [p.line for p in problems] == [5]  # lol4: 15,670 values


@pytest.mark.parametrize("depth", [330, 999, 200_000])
def test_deep_nesting_is_a_clean_error(tmp_path: Path, depth: int):
    """330-999 levels raised RecursionError; 200,000 crashed libyaml's composer."""
    course = copy_course(SAMPLE, tmp_path / "course")
    append(course / MODULE, "deep: " + "[" * depth + "]" * depth + "\n")
    result, peak = check_with_peak(course)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    where = f"{course / MODULE}:{line_of(course / MODULE, 'deep:')}:"
    assert any(line.startswith(where) and "nested more than" in line
               for line in result.stderr.splitlines()), result.stderr
    assert peak < 200 * 1024 * 1024


def test_an_alias_inside_itself_is_an_error():
    problems: list = []
    assert parse_yaml("a: &x [1, *x]\n", Path("m.yaml"), problems) is None
    assert [(p.line, p.col) for p in problems] == [(1, 11)]
    assert "contains it" in problems[0].message


def test_ordinary_aliases_still_work():
    problems: list = []
    data = parse_yaml("scale: &s [a, b]\nother: *s\n", Path("m.yaml"), problems)
    assert problems == [] and data["other"] == ["a", "b"]
    assert data.value_marks["other"].line == 2


@pytest.mark.parametrize(("file", "old", "new"), [
    ("course.yaml", "title: Sample Course for Tests", 'title: "Sample\\vCourse"'),
    ("modules/01-basics/module.yaml", "prompt: How many kinds of widget are there?",
     'prompt: "How many\\x00kinds?"'),
    ("modules/01-basics/intro.md", "title: What is a widget?", 'title: "What\\eis it?"'),
    ("posttest.yaml", "correct: gear", 'correct: "gear\\x85"'),
])
def test_control_characters_fail_check_with_a_position(tmp_path: Path, file: str, old: str,
                                                       new: str):
    """Today `check` passed and `build` raised a ValueError from lxml."""
    course = copy_course(SAMPLE, tmp_path / "course")
    path = course / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    for command in (["check", course], ["build", course, "-o", tmp_path / "dist"]):
        result = run_cli(*command)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        where = f"{path}:{line_of(path, new.split(':')[0])}:"
        assert any(line.startswith(where) and "control character" in line
                   for line in result.stderr.splitlines()), result.stderr
    assert not (tmp_path / "dist").exists()


def test_asset_names_with_spaces_and_accents_resolve(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    (course / "assets" / "my pic.png").write_bytes(b"space")
    (course / "assets" / "café.png").write_bytes(b"accent")
    (course / "assets" / "100%.txt").write_bytes(b"percent")
    append(course / PAGE, "\n![Spaced](<../../assets/my pic.png>) ![Accent](../../assets/café.png)"
                          "\n\n[Again](../../assets/my%20pic.png) [Pct](../../assets/100%.txt)\n")
    result = run_cli("build", course, "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "dist" / "sample-course-2.1.0-scorm12.zip") as z:
        assert z.read("assets/my pic.png") == b"space"
        assert z.read("assets/café.png") == b"accent"
        assert z.read("assets/100%.txt") == b"percent"
        # Page HTML ships in the per-module content scripts (index.html has the structure).
        page = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("content/"))
    # In the page, the names are URL-encoded, as a browser (and an LMS's web server) expects.
    for href in ("assets/my%20pic.png", "assets/caf%C3%A9.png", "assets/100%25.txt"):
        assert f'\\"{href}\\"' in page


@pytest.mark.parametrize("markdown", [
    "[Click](javascript:alert(1))",
    "[Click](JavaScript:alert(1))",
    "[Data](data:text/html;base64,PHNjcmlwdD4=)",
    "[VB](vbscript:msgbox(1))",
    "[File](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "[Ref][r]\n\n[r]: javascript:alert(1)",
    "![Pixel](data:image/png;base64,iVBORw0KGgo=)",
    "![Remote](https://example.org/pic.png)",
    "![Remote](http://example.org/pic.png)",
    "![Mail](mailto:a@example.org)",
])
def test_unsafe_links_and_remote_images_are_errors_naming_the_page(tmp_path: Path,
                                                                    markdown: str):
    """Today most of these were shown as text, or (remote images) requested at run time."""
    course = copy_course(SAMPLE, tmp_path / "course")
    append(course / PAGE, "\nMARK " + markdown + "\n")
    result = run_cli("check", course)
    assert result.returncode == 1, result.stderr
    where = f"{course / PAGE}:{line_of(course / PAGE, 'MARK ')}:"
    assert any(line.startswith(where) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr


def test_links_to_remote_pages_and_mail_stay_allowed(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    append(course / PAGE, "\nSee [the spec](https://example.org/spec) or "
                          "[write](mailto:a@example.org) or [below](#top).\n")
    result = run_cli("build", course, "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "dist" / "sample-course-2.1.0-scorm12.zip") as z:
        page = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("content/"))
    assert 'href=\\"https://example.org/spec\\" target=\\"_blank\\"' in page
    assert 'href=\\"mailto:a@example.org\\"' in page


def test_modules_folder_symlinked_outside_is_an_error(tmp_path: Path):
    course = copy_course(SAMPLE, tmp_path / "course")
    (course / "modules").rename(tmp_path / "elsewhere")
    (course / "modules").symlink_to(tmp_path / "elsewhere")
    result = run_cli("check", course)
    assert result.returncode == 1
    path = course / "course.yaml"
    where = f"{path}:{line_of(path, 'modules:') + 1}:"
    assert any(line.startswith(where) and "outside" in line
               for line in result.stderr.splitlines()), result.stderr


def test_files_the_course_does_not_use_are_never_opened(tmp_path: Path):
    """A FIFO hung the build and a symlink to /dev/zero ate memory: the cache hashed every
    file in the tree."""
    course = copy_course(SAMPLE, tmp_path / "course")
    os.mkfifo(course / "assets" / "pipe")
    (course / "zero").symlink_to("/dev/zero")
    (course / "notes.txt").write_text("private")
    (course / "notes.txt").chmod(0)
    env = {**os.environ, "SCORMBUILD_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then from the compile cache
        result = subprocess.run([sys.executable, "-m", "scormbuild", "build", str(course), "-o",
                                 str(tmp_path / "dist")], capture_output=True, text=True,
                                env=env, timeout=60)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["posttest.yaml", "references.yaml"])
def test_a_used_file_that_is_a_fifo_is_an_error_not_a_hang(tmp_path: Path, name: str):
    course = copy_course(SAMPLE, tmp_path / "course")
    (course / name).unlink()
    os.mkfifo(course / name)
    result = subprocess.run([sys.executable, "-m", "scormbuild", "check", str(course)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{course / name}:1:1: cannot read {name}: not a regular file" in result.stderr


@pytest.mark.parametrize("version", ["1.0/../../x", "../x", ".hidden", "-rf", "1 0", "a" * 65])
def test_unsafe_versions_are_refused_and_nothing_leaves_the_output_folder(tmp_path: Path,
                                                                         version: str):
    course = copy_course(SAMPLE, tmp_path / "course")
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("version: 2.1.0",
                                                             f'version: "{version}"'))
    out = tmp_path / "a" / "b" / "dist"
    result = run_cli("build", course, "-o", out)
    assert result.returncode == 1
    where = f"{path}:{line_of(path, 'version:')}:"
    assert any(line.startswith(where) and "version" in line
               for line in result.stderr.splitlines()), result.stderr
    assert not list(tmp_path.rglob("*.zip"))
