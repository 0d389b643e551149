"""Which standard a package follows and which tool made it, from its root file and file names.

The standard comes from the file at the zip root (imsmanifest.xml, cmi5.xml, tincan.xml) and,
for IMS manifests, from the namespace and ``<schemaversion>`` the way Moodle decides it: a
schemaversion of ``1.3``, ``CAM 1.3`` or ``2004 ...`` means SCORM 2004, so does the IMS CP 1.1.4
namespace. The generator is a best guess from the files each tool always writes; it only
labels the summary line and never changes a verdict.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from lxml import etree

SCORM2004_CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP2004_NS = "http://www.adlnet.org/xsd/adlcp_v1p3"
_SCORM2004_VERSION = re.compile(r"\s*(?:CAM\s+)?1\.3\s*|\s*2004\b.*", re.IGNORECASE | re.DOTALL)


def schemaversion(root: etree._Element) -> str | None:
    """The text of the root <metadata><schemaversion>, whatever its namespace."""
    for meta in root:
        if isinstance(meta.tag, str) and etree.QName(meta).localname == "metadata":
            for child in meta:
                if isinstance(child.tag, str) and etree.QName(child).localname == "schemaversion":
                    return (child.text or "").strip()
            break
    return None


def declares_2004(version: str | None) -> bool:
    """A schemaversion that makes Moodle run the package with the SCORM 2004 API."""
    return version is not None and _SCORM2004_VERSION.fullmatch(version) is not None


def scorm2004_version(root: etree._Element) -> str | None:
    """'SCORM 2004 ...' when the manifest uses the SCORM 2004 namespaces, else None."""
    version = schemaversion(root)
    namespace = etree.QName(root).namespace
    if namespace != SCORM2004_CP_NS and ADLCP2004_NS not in root.nsmap.values():
        return None
    if version and version.lower().startswith("2004"):
        return f"SCORM {version}"
    return f"SCORM 2004 ({version})" if version else "SCORM 2004"


# (tool, test on the set of lower-cased names and base names). Order matters: Rise ships the
# same SCORM driver as Storyline, so it is tried first.
def _matches(names: set[str], bases: set[str], xml: str) -> str | None:
    if "player/player.js" in names and "player/state.js" in names and any(
        n.startswith("player/tracking/") for n in names
    ):
        return "scormbuild"
    if any(n.startswith("scormcontent/") for n in names):
        return "Articulate Rise"
    if "story.html" in bases or any(n.startswith("story_content/") for n in names):
        return "Articulate Storyline"
    if "captivate.css" in bases or "cpm.js" in bases:
        return "Adobe Captivate"
    if "ispring" in xml or any("ispring" in n for n in names):
        return "iSpring"
    if any(b.startswith("trivantis") for b in bases) or "a001index.html" in bases:
        return "Lectora"
    if "adapt.min.js" in bases or any(n.startswith("adapt/js/") for n in names):
        return "Adapt"
    if any(b.startswith("exe_") for b in bases) or "exelearning" in xml:
        return "eXeLearning"
    if "h5p.json" in bases or any(b.startswith("h5p") and b.endswith(".js") for b in bases):
        return "H5P"
    return None


def generator(names: Iterable[str], xml_text: bytes = b"") -> str | None:
    """The authoring tool that made the package, when its files give it away."""
    lowered = {n.lower() for n in names}
    bases = {posixpath.basename(n) for n in lowered}
    return _matches(lowered, bases, xml_text[: 256 * 1024].decode("latin-1").lower())
