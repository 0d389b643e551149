"""In-browser checks of one shown view: axe-core, sideways scrolling, focus hidden by the nav.

Shared by tests/browser/test_wcag_audit.py and scripts/screenshots (imported by name: pytest
puts tests/browser on sys.path, the script does it itself).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Frame, Page
from support.env import NODE_MODULES, REPO_ROOT

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
FLAGSHIP = REPO_ROOT / "course_src"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (320, 375, 1280)


def flagship_copy(dest: Path, source: Path = FLAGSHIP, **completion: Any) -> Path:
    """course_src (or ``source``) copied to ``dest`` with a ``completion`` block
    (min_seat_minutes 0 by default, so the post-test opens at once)."""
    shutil.copytree(source, dest)
    path = dest / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["completion"] = {"min_seat_minutes": 0, **completion}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def axe_violations(page: Page | Frame) -> list[str]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations for the page as shown, one line each."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})
             .then(r => r.violations.map(v => ({id: v.id,
               nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
                                                  (n.failureSummary || '').slice(0, 160))})))""",
        WCAG_TAGS,
    )
    return [f"{v['id']}: {' | '.join(v['nodes'])}" for v in found]


def sideways(page: Page) -> int:
    """How many CSS pixels the document scrolls sideways (0 = it reflows)."""
    return int(page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


# Heading levels that skip (h1 -> h3) and labels said twice ("fictional composite", "Reflect").
_STRUCTURE_JS = """() => {
  const out = [];
  const root = document.querySelector('[data-sb-view]');
  let prev = 0;
  for (const hd of root.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const lv = +hd.tagName[1];
    if (lv > prev + 1) out.push(`h${prev} -> h${lv} "${hd.textContent.trim().slice(0, 60)}"`);
    prev = lv;
  }
  const fiction = (root.innerText.match(/fictional composite/gi) || []).length;
  if (fiction > 1) out.push(`"fictional composite" said ${fiction} times`);
  for (const a of root.querySelectorAll('.sb-reflect')) {
    const said = [...a.querySelectorAll('*')].filter(e => e.children.length === 0 &&
      e.textContent.trim() === 'Reflect').length +
      (getComputedStyle(a, '::before').content.includes('Reflect') ? 1 : 0);
    if (said !== 1) out.push(`a reflect block shows its label ${said} times`);
  }
  return out;
}"""


def structure_problems(page: Page) -> list[str]:
    return list(page.evaluate(_STRUCTURE_JS))


# After a Tab: is the focused element entirely under the sticky nav (or out of the viewport)?
_HIDDEN_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.closest('.sb-nav')) return 'nav';
  const r = el.getBoundingClientRect();
  const nav = document.querySelector('.sb-nav').getBoundingClientRect();
  const bottom = Math.min(window.innerHeight, nav.top < window.innerHeight ? nav.top : Infinity);
  const shown = Math.min(r.bottom, bottom) - Math.max(r.top, 0);
  return shown > 0 ? '' : (el.outerHTML || '').slice(0, 100);
}"""


@dataclass
class FocusWalk:
    stops: int
    hidden: list[str]


def tab_through(page: Page, limit: int = 400) -> FocusWalk:
    """Tab from the top of the view to the nav, as a keyboard user would; report every focus
    stop that the nav (or the window edge) hides completely."""
    page.evaluate("() => { const m = document.getElementById('sb-main'); m.focus(); }")
    hidden: list[str] = []
    stops = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(_HIDDEN_JS)
        if where in (None, "nav"):
            break
        stops += 1
        if where:
            hidden.append(where)
    return FocusWalk(stops, hidden)
