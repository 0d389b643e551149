"""The pipeline: source -> model -> render -> target -> package."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from scormbuild import compile_cache
from scormbuild.cmi5.target import Cmi5Target
from scormbuild.datajson import decode, to_json
from scormbuild.package import write_atomically, zip_bytes
from scormbuild.problems import Problem, ProblemsFound, as_errors
from scormbuild.render.cache import RenderCache
from scormbuild.render.course_json import RenderedCourse, render_course
from scormbuild.render.markdown import replay_links
from scormbuild.scorm12.target import Scorm12Target
from scormbuild.scorm2004.target import Scorm2004Target
from scormbuild.source.checks import check_course
from scormbuild.source.files import SourceFiles
from scormbuild.source.load import load_course
from scormbuild.source.model import Course
from scormbuild.target import Target
from scormbuild.xapi.target import XapiTarget

# Every output standard, by the name `--target` takes (commands/cli.py spells the names out
# for start-up time; a test keeps them equal).
TARGETS: dict[str, type[Target]] = {
    "scorm12": Scorm12Target, "scorm2004": Scorm2004Target, "xapi": XapiTarget,
    "cmi5": Cmi5Target,
}


@dataclass
class Compiled:
    course: Course
    rendered: RenderedCourse
    warnings: list[Problem]


@dataclass
class BuildResult:
    packages: list[tuple[Path, int]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.message))


def compile_course(src: Path, cache_dir: Path | None = None) -> Compiled:
    """Load, check and render; raise ProblemsFound with every problem if any is an error.

    ``cache_dir`` holds compiled courses and rendered Markdown between runs (None: compile
    everything afresh).
    """
    if cache_dir is not None and src.is_dir():
        cached = _from_cache(cache_dir, src)
        if cached is not None:
            return cached
    files = SourceFiles()
    course, problems = load_course(src, files)
    if course is not None:
        problems += check_course(course)
        for target in TARGETS.values():
            problems += target.course_problems(course)
        rendered = _render(course, cache_dir, src)
        problems += rendered.problems
    if course is None or _errors(problems):
        raise ProblemsFound(_sorted(problems))
    warnings = _sorted([p for p in problems if p.severity == "warning"])
    compiled = Compiled(course=course, rendered=rendered, warnings=warnings)
    if cache_dir is not None:
        # The assets are never stored: a cached build finds them again from the links.
        stored = to_json(replace(compiled, rendered=replace(rendered, assets={})))
        compile_cache.store(cache_dir, src, files.seen, stored)
    return compiled


def _render(course: Course, cache_dir: Path | None, src: Path) -> RenderedCourse:
    """Render through the render cache (a function of its own so the cache's entries are
    freed before the compiled course is stored: they can be as large as the pages)."""
    cache = RenderCache.open(cache_dir, src)
    rendered = render_course(course, cache)
    cache.save()
    return rendered


def _from_cache(cache_dir: Path, src: Path) -> Compiled | None:
    """A compiled course from the cache, checked value by value, or None (a miss)."""
    stored = compile_cache.load(cache_dir, src)
    if stored is None:
        return None
    try:
        compiled = decode(Compiled, stored)
    except ValueError:  # not the shape the code declares
        return None
    # Which files go into the package comes from the course folder as it is now.
    assets = replay_links(compiled.rendered.links, compiled.course.root)
    if assets is None or compiled.course.root != src:
        return None
    compiled.rendered.assets = dict(sorted(assets.items()))
    return compiled


NOT_A_FOLDER = "is a file, not a folder; -o names the folder the packages go into"


def _asset_problems(compiled: Compiled) -> list[Problem]:
    """Every file that goes into a package must be a regular file inside the course folder,
    whatever produced the list (defence in depth: the links were checked when rendered)."""
    root = compiled.course.root.resolve()
    out = []
    for package_path, file in compiled.rendered.assets.items():
        real = file.resolve()
        if not real.is_relative_to(root) or not real.is_file():
            out.append(Problem(str(file), 0, 0, f"'{package_path}' is not a file inside the "
                                                f"course folder {compiled.course.root}"))
    return out


def build(src: Path, out: Path, targets: list[str], cache_dir: Path | None = None,
          strict: bool = False) -> BuildResult:
    """Build every target in memory first; write only when all succeeded.

    A failed build therefore leaves ``out`` exactly as it was. ``strict``: any warning fails
    the build too (release builds).
    """
    if out.exists() and not out.is_dir():
        raise ProblemsFound([Problem(str(out), 0, 0, NOT_A_FOLDER)])
    compiled = compile_course(src, cache_dir)
    if strict and compiled.warnings:
        raise ProblemsFound(as_errors(compiled.warnings))
    result = BuildResult(warnings=compiled.warnings)
    packages: list[tuple[Path, bytes]] = []
    problems: list[Problem] = _asset_problems(compiled)
    for name in targets:
        target = TARGETS[name](compiled.course, compiled.rendered)
        target_problems = target.check()
        file_name = target.package_name()
        if Path(file_name).name != file_name or file_name.startswith("."):
            # The loader restricts id and version; the package must land in ``out`` anyway.
            target_problems.append(Problem(str(compiled.course.mark.path), 0, 0,
                                           f"package name '{file_name}' is not a plain file "
                                           "name"))
        problems += target_problems
        result.notes += target.notes
        if not _errors(problems):
            packages.append((out / file_name, zip_bytes(target.files())))
    if _errors(problems):
        raise ProblemsFound(_sorted(problems))
    for path, data in packages:
        write_atomically(path, data)
        result.packages.append((path, len(data)))
    return result
