"""Peak memory of building a course with one very large Markdown page (a script, not a test).

    python bench/big_page.py [--mb 50] [--cache]

Copies the test sample course, appends ordinary Markdown (headings, paragraphs with
emphasis, lists, a table) to one page until it is MB megabytes, builds it through the CLI
in a child process and prints the child's wall time and peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "courses" / "sample"

BLOCK = """
## Section {n}

Widgets are small parts that do **one job** each; a *gear* turns, a cog meshes and a
sprocket pulls a chain. Section {n} repeats this so the page grows to the size asked for.

- a gear, which turns
- a cog, which meshes
- a sprocket, which pulls

| part | job |
|---|---|
| gear | turns |

"""


def big_course(dest: Path, megabytes: float) -> Path:
    shutil.copytree(SAMPLE, dest)
    page = dest / "modules" / "01-basics" / "intro.md"
    target = int(megabytes * 1024 * 1024)
    with page.open("a", encoding="utf-8") as out:
        size, n = page.stat().st_size, 0
        while size < target:
            chunk = "".join(BLOCK.format(n=n + i) for i in range(1000))
            out.write(chunk)
            size += len(chunk.encode("utf-8"))
            n += 1000
    return dest


def peak_of_build(course: Path, out: Path, cache: Path | None) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit status) of one CLI build in a child process."""
    env = {**os.environ, "PYTHONPATH": str(REPO),
           "SCORMBUILD_CACHE_DIR": str(cache) if cache else ""}
    child = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child, sys.executable, "-m", "scormbuild", "build", str(course),
         "-o", str(out)], capture_output=True, text=True, env=env, check=True)
    seconds, peak, status = result.stdout.split()
    return float(seconds), int(peak), int(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--cache", action="store_true", help="build with the caches on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = big_course(Path(tmp) / "course", args.mb)
        size = (course / "modules" / "01-basics" / "intro.md").stat().st_size
        cache = Path(tmp) / "cache" if args.cache else None
        runs = 2 if args.cache else 1  # with the cache: cold, then warm
        for _ in range(runs):
            seconds, peak, status = peak_of_build(course, Path(tmp) / "dist", cache)
            print(f"page {size / 1024 / 1024:.1f} MB: exit {status}, {seconds:.1f} s, "
                  f"peak RSS {peak / 1024:.0f} MB ({peak * 1024 / size:.1f}x the page)")


if __name__ == "__main__":
    main()
