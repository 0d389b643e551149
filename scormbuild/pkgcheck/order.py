"""What the IMS XSDs require and LMSs tolerate, shared by the SCORM 1.2 and 2004 rules: the child
order of a schema's elements, and xs:ID names.

LMSs read manifests with tolerant parsers and ignore order, so a slip is a warning. Each
standard gives its own content models (imscp/rules.py for IMS CP, scorm2004/rules.py for IMS SS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from scormbuild.pkgcheck.xmlsafe import Reporter

# XML 1.0 NCName, which is what xs:ID requires (no colon, no leading digit, '.', or '-').
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")


def _shown(el: etree._Element) -> str:
    name = etree.QName(el).localname
    return f"<{el.prefix}:{name}>" if el.prefix else f"<{name}>"


def check_order(root: etree._Element, report: Reporter, namespace: str,
                models: Mapping[str, tuple[str, ...]], repeats: set[str],
                schema: str) -> None:
    """One warning per element of ``namespace`` whose children break the XSD's sequence.

    ``models``: each element's children in XSD order, every model ending with "any element
    of another namespace"; names in ``repeats`` may occur more than once. ``schema`` names the
    XSD in the message ("IMS CP").
    """
    for parent in root.iter(f"{{{namespace}}}*"):
        model = models.get(etree.QName(parent).localname)
        if model is None:
            continue
        expected = ", ".join(model + ("elements of other namespaces",))
        position = 0
        last = parent  # the previous child of this namespace (the parent before the first)
        other: etree._Element | None = None
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            if qname.namespace != namespace:
                other = other if other is not None else child
                continue
            name = qname.localname
            where = f"inside {_shown(parent)} ({schema} XSD order: {expected}); LMSs tolerate it"
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
            if index < position or (repeated and name not in repeats):
                report.warning(child, f"{_shown(child)} comes after {_shown(last)} {where}")
                break
            position = index
            last = child
