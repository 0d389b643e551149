"""Child order of IMS CP 1.1.2 elements as the SCORM 1.2 XSD (imscp_rootv1p1p2.xsd) fixes it.

LMSs read manifests with tolerant parsers and ignore order, so a slip here is a warning: a
``<metadata>`` inside ``<resources>`` (some tools put one there) or an ``<adlcp:masteryscore>``
before an item's ``<metadata>`` (the XSD wants elements of other namespaces last). The checker
itself is shared with SCORM 2004 (pkgcheck/order.py).
"""

from __future__ import annotations

from lxml import etree

from scormbuild.pkgcheck import order
from scormbuild.pkgcheck.xmlsafe import Reporter
from scormbuild.scorm12.spec import IMSCP

# Each CP element's children in XSD order; every model ends with "any element of another
# namespace". Names in _REPEATS may occur more than once.
MODELS: dict[str, tuple[str, ...]] = {
    "manifest": ("metadata", "organizations", "resources", "manifest"),
    "metadata": ("schema", "schemaversion"),
    "organizations": ("organization",),
    "organization": ("title", "item", "metadata"),
    "item": ("title", "item", "metadata"),
    "resources": ("resource",),
    "resource": ("metadata", "file", "dependency"),
    "file": ("metadata",),
    "dependency": (),
}
_REPEATS = {"organization", "item", "resource", "file", "dependency", "manifest"}


def check_order(root: etree._Element, report: Reporter) -> None:
    """One warning per CP element whose children break the XSD's sequence."""
    order.check_order(root, report, IMSCP, MODELS, _REPEATS, "IMS CP")
