"""The first view does not grow with the course (issue 11, point 9).

index.html carries the course structure only; page and question content loads per module
from content/*.js. Measured in real Chromium from a 127.0.0.1 server, as ratios within one
run (the machine is shared, so absolute times mean little): a 3,000-page synthetic course
against course_src, both built by the real CLI.
"""

from __future__ import annotations

import shutil
import statistics
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from support.build import REPO, build_course, run_cli, unzip
from support.env import SAMPLE_COURSE
from support.server import StaticServer

from bench.synthetic import write_synthetic_course

pytestmark = pytest.mark.browser

READY = 'html[data-sb-ready="true"]'

# Bytes of every response that ended before the 'scormbuild:ready' mark (the document and
# each resource, as received), the names of those that ended later, and the mark's time.
BEFORE_READY = """() => {
  const ready = performance.getEntriesByName('scormbuild:ready')[0].startTime;
  const nav = performance.getEntriesByType('navigation')[0];
  const out = {ready, bytes: nav.encodedBodySize, before: ['index.html'], after: []};
  for (const e of performance.getEntriesByType('resource')) {
    const name = new URL(e.name).pathname.replace(/^\\//, '');
    if (e.responseEnd <= ready) { out.bytes += e.encodedBodySize; out.before.push(name); }
    else out.after.push(name);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("first-view")
    big = write_synthetic_course(tmp / "synthetic-src", pages=3000, questions=6000)
    out: dict[str, Path] = {}
    for name, src in (("course_src", REPO / "course_src"), ("synthetic", big),
                      ("sample", SAMPLE_COURSE)):
        zip_path = build_course(src, tmp / f"dist-{name}").zip_path
        out[name] = unzip(zip_path, tmp / name)
        out[f"{name}.zip"] = zip_path
    return out


def test_the_manifest_lists_every_content_file(packages: dict[str, Path]) -> None:
    zip_path = packages["course_src.zip"]
    with zipfile.ZipFile(zip_path) as zf:
        content = [n for n in zf.namelist() if n.startswith("content/")]
        manifest = zf.read("imsmanifest.xml").decode()
    assert "content/m1.js" in content and "content/posttest.js" in content
    for name in content:
        assert f'href="{name}"' in manifest
    result = run_cli("validate", str(zip_path))
    assert result.returncode == 0 and "0 error(s) | 0 warning(s)" in result.stdout


def first_load(chromium: Browser, url: str) -> dict[str, Any]:
    context = chromium.new_context()  # no cache and no saved state from an earlier load
    try:
        pg = context.new_page()
        pg.goto(url)
        pg.wait_for_selector(READY, state="attached")
        figures: dict[str, Any] = pg.evaluate(BEFORE_READY)
        return figures
    finally:
        context.close()


def test_first_view_of_a_3000_page_course(chromium: Browser, packages: dict[str, Path]) -> None:
    """At most 3x course_src's bytes before ready (the issue's goal, asserted), and the ready
    time ratio printed against the issue's 1.5x goal (bench/README.md has the figures). The
    time is asserted only against 3x: a ratio measured in one run on a busy 2-core machine
    varied from 0.9x to 1.8x, while a return to inlining everything measured 5.5x."""
    runs: dict[str, list[dict[str, Any]]] = {"course_src": [], "synthetic": []}
    with StaticServer(mounts={f"/{n}/": packages[n] for n in runs}) as server:
        for _ in range(5):  # interleaved, so both see the same machine load
            for name in runs:
                runs[name].append(first_load(chromium, server.url(f"/{name}/index.html")))
    src, big = runs["course_src"][0], runs["synthetic"][0]
    # Nothing of the content is needed for the first view (the menu).
    for figures in (src, big):
        assert not [n for n in figures["before"] if "/content/" in n], figures["before"]
    index_src = (packages["course_src"] / "index.html").stat().st_size
    index_big = (packages["synthetic"] / "index.html").stat().st_size
    ratio = big["bytes"] / src["bytes"]
    print(f"\nbytes before ready: course_src {src['bytes']:,} (index.html {index_src:,}), "
          f"3,000 pages {big['bytes']:,} (index.html {index_big:,}): {ratio:.2f}x")
    assert ratio <= 3.0
    t_src = statistics.median(r["ready"] for r in runs["course_src"])
    t_big = statistics.median(r["ready"] for r in runs["synthetic"])
    print(f"ready (median of 5): course_src {t_src:.0f} ms, 3,000 pages {t_big:.0f} ms: "
          f"{t_big / t_src:.2f}x")
    assert t_big <= 3.0 * t_src


def test_the_sample_course_loads_no_content_before_ready(
    chromium: Browser, packages: dict[str, Path]
) -> None:
    with StaticServer(root=packages["sample"]) as server:
        figures = first_load(chromium, server.url("/index.html"))
    assert [n for n in figures["before"] if n.startswith("content/")] == []
    index = (packages["sample"] / "index.html").stat().st_size
    shipped = sum(p.stat().st_size for p in (packages["sample"] / "player").rglob("*.js"))
    assert figures["bytes"] < index + shipped + 12_000  # index + scripts + CSS, no content


def test_content_loads_on_demand_and_the_next_module_is_preloaded(
    page: Page, packages: dict[str, Path]
) -> None:
    """From file:// (where fetch is blocked): pages of module 1 show, module 2 preloads."""
    page.goto((packages["sample"] / "index.html").as_uri())
    page.wait_for_selector(READY, state="attached")
    page.click(".sb-start [data-goto]")
    page.wait_for_selector('[data-sb-view] [data-view="page"] .sb-content p')
    page.wait_for_function(
        "() => [...document.scripts].some(s => s.src.endsWith('content/m2.js'))")
    loaded = page.evaluate("[...document.scripts].map(s => s.src.split('/').pop())")
    assert "m1.js" in loaded and "m2.js" in loaded and "posttest.js" not in loaded


