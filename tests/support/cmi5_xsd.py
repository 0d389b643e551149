"""The cmi5 Quartz ``CourseStructure.xsd`` (Apache-2.0), read from the shared reference folder.

It is never copied into the repository. It sits in ``shared/reference/cmi5/`` beside the
checkout: ``<repo>/../shared`` for a worktree and for CI's clean clone (made beside the
checkout), else ``/work/shared``; ``SCORMBUILD_CMI5_XSD`` names another copy. Missing: skipped
on a developer machine, a failure under CI=true (support.env.missing_tool).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from support.env import REPO_ROOT, missing_tool

XSD_ENV = "SCORMBUILD_CMI5_XSD"
RELATIVE = Path("shared/reference/cmi5/CourseStructure.xsd")
CANDIDATES = (REPO_ROOT.parent / RELATIVE, Path("/work") / RELATIVE)


def xsd_path() -> Path:
    override = os.environ.get(XSD_ENV)
    for path in ([Path(override)] if override else CANDIDATES):
        if path.is_file():
            return path
    where = override or " or ".join(str(p) for p in CANDIDATES)
    missing_tool(f"the cmi5 CourseStructure.xsd is not at {where}")


@cache
def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def cmi5_schema() -> etree.XMLSchema:
    return _schema(xsd_path())


def validate_cmi5_xsd(xml_bytes: bytes) -> list[str]:
    """Errors of ``xml_bytes`` against the XSD, as ``line L: message``; [] when valid."""
    schema = cmi5_schema()
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        doc = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed: {exc.msg}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
