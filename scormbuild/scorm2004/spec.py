"""SCORM 2004 facts, defined once: namespaces, the edition written, and run-time limits.

See ../shared/reference/scorm2004.md. The two namespaces ``validate`` also uses to recognise a
2004 manifest are defined in ``pkgcheck.detect`` (below every standard) and named here.
"""

from __future__ import annotations

from scormbuild.pkgcheck.detect import ADLCP2004_NS as ADLCP
from scormbuild.pkgcheck.detect import SCORM2004_CP_NS as IMSCP

__all__ = [
    "ADLCP", "ADLNAV", "ADLSEQ", "DESCRIPTION_LIMIT", "IMSCP", "IMSSS", "LOCATION_LIMIT",
    "SCHEMA", "SCHEMA_LOCATION", "SCHEMAVERSION", "SUSPEND_DATA_LIMIT", "XSI",
]

ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{IMSCP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
    f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd"
)
SCHEMA = "ADL SCORM"
# 4th Edition is what we declare; the manifest uses only what 3rd Edition shares, so LMSs with
# 3rd Edition semantics (Cornerstone, Docebo) run it the same way.
SCHEMAVERSION = "2004 4th Edition"
# The run-time data model's smallest permitted maxima (SPM) a conformant LMS must store.
SUSPEND_DATA_LIMIT = 64_000  # cmi.suspend_data, characterstring SPM 64000
LOCATION_LIMIT = 1_000  # cmi.location (holds a view id: ids are at most 64 characters)
DESCRIPTION_LIMIT = 250  # cmi.interactions.n.description (localized string SPM 250)
