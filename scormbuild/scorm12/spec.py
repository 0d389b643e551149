"""SCORM 1.2 facts, defined once: namespaces and the run-time limits a course must fit.

See ../shared/reference/scorm12.md for where each comes from.
"""

from __future__ import annotations

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (
    f"{IMSCP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)
SUSPEND_DATA_LIMIT = 4096  # CMIString4096: Moodle enforces it in its default mode
MIN_CHOICES = 2
MAX_CHOICES = 36  # interaction responses name each choice by one character, 0-9a-z
