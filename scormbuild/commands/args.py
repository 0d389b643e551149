"""Arguments shared by every command group: where the course is."""

from __future__ import annotations

from pathlib import Path

import click

COURSE_FILE = "course.yaml"
DEFAULT_FOLDER = "course_src"
# Said wherever a course folder is missing, so the author learns how to point at theirs.
HOW_TO_PASS_SRC = (f"pass the course folder (the one holding {COURSE_FILE}) as SRC, e.g. "
                   f"`scormbuild build my-course`, or run scormbuild inside it")


def default_source(cwd: Path | None = None) -> Path:
    """SRC when none is given: this folder when it holds course.yaml, else ./course_src."""
    here = Path.cwd() if cwd is None else cwd
    return Path(".") if (here / COURSE_FILE).is_file() else Path(DEFAULT_FOLDER)


def _resolve(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    return default_source() if value is None else value


SRC_ARG = click.argument("src", required=False, type=click.Path(path_type=Path),
                         callback=_resolve)
