"""Command line: parse options, call one function, print, exit (0 ok, 1 problems, 2 usage)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scormbuild import __version__
from scormbuild.commands.args import HOW_TO_PASS_SRC, SRC_ARG
from scormbuild.commands.guard import guard, report
from scormbuild.commands.lazy import LazyGroup
from scormbuild.problems import PLACEHOLDER_REMAINS, Problem, ProblemsFound, as_errors

# Start-up time: the pipeline (Markdown, YAML, Jinja, lxml, tincan) is imported inside the
# commands that use it, never at module level, so `--help` and `--version` stay fast
# (bench/README.md). The target names are spelled out for the same reason; a test keeps
# them equal to scormbuild.build.TARGETS.
TARGET_NAMES = ("scorm12", "scorm2004", "xapi", "cmi5")
# The targets the preview runs (a cmi5 LMS is not simulated: docs/serve.md).
SERVE_TARGET_NAMES = ("scorm12", "scorm2004", "xapi")

if TYPE_CHECKING:
    from scormbuild.build import Compiled


def compile_course(src: Path, cache_dir: Path | None = None) -> Compiled:
    from scormbuild.build import compile_course as compile_

    return compile_(src, cache_dir)


STRICT_OPTION = click.option(
    "--strict", is_flag=True,
    help="Treat every warning as an error (exit 1, nothing written): for release builds. "
         "Placeholders, item-writing findings and a certificate that would be marked "
         "'not for issue' then stop the build.")
PLACEHOLDER = f"{PLACEHOLDER_REMAINS}: "  # the loader's per-placeholder warning


def summarise_placeholders(problems: list[Problem]) -> list[Problem]:
    """The build's view of the warnings: placeholders as one line with a count per file, so
    they do not bury the line naming the package. Other warnings stay as they are."""
    held = [p for p in problems if p.message.startswith(PLACEHOLDER)]
    if len(held) < 2:
        return problems
    per_file: dict[str, int] = {}
    for p in held:
        per_file[p.path] = per_file.get(p.path, 0) + 1
    counts = ", ".join(f"{path}: {n}" for path, n in per_file.items())
    folder = os.path.commonpath([p.path for p in held]) if len(per_file) > 1 else held[0].path
    summary = Problem(folder, 0, 0,
                      f"{len(held)} placeholders remain ({counts}); "
                      "`scormbuild check` lists each", "warning")
    return [p for p in problems if not p.message.startswith(PLACEHOLDER)] + [summary]


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             lazy={"xapi": ("scormbuild.commands.xapi:xapi_group",
                            "xAPI (Tin Can): activity definitions, LRS checks, launch URLs and "
                            "learner records.")})
@click.version_option(__version__, prog_name="scormbuild")
def main() -> None:
    """Compile a Markdown + YAML course into SCORM 1.2, SCORM 2004 and xAPI (Tin Can) packages."""


@main.command("build")
@SRC_ARG
@click.option("-o", "--out", default="dist", type=click.Path(path_type=Path),
              show_default=True, help="Folder for the packages.")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(TARGET_NAMES),
              help="Package standard; repeat for several. Default: scorm12.")
@click.option("--no-cache", is_flag=True,
              help="Render every page afresh instead of reusing unchanged pages "
                   "(the cache is in SCORMBUILD_CACHE_DIR or ~/.cache/scormbuild).")
@STRICT_OPTION
@guard
def build_command(src: Path, out: Path, targets: tuple[str, ...], no_cache: bool,
                  strict: bool) -> None:
    """Check SRC and write one package per target into OUT.

    Nothing in OUT changes unless every package builds. Unchanged pages are not rendered
    again (see --no-cache); the packages are byte-identical either way. Remaining
    placeholders are summed up in one line (`scormbuild check` lists each).
    """
    from scormbuild.build import NOT_A_FOLDER, build
    from scormbuild.render.cache import default_cache_dir

    if out.exists() and not out.is_dir():
        click.echo(f"{out}: {NOT_A_FOLDER}", err=True)
        sys.exit(2)
    cache_dir = None if no_cache else default_cache_dir()
    result = build(src, out, list(targets) or ["scorm12"], cache_dir, strict=strict)
    report(summarise_placeholders(result.warnings))
    for note in result.notes:
        click.echo(note)
    for path, size in result.packages:
        click.echo(f"wrote {path} ({_size(size)})")


@main.command("serve")
@SRC_ARG
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1/localhost is warned about.")
@click.option("-t", "--target", default="scorm12", show_default=True,
              type=click.Choice(SERVE_TARGET_NAMES), help="Which package the preview runs.")
def serve_command(src: Path, port: int, host: str, target: str) -> None:
    """Preview SRC in the browser with an LMS inspector; rebuild and reload on every save.

    The course runs against a simulated LMS that enforces the SCORM 1.2 data model and limits
    (or the preview's own xAPI endpoint), and every call is shown. Nothing is written to the
    course or to dist/. Ctrl-C stops it. See docs/serve.md.
    """
    if not src.is_dir():
        click.echo(f"{src}: course folder not found; {HOW_TO_PASS_SRC}", err=True)
        sys.exit(1)
    from scormbuild.render.cache import default_cache_dir
    from scormbuild.serve.run import serve

    sys.exit(serve(src, host, port, target, default_cache_dir(),
                   lambda text, err: click.echo(text, err=err)))


@main.command("check")
@SRC_ARG
@STRICT_OPTION
@guard
def check_command(src: Path, strict: bool) -> None:
    """Check the course source in SRC and report every problem as path:line:col."""
    compiled = compile_course(src)
    if strict and compiled.warnings:
        raise ProblemsFound(as_errors(compiled.warnings))
    report(compiled.warnings)
    warnings = len(compiled.warnings)
    click.echo(f"{src}: ok ({len(compiled.course.modules)} modules, "
               f"{len(compiled.rendered.page_words)} pages"
               + (f", {warnings} warning(s)" if warnings else "") + ")")


@main.command("outline")
@SRC_ARG
@click.option("--json", "as_json", is_flag=True, help="Print the outline as JSON.")
@guard
def outline_command(src: Path, as_json: bool) -> None:
    """Print the compiled course: modules, pages, words, questions, estimated time."""
    from scormbuild.outline import outline as make_outline

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
@click.argument("packages", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True,
              help="Treat every warning as an error (full XSD conformance).")
@click.option("--cmi5-xsd", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Also validate cmi5.xml against this copy of the cmi5 CourseStructure.xsd.")
def validate_command(packages: tuple[Path, ...], strict: bool, cmi5_xsd: Path | None) -> None:
    """Check packages (from any tool) before uploading them to an LMS.

    SCORM 1.2, SCORM 2004 and cmi5 get every check; Tin Can gets zip safety and files.

    Exit status: 0 valid, 1 invalid, 3 checked only for zip safety and files (Tin Can). With
    several packages, the worst status wins. See docs/validate.md.
    """
    from scormbuild.validate import validate

    schema = None
    if cmi5_xsd is not None:
        from scormbuild.cmi5.rules import load_xsd

        try:
            schema = load_xsd(cmi5_xsd)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--cmi5-xsd") from exc
    worst = 0
    for package in packages:
        report = validate(package, strict=strict, cmi5_xsd=schema)
        for problem in report.problems:
            click.echo(str(problem), err=problem.severity == "error")
        click.echo(report.summary(), err=report.errors > 0)
        # Invalid (1) outranks partly checked (3), which outranks valid (0).
        worst = max(worst, report.exit_code, key=lambda code: (0, 3, 1).index(code))
    sys.exit(worst)


@main.group("export")
def export_group() -> None:
    """Documents for CE approvers: the answer key and the full course text."""


@export_group.command("answer-key")
@SRC_ARG
@click.option("--format", "fmt", type=click.Choice(["md", "csv"]), default="md",
              show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@guard
def answer_key_command(src: Path, fmt: str, out: Path | None) -> None:
    """Every post-test and knowledge-check question with its key, rationale and objective."""
    from scormbuild.commands.output import emit
    from scormbuild.export import answer_key_csv, answer_key_markdown

    compiled = compile_course(src)
    text = (answer_key_csv if fmt == "csv" else answer_key_markdown)(compiled.course)
    emit(text, out)


@export_group.command("course-text")
@SRC_ARG
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@guard
def course_text_command(src: Path, out: Path | None) -> None:
    """One printable HTML document of the whole course, with a word count per module."""
    from scormbuild.commands.output import emit
    from scormbuild.export import course_text_html

    compiled = compile_course(src)
    emit(course_text_html(compiled.course, compiled.rendered), out)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init_command(directory: Path) -> None:
    """Write a small working course into DIRECTORY to start from."""
    from scormbuild.resources import templates_dir

    if directory.exists() and any(directory.iterdir()):
        click.echo(f"{directory}: not empty; choose a new folder", err=True)
        sys.exit(1)
    shutil.copytree(templates_dir() / "starter", directory, dirs_exist_ok=True)
    click.echo(f"wrote a starter course to {directory}; next: scormbuild build {directory}")


def run() -> None:  # pragma: no cover - console entry for `python -m scormbuild`
    main(prog_name="scormbuild", standalone_mode=True)

