"""Seat-time distributions against the word-count estimate: pure statistics, no I/O.

Percentiles are linear interpolation between order statistics (Hyndman and Fan type 7, the
method of spreadsheets' PERCENTILE.INC and of numpy's default), so a committee member can
check any figure in a spreadsheet from the CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PROVISIONAL_BELOW = 30


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th quantile (0..1) of ``values``, type 7."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


@dataclass(frozen=True)
class Distribution:
    """Seconds."""

    n: int
    p10: float
    q1: float
    median: float
    q3: float
    p90: float
    low: float
    high: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


def distribution(values: Sequence[float]) -> Distribution | None:
    if not values:
        return None
    return Distribution(len(values), percentile(values, 0.10), percentile(values, 0.25),
                        percentile(values, 0.50), percentile(values, 0.75),
                        percentile(values, 0.90), min(values), max(values))


@dataclass(frozen=True)
class Part:
    """The course or one module: measured times against the estimate."""

    id: str
    title: str
    estimate_minutes: float
    times: Distribution | None

    @property
    def ratio(self) -> float | None:
        """Median measured time as a share of the estimate."""
        if self.times is None or self.estimate_minutes <= 0:
            return None
        return self.times.median / 60 / self.estimate_minutes

    @property
    def provisional(self) -> bool:
        return self.times is None or self.times.n < PROVISIONAL_BELOW


@dataclass(frozen=True)
class SeatTimeReport:
    course: Part
    modules: tuple[Part, ...]
    completers: int
    learners: int  # every learner with a statement about the course


def seat_time_report(course: tuple[str, str, float], course_times: Sequence[float],
                     modules: Sequence[tuple[str, str, float, Sequence[float]]],
                     learners: int) -> SeatTimeReport:
    """``course``: (id, title, estimated minutes); ``modules``: (id, title, estimated minutes,
    one time in seconds per completer with data for that module)."""
    cid, ctitle, cest = course
    return SeatTimeReport(
        course=Part(cid, ctitle, cest, distribution(course_times)),
        modules=tuple(Part(mid, title, est, distribution(times))
                      for mid, title, est, times in modules),
        completers=len(course_times), learners=learners)
