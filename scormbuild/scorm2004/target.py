"""SCORM 2004: one SCO whose sequencing leaves completion and mastery to the content.

Only what 3rd and 4th Edition share is written (no ``adl.data``, no jump, no completion
threshold), so LMSs with 3rd Edition semantics run it as 4th Edition ones do. The sequencing
defaults that bite (shared/reference/scorm2004.md) are overridden: ``flow`` is off by default
and ``completionSetByContent``/``objectiveSetByContent`` are false, which lets an LMS mark the
SCO completed and satisfied as soon as it launches.
"""

from __future__ import annotations

from lxml import etree

from scormbuild.problems import Problem
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
from scormbuild.state_budget import max_suspend_data_length
from scormbuild.target import Target, stable_identifier

LAUNCH_FILE = "index.html"


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None,
         attrs: dict[str, str] | None = None, **more: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {**(attrs or {}), **more})
    if text is not None:
        element.text = text
    return element


def minimum_measure(pass_mark: int) -> str:
    """pass_mark / 100 as imsss:minNormalizedMeasure writes it (a decimal, no float noise)."""
    whole, part = divmod(int(pass_mark), 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else f"{whole}.0"


class Scorm2004Target(Target):
    name = "scorm2004"
    tracking = "scorm2004"
    tracker_scripts = ("tracking/scorm.js", "tracking/scorm2004.js")

    def check(self) -> list[Problem]:
        largest = max_suspend_data_length(self.rendered.data)
        self.notes.append(
            f"largest learner state (cmi.suspend_data): {largest:,} of "
            f"{SUSPEND_DATA_LIMIT:,} characters"
        )
        # cmi.location (LOCATION_LIMIT) needs no proof: it holds a view id, and the loader
        # keeps ids to 64 characters.
        if largest > SUSPEND_DATA_LIMIT:
            mark = self.course.mark
            return [Problem(str(mark.path), mark.line, mark.col,
                            f"the largest learner state this course can produce is {largest:,} "
                            f"characters, over SCORM 2004's {SUSPEND_DATA_LIMIT:,} for "
                            "cmi.suspend_data: resume would break; split the course or shorten "
                            "the post-test")]
        return []

    def files(self) -> dict[str, bytes]:
        files = self.content_files()
        files["imsmanifest.xml"] = self.manifest(sorted(files))
        return files

    def sequencing(self, organization: etree._Element, item: etree._Element) -> None:
        # Control modes act on a cluster's children, so they go on the organization (the root
        # activity): flow lets the LMS deliver the SCO on "start" (flow is off by default).
        root_seq = _sub(organization, IMSSS, "sequencing")
        _sub(root_seq, IMSSS, "controlMode", choice="true", flow="true")
        seq = _sub(item, IMSSS, "sequencing")
        objectives = _sub(seq, IMSSS, "objectives")
        assessment = self.course.assessment
        if assessment:
            # Mastery from the score: the LMS hands minNormalizedMeasure to the SCO as
            # cmi.scaled_passing_score and judges success from cmi.score.scaled.
            primary = _sub(objectives, IMSSS, "primaryObjective", satisfiedByMeasure="true")
            _sub(primary, IMSSS, "minNormalizedMeasure",
                 minimum_measure(assessment.policy.pass_mark))
        else:
            _sub(objectives, IMSSS, "primaryObjective", satisfiedByMeasure="false")
        # The learning objectives, so an LMS can list them; the SCO reports each one's
        # success in cmi.objectives under the same id.
        for objective in self.course.objectives:
            _sub(objectives, IMSSS, "objective", objectiveID=objective.id)
        _sub(seq, IMSSS, "deliveryControls", completionSetByContent="true",
             objectiveSetByContent="true")

    def manifest(self, package_files: list[str]) -> bytes:
        c = self.course
        org_id = stable_identifier("ORG", c.id)
        item_id = stable_identifier("ITEM", c.id)
        resource_id = stable_identifier("RES", c.id)
        root = etree.Element(
            f"{{{IMSCP}}}manifest",
            {"identifier": stable_identifier("MANIFEST", c.id), "version": c.version[:20],
             f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
            nsmap={None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV,
                   "imsss": IMSSS, "xsi": XSI},
        )
        metadata = _sub(root, IMSCP, "metadata")
        _sub(metadata, IMSCP, "schema", SCHEMA)
        _sub(metadata, IMSCP, "schemaversion", SCHEMAVERSION)
        organizations = _sub(root, IMSCP, "organizations", default=org_id)
        organization = _sub(organizations, IMSCP, "organization", identifier=org_id)
        _sub(organization, IMSCP, "title", c.title)
        item = _sub(organization, IMSCP, "item", identifier=item_id, identifierref=resource_id,
                    isvisible="true")
        _sub(item, IMSCP, "title", c.title)
        self.sequencing(organization, item)
        resources = _sub(root, IMSCP, "resources")
        resource = _sub(resources, IMSCP, "resource", None,
                        {"identifier": resource_id, "type": "webcontent",
                         f"{{{ADLCP}}}scormType": "sco", "href": LAUNCH_FILE})
        for path in package_files:
            _sub(resource, IMSCP, "file", href=path)
        body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
