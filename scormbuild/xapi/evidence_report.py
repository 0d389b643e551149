"""The CE evidence reports as one self-contained HTML file (inline SVG, no script, printable)
or as CSV for spreadsheets. Same data, same bytes: nothing here reads the clock.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from html import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scormbuild.resources import templates_dir
from scormbuild.xapi.ce_evidence import DataSource, ItemAnalysis, SeatTime
from scormbuild.xapi.item_analysis import PROVISIONAL_BELOW
from scormbuild.xapi.records import hms
from scormbuild.xapi.seat_time import Part

KEY_COLOUR, OTHER_COLOUR, FLAG_COLOUR = "#1b6e3a", "#8a8f98", "#b3261e"


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(templates_dir() / "reports")),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                       lstrip_blocks=True, undefined=StrictUndefined)


def pct(x: float | None, places: int = 0) -> str:
    return "\u2014" if x is None else f"{x * 100:.{places}f}%"


def num(x: float | None, places: int = 2) -> str:
    return "\u2014" if x is None else f"{x:.{places}f}"


def minutes(seconds: float | None) -> str:
    return "\u2014" if seconds is None else f"{seconds / 60:.1f}"


# ---------- SVG charts (drawn here so the geometry is plain Python) ----------

def share_bar(share: float, top_share: float, key: bool) -> Markup:
    """One option's bar: share of all attempts (green for the key, which the table also says
    in words), the top third's share as a black tick."""
    width = 200
    w = round(share * width, 1)
    tick = round(top_share * width, 1)
    colour = KEY_COLOUR if key else OTHER_COLOUR
    return Markup(
        f'<svg class="bar" width="{width + 4}" height="18" viewBox="0 0 {width + 4} 18" '
        f'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">'
        f'<rect x="0" y="2" width="{width}" height="14" fill="#eef0f3"/>'
        f'<rect x="0" y="2" width="{w}" height="14" fill="{colour}"/>'
        f'<line x1="{tick}" x2="{tick}" y1="0" y2="18" stroke="#000" stroke-width="2"/></svg>')


