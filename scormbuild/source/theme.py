"""The ``theme`` block of course.yaml: logo, primary and accent colours, font stack.

```yaml
theme:
  logo: assets/logo.svg     # shown in the header; an image file inside the course folder
  primary: "#12355b"        # header and certificate: white text sits on it
  accent: "#0b57a4"         # links, buttons and focus: on white, and white text on it
  font: Georgia, "Times New Roman", serif
```
Every key is optional; the default theme is the player's own (templates/player/player.css).
Colours must keep WCAG 2 AA contrast (4.5:1) where the player uses them, or the build fails
with the measured ratio.
"""

from __future__ import annotations

import re
from pathlib import Path

from scormbuild.problems import Problem
from scormbuild.source.certificate import course_image
from scormbuild.source.fields import Fields, add
from scormbuild.source.files import SourceFiles
from scormbuild.source.model import Theme

COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# Family names, quoted or not, separated by commas: nothing that could end the CSS declaration.
FONT_STACK = re.compile(r"""^\s*(?:"[\w \-]+"|'[\w \-]+'|[\w\-]+(?: [\w\-]+)*)"""
                        r"""(?:\s*,\s*(?:"[\w \-]+"|'[\w \-]+'|[\w\-]+(?: [\w\-]+)*))*\s*$""")
MIN_CONTRAST = 4.5
WHITE = "#ffffff"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rgb or #rrggbb."""
    h = colour[1:]
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = []
    for i in (0, 2, 4):
        c = int(h[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _colour(f: Fields, key: str, problems: list[Problem], uses: str) -> str:
    value = f.text(key, required=False)
    if not value:
        return ""
    if not COLOUR.match(value):
        add(problems, f.at(key), f"theme.{key} must be a colour like \"#12355b\", not '{value}'")
        return ""
    ratio = contrast(value, WHITE)
    if ratio < MIN_CONTRAST:
        add(problems, f.at(key), f"theme.{key} {value}: {uses} has a contrast of {ratio:.2f}:1; "
            f"it needs at least {MIN_CONTRAST}:1 (WCAG 2 AA), so choose a darker colour")
        return ""
    return value.lower()


def read_theme(course: Fields, root: Path, problems: list[Problem], files: SourceFiles
               ) -> Theme | None:
    if not course.has("theme"):
        return None
    f = Fields(course.raw("theme"), course.at("theme"), "theme",
               ("logo", "primary", "accent", "font"), problems)
    theme = Theme(
        primary=_colour(f, "primary", problems, "white text on it"),
        accent=_colour(f, "accent", problems, "as text on white, and white text on it,"),
        mark=f.mark,
    )
    font = f.text("font", required=False)
    if font and not FONT_STACK.match(font):
        add(problems, f.at("font"), "theme.font must be a list of font names separated by "
            f"commas, e.g. Georgia, \"Times New Roman\", serif; not '{font}'")
    elif font:
        theme.font = font
    logo = f.text("logo", required=False)
    if logo:
        theme.logo = course_image(logo, root, f.at("logo"), problems, files)
    return theme

