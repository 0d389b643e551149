"""One module per output standard; each turns a rendered course into package files."""

from __future__ import annotations

from scormbuild.targets.base import Target
from scormbuild.targets.scorm12 import Scorm12Target

TARGETS: dict[str, type[Target]] = {"scorm12": Scorm12Target}

__all__ = ["TARGETS", "Target"]