def histogram_svg(bands: Sequence[int], pass_mark: int) -> Markup:
    width, height, left, bottom = 440, 180, 30, 30
    top = max(bands) if any(bands) else 1
    bw = (width - left - 10) / len(bands)
    plot_h = height - bottom - 10
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             "<title>Score distribution: attempts per 10-point band</title>"]
    for i, count in enumerate(bands):
        h = round(count / top * plot_h, 1)
        x = round(left + i * bw, 1)
        y = round(height - bottom - h, 1)
        parts.append(f'<rect x="{x + 1}" y="{y}" width="{round(bw - 2, 1)}" height="{h}" '
                     f'fill="{OTHER_COLOUR}"/>')
        parts.append(f'<text x="{round(x + bw / 2, 1)}" y="{y - 2}" font-size="11" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{round(x + bw / 2, 1)}" y="{height - bottom + 14}" '
                     f'font-size="10" text-anchor="middle">{i * 10}</text>')
    px = round(left + pass_mark / 10 * bw, 1)
    parts.append(f'<line x1="{px}" x2="{px}" y1="4" y2="{height - bottom}" stroke="{FLAG_COLOUR}"'
                 ' stroke-dasharray="4 3" stroke-width="2"/>')
    parts.append(f'<text x="{px + 3}" y="12" font-size="11" fill="{FLAG_COLOUR}">pass mark '
                 f"{pass_mark}%</text>")
    parts.append(f'<text x="{left}" y="{height - 2}" font-size="11">score (%)</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def box_plots(parts_: Sequence[Part]) -> Markup:
    """One row per part: whiskers P10-P90, box Q1-Q3, median line, the estimate as a red
    diamond; a common minute scale."""
    label_w, plot_w, row = 190, 420, 34
    height = row * len(parts_) + 40
    values = [0.0]
    for p in parts_:
        values.append(p.estimate_minutes)
        if p.times:
            values.append(p.times.p90 / 60)
    scale_max = max(values) * 1.1 or 1.0

    def x(m: float) -> float:
        return round(label_w + m / scale_max * plot_w, 1)

    out = [f'<svg class="chart" role="img" width="{label_w + plot_w + 20}" height="{height}" '
           f'viewBox="0 0 {label_w + plot_w + 20} {height}" xmlns="http://www.w3.org/2000/svg">',
           "<title>Active time in minutes: box = middle half, whiskers = 10th to 90th "
           "percentile, line = median, diamond = word-count estimate</title>"]
    for i, p in enumerate(parts_):
        y = 10 + i * row
        mid = y + 10
        name = p.title if len(p.title) <= 28 else p.title[:27] + "\u2026"
        out.append(f'<text x="0" y="{mid + 4}" font-size="12">{escape(name)}</text>')
        if p.times:
            t = p.times
            out.append(f'<line x1="{x(t.p10 / 60)}" x2="{x(t.p90 / 60)}" y1="{mid}" '
                       f'y2="{mid}" stroke="#333"/>')
            out.append(f'<rect x="{x(t.q1 / 60)}" y="{y + 2}" '
                       f'width="{round(x(t.q3 / 60) - x(t.q1 / 60), 1)}" height="16" '
                       f'fill="#c9d3e0" stroke="#333"/>')
            out.append(f'<line x1="{x(t.median / 60)}" x2="{x(t.median / 60)}" y1="{y}" '
                       f'y2="{y + 20}" stroke="#000" stroke-width="3"/>')
        ex = x(p.estimate_minutes)
        out.append(f'<path d="M{ex} {mid - 7} L{ex + 7} {mid} L{ex} {mid + 7} L{ex - 7} {mid} Z"'
                   f' fill="{FLAG_COLOUR}"/>')
    axis_y = height - 24
    out.append(f'<line x1="{label_w}" x2="{label_w + plot_w}" y1="{axis_y}" y2="{axis_y}" '
               'stroke="#333"/>')
    for k in range(5):
        m = scale_max * k / 4
        out.append(f'<text x="{x(m)}" y="{axis_y + 14}" font-size="10" text-anchor="middle">'
                   f"{m:.0f}</text>")
    out.append(f'<text x="{label_w}" y="{height - 1}" font-size="11">minutes</text>')
    out.append("</svg>")
    return Markup("".join(out))


# ---------- HTML ----------

def _common(source: DataSource) -> dict[str, object]:
    return {"source": source, "pct": pct, "num": num, "minutes": minutes, "hms": hms,
            "provisional_below": PROVISIONAL_BELOW}


def item_analysis_html(data: ItemAnalysis) -> str:
    r = data.report
    flagged = [s for s in r.items if s.flags]
    return _env().get_template("item-analysis.html.j2").render(
        **_common(data.source), data=data, r=r, flagged=flagged,
        clean=[s for s in r.items if not s.flags],
        bar=share_bar,
        histogram=histogram_svg(r.histogram, r.pass_mark))


def seat_time_html(data: SeatTime) -> str:
    r = data.report
    return _env().get_template("seat-time.html.j2").render(
        **_common(data.source), data=data, r=r, parts=[r.course, *r.modules],
        chart=box_plots([r.course, *r.modules]))


# ---------- CSV ----------

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (a label "=HYPERLINK(...)" in the source or a
    statement) gets a leading apostrophe, as in ``xapi records``; numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") \
            and not _NUMBER.match(value):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _f(x: float | None, places: int = 4) -> str:
    return "" if x is None else f"{x:.{places}f}"


ITEM_HEADER = ["row", "question", "objective", "option", "key", "label", "n", "p", "r_pb",
               "share", "top_third_share", "mastery", "value", "flags"]


def item_analysis_csv(data: ItemAnalysis) -> str:
    r = data.report
    rows: list[list[object]] = []
    overall = [("attempts", r.attempts), ("learners", r.learners),
               ("complete_attempts", r.complete), ("passed", r.passed),
               ("pass_rate", _f(r.pass_rate)), ("mean_score_percent", _f(r.mean_score, 2)),
               ("kr20", _f(r.kr20)), ("pass_mark", r.pass_mark),
               ("basis", "all attempts" if data.all_attempts else "first attempt per learner"),
               ("provisional", "yes" if r.provisional else "no")]
    for i, count in enumerate(r.histogram):
        overall.append((f"scores_{i * 10}_to_{i * 10 + 9 if i < 9 else 100}", count))
    for name, value in overall:
        rows.append(["overall", "", "", "", "", name, "", "", "", "", "", "", value, ""])
    for s in r.items:
        rows.append(["question", s.item.id, s.item.objective, "", "", s.item.prompt, s.n,
                     _f(s.p), _f(s.r_pb), "", _f(s.top_p), "", "",
                     " | ".join(f"{f.code}: {f.reason}" for f in s.flags)])
        for o in s.options:
            rows.append(["option", s.item.id, s.item.objective, o.option.id,
                         "yes" if o.option.key else "no", o.option.label, s.n, "", "",
                         _f(o.share), _f(o.top_share), "", "", ""])
    for ob in r.objectives:
        rows.append(["objective", " ".join(ob.items), ob.id, "", "", ob.text, ob.n,
                     _f(ob.mean), "", "", "", _f(ob.mastery), "", ""])
    for reason, count in data.source.skipped.items():
        rows.append(["skipped", "", "", "", "", reason, count, "", "", "", "", "", "", ""])
    return _csv(ITEM_HEADER, rows)


SEAT_HEADER = ["part", "id", "title", "n", "estimate_minutes", "p10_minutes", "q1_minutes",
               "median_minutes", "q3_minutes", "p90_minutes", "iqr_minutes",
               "median_to_estimate", "provisional"]


def seat_time_csv(data: SeatTime) -> str:
    r = data.report
    rows: list[list[object]] = []
    for kind, p in [("course", r.course), *(("module", m) for m in r.modules)]:
        t = p.times
        figures = ([_f(v / 60, 2) for v in (t.p10, t.q1, t.median, t.q3, t.p90, t.iqr)]
                   if t else [""] * 6)
        rows.append([kind, p.id, p.title, t.n if t else 0, _f(p.estimate_minutes, 1),
                     *figures, _f(p.ratio, 3), "yes" if p.provisional else "no"])
    for reason, count in data.source.skipped.items():
        rows.append(["skipped", "", reason, count, "", "", "", "", "", "", "", "", ""])
    return _csv(SEAT_HEADER, rows)
