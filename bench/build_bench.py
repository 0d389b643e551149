"""Build-speed benchmark (a script, not a test): prints median wall times and ratios.

    python bench/build_bench.py [--runs 5]

Measures, on this machine, in one run so that ratios compare like with like:
- the full build of course_src (in process, and through the CLI as an author runs it);
- zipping the same package tree with Python's zipfile at the same compression level,
  and the build/zip-only ratio;
- synthetic courses of 100 pages/200 questions and 1,000 pages/2,000 questions, and the
  cost ratio of 10x the pages.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import write_synthetic_course  # noqa: E402
from scormbuild.build import (  # noqa: E402
    TARGETS,  # noqa: E402
    build,
    compile_course,
)
from scormbuild.package import COMPRESS_LEVEL  # noqa: E402
from scormbuild.problems import ProblemsFound  # noqa: E402


def median_seconds(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def package_tree(src: Path) -> dict[str, bytes]:
    compiled = compile_course(src)
    return TARGETS["scorm12"](compiled.course, compiled.rendered).files()


def zip_only(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def measure(label: str, src: Path, out: Path, runs: int, cache: Path) -> float:
    """Cold: every page rendered. Warm: an unchanged rebuild, pages from the render cache."""
    cold = median_seconds(lambda: build(src, out, ["scorm12"]), runs)
    build(src, out, ["scorm12"], cache)  # fill the cache
    warm = median_seconds(lambda: build(src, out, ["scorm12"], cache), runs)
    files = package_tree(src)
    zipping = median_seconds(lambda: zip_only(files), runs)
    size = sum(len(v) for v in files.values())
    print(f"{label:<34} cold {cold * 1000:7.1f} ms (ratio {cold / zipping:6.2f}) | "
          f"warm {warm * 1000:7.1f} ms (ratio {warm / zipping:5.2f}) | "
          f"zip-only {zipping * 1000:6.1f} ms | {len(files)} files, {size / 1024:,.0f} KB")
    return cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        print(f"median of {args.runs} runs; Python {sys.version.split()[0]}")
        course_src = REPO / "course_src"
        try:
            compile_course(course_src)
        except ProblemsFound as found:
            print(f"course_src skipped: it does not build ({len(found.problems)} problems)")
        else:
            measure("course_src (in process)", course_src, tmp_path / "d0", args.runs,
                    tmp_path / "cache")
            cli = median_seconds(lambda: subprocess.run(
                [sys.executable, "-m", "scormbuild", "build", str(course_src), "-o",
                 str(tmp_path / "d1"), "--no-cache"], check=True, capture_output=True), args.runs)
            print(f"{'course_src (CLI, cold, with startup)':<34} build {cli * 1000:7.1f} ms")
        small = write_synthetic_course(tmp_path / "s100", pages=100, questions=200)
        large = write_synthetic_course(tmp_path / "s1000", pages=1000, questions=2000)
        t_small = measure("synthetic 100 pages/200 questions", small, tmp_path / "d2", args.runs,
                          tmp_path / "cache")
        t_large = measure("synthetic 1,000 pages/2,000 q.", large, tmp_path / "d3",
                          max(3, args.runs // 2), tmp_path / "cache")
        print(f"10x the pages costs {t_large / t_small:.1f}x the time (cold builds)")


if __name__ == "__main__":
    main()