def test_a_resumed_page_is_ready_with_its_content(page: Page, packages: dict[str, Path]) -> None:
    """Ready means the first view is up with its text, also when it needs a module's file."""
    index = (packages["sample"] / "index.html").as_uri()
    page.goto(index)
    page.wait_for_selector(READY, state="attached")
    page.click(".sb-start [data-goto]")
    page.click('[data-action="next"]')
    page.wait_for_selector('[data-sb-view] [data-view="page"]')
    view = page.evaluate("window.scormbuildPlayer.view")
    page.reload()  # the standalone tracker resumes at the saved view
    page.wait_for_selector(READY, state="attached")
    assert page.evaluate("window.scormbuildPlayer.view") == view
    assert page.locator(f'[data-page-id="{view}"] .sb-content').inner_text().strip()


def test_a_missing_content_file_shows_an_error(page: Page, packages: dict[str, Path],
                                               tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(packages["sample"], broken)
    (broken / "content" / "m1.js").unlink()
    page.goto((broken / "index.html").as_uri())
    page.wait_for_selector(READY, state="attached")
    page.click(".sb-start [data-goto]")
    alert = page.locator('[data-sb-view] [role="alert"][data-load-error="m1"]')
    alert.wait_for()
    assert "did not load" in alert.inner_text()
    assert page.locator("[data-sb-view] [data-page-id]").count() == 0  # no view came up


def test_a_module_not_loaded_yet_shows_a_loading_status(
    page: Page, packages: dict[str, Path]
) -> None:
    """A view whose module file is still on its way: a status, then the view itself."""
    held: list[Any] = []
    page.route("**/content/m2.js", lambda route: held.append(route))
    with StaticServer(root=packages["sample"]) as server:
        page.goto(server.url("/index.html"))
        page.wait_for_selector(READY, state="attached")
        target = page.evaluate(
            "document.querySelectorAll('.sb-module')[1].querySelector('[data-goto]')"
            ".getAttribute('data-goto')")
        page.click(f'.sb-entries [data-goto="{target}"]')
        loading = page.locator(f'[data-sb-view] [data-loading-view="{target}"]')
        loading.wait_for()
        assert loading.get_attribute("aria-busy") == "true"
        status = loading.locator('[role="status"][data-loading]')
        assert "Loading" in status.inner_text()
        assert page.evaluate("window.scormbuildPlayer.view") == target
        for _ in range(100):  # the request is held by the route until released here
            if held:
                break
            page.wait_for_timeout(50)
        held[0].continue_()
        page.locator(f'[data-page-id="{target}"] .sb-content').wait_for()
        assert page.locator("[data-loading-view]").count() == 0
