"""SCORM 2004: one SCO whose sequencing leaves completion and mastery to the content.

Only what 3rd and 4th Edition share is written (no ``adl.data``, no jump, no completion
threshold), so LMSs with 3rd Edition semantics run it as 4th Edition ones do. The sequencing
defaults that bite (shared/reference/scorm2004.md) are overridden: ``flow`` is off by default
and ``completionSetByContent``/``objectiveSetByContent`` are false, which lets an LMS mark the
SCO completed and satisfied as soon as it launches. What SCORM 1.2 packages share (the
manifest's skeleton, the file listing, the state proof) is imscp/target.py's.
"""

from __future__ import annotations

from lxml import etree

from scormbuild.imscp.target import ScormTarget, sub
from scormbuild.scorm2004.spec import (
    ADLCP,
    ADLNAV,
    ADLSEQ,
    IMSCP,
    IMSSS,
    SCHEMA,
    SCHEMA_LOCATION,
    SCHEMAVERSION,
    SUSPEND_DATA_LIMIT,
    XSI,
)


def minimum_measure(pass_mark: int) -> str:
    """pass_mark / 100 as imsss:minNormalizedMeasure writes it (a decimal, no float noise)."""
    whole, part = divmod(int(pass_mark), 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else f"{whole}.0"


class Scorm2004Target(ScormTarget):
    name = "scorm2004"
    tracking = "scorm2004"
    tracker_scripts = ("tracking/scorm.js", "tracking/scorm2004.js")
    # cmi.suspend_data is the one state limit to prove: cmi.location (LOCATION_LIMIT) holds a
    # view id, and the loader keeps ids to 64 characters.
    standard = "SCORM 2004"
    suspend_data_limit = SUSPEND_DATA_LIMIT
    imscp = IMSCP
    xsi = XSI
    nsmap = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
             "xsi": XSI}
    schema_location = SCHEMA_LOCATION
    schema = SCHEMA
    schemaversion = SCHEMAVERSION
    scormtype = f"{{{ADLCP}}}scormType"

    def add_to_item(self, organization: etree._Element, item: etree._Element) -> None:
        # Control modes act on a cluster's children, so they go on the organization (the root
        # activity): flow lets the LMS deliver the SCO on "start" (flow is off by default).
        root_seq = sub(organization, IMSSS, "sequencing")
        sub(root_seq, IMSSS, "controlMode", choice="true", flow="true")
        seq = sub(item, IMSSS, "sequencing")
        objectives = sub(seq, IMSSS, "objectives")
        assessment = self.course.assessment
        if assessment:
            # Mastery from the score: the LMS hands minNormalizedMeasure to the SCO as
            # cmi.scaled_passing_score and judges success from cmi.score.scaled.
            primary = sub(objectives, IMSSS, "primaryObjective", satisfiedByMeasure="true")
            sub(primary, IMSSS, "minNormalizedMeasure",
                minimum_measure(assessment.policy.pass_mark))
        else:
            sub(objectives, IMSSS, "primaryObjective", satisfiedByMeasure="false")
        # The learning objectives, so an LMS can list them; the SCO reports each one's
        # success in cmi.objectives under the same id.
        for objective in self.course.objectives:
            sub(objectives, IMSSS, "objective", objectiveID=objective.id)
        sub(seq, IMSSS, "deliveryControls", completionSetByContent="true",
            objectiveSetByContent="true")
