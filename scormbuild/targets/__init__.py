"""One module per output standard; each turns a rendered course into package files."""

from __future__ import annotations

from scormbuild.targets.base import Target
from scormbuild.targets.scorm12 import Scorm12Target
from scormbuild.targets.xapi import XapiTarget

TARGETS: dict[str, type[Target]] = {"scorm12": Scorm12Target, "xapi": XapiTarget}

__all__ = ["TARGETS", "Target"]
