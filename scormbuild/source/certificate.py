"""The ``ce.certificate`` block of course.yaml: layout, provider logo and signer.

```yaml
ce:
  certificate:
    orientation: portrait        # or landscape (printed page orientation)
    logo: assets/logo.png        # a PNG, JPEG, GIF, SVG or WebP file inside the course folder
    signer:
      name: Dr. A. Example
      title: Director of Continuing Education
```
Every key is optional (docs/authoring.md).
"""

from __future__ import annotations

from pathlib import Path

from scormbuild.problems import Problem
from scormbuild.source.fields import Fields, add
from scormbuild.source.files import SourceFiles
from scormbuild.source.model import Certificate, Mark

ORIENTATIONS = ("portrait", "landscape")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def read_certificate(ce: Fields, root: Path, problems: list[Problem], files: SourceFiles
                     ) -> Certificate:
    if not ce.has("certificate"):
        return Certificate(mark=ce.mark)
    c = Fields(ce.raw("certificate"), ce.at("certificate"), "ce.certificate",
               ("orientation", "logo", "signer"), problems)
    out = Certificate(orientation=c.one_of("orientation", ORIENTATIONS, "portrait"), mark=c.mark)
    if c.has("signer"):
        s = Fields(c.raw("signer"), c.at("signer"), "ce.certificate.signer", ("name", "title"),
                   problems)
        out.signer_name = s.text("name")
        out.signer_title = s.text("title", required=False)
    logo = c.text("logo", required=False)
    if logo:
        out.logo = course_image(logo, root, c.at("logo"), problems, files)
    return out


def course_image(logo: str, root: Path, at: Mark, problems: list[Problem], files: SourceFiles
                 ) -> Path | None:
    """A logo file named in course.yaml: inside the course folder, an image, present.

    Asked through ``files`` so the compile cache checks the answers again before it serves a
    compiled course (a logo deleted or moved since is then a fresh load, not a crash)."""
    file = files.resolve(root / logo)
    if not file.is_relative_to(files.resolve(root)):
        add(problems, at, f"logo '{logo}' points outside the course folder; keep files under "
            "assets/")
    elif file.suffix.lower() not in LOGO_TYPES:
        add(problems, at, f"logo '{logo}' must be an image file "
            f"({', '.join(t[1:] for t in LOGO_TYPES)})")
    elif not files.is_file(file):
        add(problems, at, f"logo '{logo}' names a missing file (looked for {file})")
    else:
        return file
    return None
