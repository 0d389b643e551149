"""Command line: parse options, call one function, print, exit (0 ok, 1 problems, 2 usage)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click

from scormbuild import __version__
from scormbuild.build import NOT_A_FOLDER, build, compile_course
from scormbuild.outline import outline as make_outline
from scormbuild.output import emit
from scormbuild.problems import Problem, ProblemsFound
from scormbuild.render.cache import default_cache_dir
from scormbuild.resources import templates_dir
from scormbuild.targets import TARGETS

SRC_ARG = click.argument("src", default="course_src", type=click.Path(path_type=Path))


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


def _fail(problems: list[Problem]) -> None:
    _report(problems)
    sys.exit(1)


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def _guard(func):  # noqa: ANN001, ANN202
    """Problems in the user's input end in messages and exit 1, never a traceback."""

    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return func(*args, **kwargs)
        except ProblemsFound as found:
            _fail(found.problems)
        except OSError as err:
            where = err.filename or "output"
            click.echo(f"{where}: {err.strerror or err}", err=True)
            sys.exit(1)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scormbuild")
def main() -> None:
    """Compile a Markdown + YAML course into SCORM 1.2 and xAPI (Tin Can) packages."""


@main.command("build")
@SRC_ARG
@click.option("-o", "--out", default="dist", type=click.Path(path_type=Path),
              show_default=True, help="Folder for the packages.")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(sorted(TARGETS)),
              help="Package standard; repeat for several. Default: scorm12.")
@click.option("--no-cache", is_flag=True,
              help="Render every page afresh instead of reusing unchanged pages "
                   "(the cache is in SCORMBUILD_CACHE_DIR or ~/.cache/scormbuild).")
@_guard
def build_command(src: Path, out: Path, targets: tuple[str, ...], no_cache: bool) -> None:
    """Check SRC and write one package per target into OUT.

    Nothing in OUT changes unless every package builds. Unchanged pages are not rendered
    again (see --no-cache); the packages are byte-identical either way.
    """
    if out.exists() and not out.is_dir():
        click.echo(f"{out}: {NOT_A_FOLDER}", err=True)
        sys.exit(2)
    cache_dir = None if no_cache else default_cache_dir()
    result = build(src, out, list(targets) or ["scorm12"], cache_dir)
    _report(result.warnings)
    for note in result.notes:
        click.echo(note)
    for path, size in result.packages:
        click.echo(f"wrote {path} ({_size(size)})")


@main.command("check")
@SRC_ARG
@_guard
def check_command(src: Path) -> None:
    """Check the course source in SRC and report every problem as path:line:col."""
    compiled = compile_course(src)
    _report(compiled.warnings)
    warnings = len(compiled.warnings)
    click.echo(f"{src}: ok ({len(compiled.course.modules)} modules, "
               f"{len(compiled.rendered.page_words)} pages"
               + (f", {warnings} warning(s)" if warnings else "") + ")")


@main.command("outline")
@SRC_ARG
@click.option("--json", "as_json", is_flag=True, help="Print the outline as JSON.")
@_guard
def outline_command(src: Path, as_json: bool) -> None:
    """Print the compiled course: modules, pages, words, questions, estimated time."""
    compiled = compile_course(src)
    data = make_outline(compiled.course, compiled.rendered)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['title']} ({data['id']} {data['version']})")
    for m in data["modules"]:
        click.echo(f"  {m['id']}: {m['title']} ({len(m['pages'])} pages, {m['words']:,} words, "
                   f"{len(m['questions'])} knowledge-check questions)")
    if data["assessment"]:
        click.echo(f"  post-test: {len(data['assessment']['questions'])} questions, "
                   f"pass mark {data['assessment']['passing_score']}%")
    click.echo(f"  {data['words']:,} words; estimated {data['estimated_minutes']:g} minutes")


@main.command("validate")
@click.argument("package", type=click.Path(path_type=Path, dir_okay=False))
def validate_command(package: Path) -> None:
    """Check any SCORM 1.2 zip (from any tool) before uploading it to an LMS."""
    from scormbuild.validate import validate_package

    problems = validate_package(package)
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        click.echo(f"{package}: INVALID ({errors} error(s))", err=True)
        sys.exit(1)
    click.echo(f"{package}: valid SCORM 1.2 package"
               + (f" ({len(problems)} warning(s))" if problems else ""))


@main.group("export")
def export_group() -> None:
    """Documents for CE approvers: the answer key and the full course text."""


@export_group.command("answer-key")
@SRC_ARG
@click.option("--format", "fmt", type=click.Choice(["md", "csv"]), default="md",
              show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@_guard
def answer_key_command(src: Path, fmt: str, out: Path | None) -> None:
    """Every post-test and knowledge-check question with its key, rationale and objective."""
    from scormbuild.export import answer_key_csv, answer_key_markdown

    compiled = compile_course(src)
    text = (answer_key_csv if fmt == "csv" else answer_key_markdown)(compiled.course)
    emit(text, out)


@export_group.command("course-text")
@SRC_ARG
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@_guard
def course_text_command(src: Path, out: Path | None) -> None:
    """One printable HTML document of the whole course, with a word count per module."""
    from scormbuild.export import course_text_html

    compiled = compile_course(src)
    emit(course_text_html(compiled.course, compiled.rendered), out)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init_command(directory: Path) -> None:
    """Write a small working course into DIRECTORY to start from."""
    if directory.exists() and any(directory.iterdir()):
        click.echo(f"{directory}: not empty; choose a new folder", err=True)
        sys.exit(1)
    shutil.copytree(templates_dir() / "starter", directory, dirs_exist_ok=True)
    click.echo(f"wrote a starter course to {directory}; next: scormbuild build {directory}")


def run() -> None:  # pragma: no cover - console entry for `python -m scormbuild`
    main(prog_name="scormbuild", standalone_mode=True)


if os.environ.get("SCORMBUILD_DEBUG") == "1":  # pragma: no cover
    _guard = lambda f: f  # noqa: E731

from scormbuild.xapi.cli import xapi_group  # noqa: E402  (the xapi group is added last)

main.add_command(xapi_group)
