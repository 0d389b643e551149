"""A very large Markdown page builds in memory proportional to its size (issue 9).

markdown-it keeps a token object for every element of a text at once (about 90 times the
text's size); the renderer cuts large pages into sections. The 50 MB figure is measured by
bench/big_page.py and recorded in bench/README.md; this test keeps a 2 MB page under a
generous bound so a regression shows.
"""

from __future__ import annotations

from pathlib import Path

from bench.big_page import big_course, peak_of_build
from tests.helpers import SAMPLE

PER_BYTE = 25  # peak RSS above a small course's, per byte of page (about 90 before sections)


def test_a_large_page_builds_in_bounded_memory(tmp_path: Path):
    course = big_course(tmp_path / "course", 2)
    size = (course / "modules" / "01-basics" / "intro.md").stat().st_size
    _, base, status = peak_of_build(SAMPLE, tmp_path / "small", tmp_path / "cache-small")
    assert status == 0
    _, peak, status = peak_of_build(course, tmp_path / "dist", tmp_path / "cache")
    assert status == 0
    extra = (peak - base) * 1024
    assert extra < PER_BYTE * size, f"{extra / 2**20:.0f} MB above a small course's peak"
