"""Player benchmark (a script, not a test): size, first-page time and worst-case state.

    python bench/player_bench.py [--loads 9] [--questions 300]

Prints, for information only (issue 3's budgets are shown beside each figure, nothing fails):
- player JS + CSS bytes, uncompressed, as shipped in the package (budget 60 KB);
- first page visible after navigation start, in headless Debian Chromium, median of several
  fresh loads of index.html from a 127.0.0.1 server (budget 300 ms). "Visible" is the first
  animation frame in which the current view ([data-sb-view]) has a non-empty box, measured
  with performance.now() (whose origin is the navigation start); first-contentful-paint and
  the player's own "scormbuild:ready" mark are printed beside it;
- the first view of a 3,000-page synthetic course (bench/synthetic.py, 6,000 questions)
  against course_src's, loads interleaved: 'scormbuild:ready' and the bytes received before
  it (issue 11: at most 1.5x the time and 3x the bytes);
- the worst-case cmi.suspend_data length as the build reports it and as the player computes
  it at run time, for the sample course, course_src and a generated course (budget 4,096).
Needs scripts/setup-test-env to have run (Chromium, the test extra).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from support.build import Built, build_course, unzip  # noqa: E402
from support.coursegen import write_course  # noqa: E402
from support.env import CHROMIUM, CHROMIUM_ARGS, SAMPLE_COURSE  # noqa: E402
from support.server import StaticServer  # noqa: E402

from bench.synthetic import write_synthetic_course  # noqa: E402

JS_CSS_BUDGET = 60 * 1024
FIRST_VIEW_BUDGET_MS = 300
BIG_PAGES, BIG_QUESTIONS = 3000, 6000
BIG_TIME_RATIO, BIG_BYTES_RATIO = 1.5, 3.0  # issue 11 point 9, against course_src
SUSPEND_BUDGET = 4096

# Installed before any page script: records when the current view first has a box.
VISIBLE_PROBE = """
(() => {
  const check = () => {
    const view = document.querySelector('[data-sb-view]');
    if (view) {
      const r = view.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && view.textContent.trim()) {
        window.__firstViewMs = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""


def player_bytes(zip_path: Path) -> dict[str, int]:
    """Sizes of the player's own JS and CSS files in the package (course data excluded)."""
    with zipfile.ZipFile(zip_path) as zf:
        return {
            i.filename: i.file_size
            for i in zf.infolist()
            if i.filename.startswith("player/") and i.filename.endswith((".js", ".css"))
        }


def first_view_times(sco_dir: Path, loads: int) -> list[dict[str, float | None]]:
    from playwright.sync_api import sync_playwright

    out: list[dict[str, float | None]] = []
    with StaticServer(root=sco_dir) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                # A fresh context per load: no cache, no saved state from the previous load.
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(VISIBLE_PROBE)
                page.goto(server.url("/index.html"))
                page.wait_for_function("() => window.__firstViewMs !== undefined", timeout=10_000)
                figures: dict[str, float | None] = page.evaluate(
                    """() => {
                      const paint = performance.getEntriesByName('first-contentful-paint')[0];
                      const ready = performance.getEntriesByName('scormbuild:ready')[0];
                      return {visible: window.__firstViewMs,
                              fcp: paint ? paint.startTime : null,
                              ready: ready ? ready.startTime : null};
                    }"""
                )
                out.append(figures)
                context.close()
        finally:
            browser.close()
    return out


# 'scormbuild:ready' and the bytes of every response that ended before it.
BEFORE_READY = """() => {
  const ready = performance.getEntriesByName('scormbuild:ready')[0].startTime;
  let bytes = performance.getEntriesByType('navigation')[0].encodedBodySize;
  for (const e of performance.getEntriesByType('resource'))
    if (e.responseEnd <= ready) bytes += e.encodedBodySize;
  return {ready, bytes};
}"""


def ready_and_bytes(dirs: dict[str, Path], loads: int) -> dict[str, list[dict[str, float]]]:
    """Fresh loads of each package, interleaved so all see the same machine load."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[dict[str, float]]] = {name: [] for name in dirs}
    mounts = {f"/{name}/": folder for name, folder in dirs.items()}
    with StaticServer(mounts=mounts) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                for name in dirs:
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(server.url(f"/{name}/index.html"))
                    page.wait_for_selector('html[data-sb-ready="true"]', state="attached")
                    out[name].append(page.evaluate(BEFORE_READY))
                    context.close()
        finally:
            browser.close()
    return out


def runtime_max_suspend(sco_dir: Path) -> int | None:
    """The player's own worst-case figure (window.scormbuildPlayer.maxSuspendLength())."""
    from playwright.sync_api import sync_playwright

    with StaticServer(root=sco_dir) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url("/index.html"))
            page.wait_for_selector('html[data-sb-ready="true"]', state="attached")
            value: Any = page.evaluate(
                "() => window.scormbuildPlayer && window.scormbuildPlayer.maxSuspendLength()"
            )
            return int(value) if value is not None else None
        finally:
            browser.close()


def median(values: list[float | None]) -> float | None:
    real = [v for v in values if v is not None]
    return statistics.median(real) if real else None


def fmt_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--loads", type=int, default=9, help="page loads to take the median of")
    parser.add_argument("--questions", type=int, default=300, help="size of the generated course")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} missing: run scripts/setup-test-env first", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="player-bench-") as tmp_name:
        tmp = Path(tmp_name)
        courses: dict[str, Path] = {"sample": SAMPLE_COURSE}
        if (REPO / "course_src" / "course.yaml").exists():
            courses["course_src"] = REPO / "course_src"
        courses[f"generated-{args.questions}q"] = write_course(
            tmp / "generated", questions=args.questions
        )
        builds: dict[str, Built] = {}
        for name, src in courses.items():
            try:
                builds[name] = build_course(src, tmp / f"dist-{name}")
            except AssertionError as exc:
                # A course still being written must not hide the other figures.
                print(f"(skipping {name}: its build failed: {str(exc).splitlines()[0]})")

        sample_zip = builds["sample"].zip_path
        sizes = player_bytes(sample_zip)
        total = sum(sizes.values())
        print("Player JS + CSS (uncompressed, as shipped):")
        for name, size in sorted(sizes.items()):
            print(f"  {name:<32} {size:>8,} B")
        verdict = "within" if total <= JS_CSS_BUDGET else "OVER"
        print(f"  {'total':<32} {total:>8,} B  ({verdict} the {JS_CSS_BUDGET:,} B budget)")

        first = "course_src" if "course_src" in builds else "sample"
        sco = unzip(builds[first].zip_path, tmp / "sco-first")
        times = first_view_times(sco, args.loads)
        visible = median([t["visible"] for t in times])
        print(
            f"\nFirst view visible after navigation start ({first}, standalone, "
            f"median of {len(times)} fresh loads in headless Chromium):"
        )
        print(f"  first view visible    {fmt_ms(visible)}  (budget {FIRST_VIEW_BUDGET_MS} ms)")
        print(f"  first-contentful-paint {fmt_ms(median([t['fcp'] for t in times]))}")
        print(f"  'scormbuild:ready'    {fmt_ms(median([t['ready'] for t in times]))}")
        spread = [t["visible"] for t in times if t["visible"] is not None]
        if spread:
            print(f"  (visible: min {min(spread):.0f} ms, max {max(spread):.0f} ms)")

        if "course_src" in builds:
            big_src = write_synthetic_course(tmp / "synthetic-3000", BIG_PAGES, BIG_QUESTIONS)
            big = unzip(build_course(big_src, tmp / "dist-3000").zip_path, tmp / "sco-3000")
            runs = ready_and_bytes({"course_src": sco, "3000": big}, args.loads)
            t_src, t_big = (median([r["ready"] for r in runs[n]]) for n in ("course_src", "3000"))
            b_src, b_big = (runs[n][0]["bytes"] for n in ("course_src", "3000"))
            print(f"\nFirst view, {BIG_PAGES:,}-page / {BIG_QUESTIONS:,}-question synthetic course "
                  f"against course_src (median of {args.loads} interleaved loads):")
            print(f"  'scormbuild:ready'    {fmt_ms(t_big)} vs {fmt_ms(t_src)}: "
                  f"{(t_big or 0) / (t_src or 1):.2f}x (at most {BIG_TIME_RATIO}x)")
            print(f"  bytes before ready    {b_big:,.0f} vs {b_src:,.0f}: "
                  f"{b_big / b_src:.2f}x (at most {BIG_BYTES_RATIO}x)")

        print("\nWorst-case cmi.suspend_data length (build check / player at run time):")
        for name, built in builds.items():
            runtime = runtime_max_suspend(unzip(built.zip_path, tmp / f"sco-{name}"))
            build_fig = "n/a" if built.largest_state is None else f"{built.largest_state:,}"
            run_fig = "n/a" if runtime is None else f"{runtime:,}"
            print(f"  {name:<22} {build_fig:>6} / {run_fig:>6} of {SUSPEND_BUDGET:,} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
