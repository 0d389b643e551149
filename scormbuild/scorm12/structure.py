"""Child order of IMS CP 1.1.2 elements as the SCORM 1.2 XSD (imscp_rootv1p1p2.xsd) fixes it.

LMSs read manifests with tolerant parsers and ignore order, so a slip here is a warning: a
``<metadata>`` inside ``<resources>`` (some tools put one there) or an ``<adlcp:masteryscore>``
before an item's ``<metadata>`` (the XSD wants elements of other namespaces last).
"""

from __future__ import annotations

from lxml import etree

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


def _shown(el: etree._Element) -> str:
    name = etree.QName(el).localname
    return f"<{el.prefix}:{name}>" if el.prefix else f"<{name}>"


def check_order(root: etree._Element, report: Reporter) -> None:
    """One warning per CP element whose children break the XSD's sequence."""
    for parent in root.iter(f"{{{IMSCP}}}*"):
        model = MODELS.get(etree.QName(parent).localname)
        if model is None:
            continue
        expected = ", ".join(model + ("elements of other namespaces",))
        position = 0
        last = parent  # the previous CP child (the parent itself before the first one)
        other: etree._Element | None = None
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            if qname.namespace != IMSCP:
                other = other if other is not None else child
                continue
            name = qname.localname
            where = f"inside {_shown(parent)} (IMS CP XSD order: {expected}); LMSs tolerate it"
            if name not in model:
                report.warning(child, f"{_shown(child)} is not allowed {where}")
                break
            if other is not None:
                report.warning(
                    child, f"{_shown(child)} comes after {_shown(other)} {where}"
                )
                break
            index = model.index(name)
            repeated = last is not parent and etree.QName(last).localname == name
            if index < position or (repeated and name not in _REPEATS):
                report.warning(child, f"{_shown(child)} comes after {_shown(last)} {where}")
                break
            position = index
            last = child
