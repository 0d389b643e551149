"""Start-up time of the CLI: `--help` and a warm `build` (median wall time of N runs).

    python bench/startup_bench.py [--runs 15]

Prints figures only; never fails on them (the machine is shared: compare numbers measured in
one run). `python -X importtime -m scormbuild --help` shows where the time goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SCORMBUILD_CACHE_DIR=str(Path(tmp) / "cache"))
        py = [sys.executable]
        bare = median_ms(py + ["-c", "pass"], args.runs, env)
        helped = median_ms(py + ["-m", "scormbuild", "--help"], args.runs, env)
        build = py + ["-m", "scormbuild", "build", "course_src", "-o", str(Path(tmp) / "dist")]
        subprocess.run(build, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        warm = median_ms(build, args.runs, env)
    print(f"python -c pass            {bare:7.0f} ms")
    print(f"scormbuild --help         {helped:7.0f} ms")
    print(f"scormbuild build (warm)   {warm:7.0f} ms")


if __name__ == "__main__":
    main()
