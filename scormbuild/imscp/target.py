"""A SCORM package as both standards write it: one SCO, the first and only item of the one
organization, launched from index.html, with every file of the package listed in its resource
(shared/reference/scorm12.md, scorm2004.md). A standard's target gives its constants (from its
spec.py) and adds its own elements through ``add_metadata`` and ``add_to_item``.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from scormbuild.problems import Problem
from scormbuild.state_budget import max_suspend_data_length
from scormbuild.target import Target, stable_identifier

LAUNCH_FILE = "index.html"


def sub(parent: etree._Element, ns: str, tag: str, text: str | None = None,
        attrs: dict[str, str] | None = None, **more: str) -> etree._Element:
    """A child ``{ns}tag`` of ``parent`` with these attributes and text."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {**(attrs or {}), **more})
    if text is not None:
        element.text = text
    return element


class ScormTarget(Target):
    """The package and manifest of a SCORM standard; subclasses set the class variables."""

    standard: ClassVar[str] = ""  # "SCORM 1.2", as messages name it
    suspend_data_limit: ClassVar[int] = 0
    imscp: ClassVar[str] = ""  # the IMS CP namespace, the manifest's default one
    xsi: ClassVar[str] = ""
    nsmap: ClassVar[dict[str | None, str]] = {}
    schema_location: ClassVar[str] = ""
    schema: ClassVar[str] = "ADL SCORM"
    schemaversion: ClassVar[str] = ""
    scormtype: ClassVar[str] = ""  # the resource's scormtype attribute, as a Clark name

    def check(self) -> list[Problem]:
        largest = max_suspend_data_length(self.rendered.data)
        limit = self.suspend_data_limit
        self.notes.append(
            f"largest learner state (cmi.suspend_data): {largest:,} of {limit:,} characters"
        )
        if largest > limit:
            mark = self.course.mark
            return [Problem(str(mark.path), mark.line, mark.col,
                            f"the largest learner state this course can produce is {largest:,} "
                            f"characters, over {self.standard}'s {limit:,} for "
                            "cmi.suspend_data: resume would break; split the course or shorten "
                            "the post-test")]
        return []

    def files(self) -> dict[str, bytes]:
        files = self.content_files()
        files["imsmanifest.xml"] = self.manifest(sorted(files))
        return files

    def add_metadata(self, metadata: etree._Element) -> None:
        """The standard's own children of the root <metadata>, after schemaversion."""

    def add_to_item(self, organization: etree._Element, item: etree._Element) -> None:
        """The standard's own elements for the SCO's item, after its title."""

    def manifest(self, package_files: list[str]) -> bytes:
        c = self.course
        cp = self.imscp
        org_id = stable_identifier("ORG", c.id)
        item_id = stable_identifier("ITEM", c.id)
        resource_id = stable_identifier("RES", c.id)
        root = etree.Element(
            f"{{{cp}}}manifest",
            {"identifier": stable_identifier("MANIFEST", c.id), "version": c.version[:20],
             f"{{{self.xsi}}}schemaLocation": self.schema_location},
            nsmap=self.nsmap,
        )
        metadata = sub(root, cp, "metadata")
        sub(metadata, cp, "schema", self.schema)
        sub(metadata, cp, "schemaversion", self.schemaversion)
        self.add_metadata(metadata)
        organizations = sub(root, cp, "organizations", default=org_id)
        organization = sub(organizations, cp, "organization", identifier=org_id)
        sub(organization, cp, "title", c.title)
        # The SCO is the first (and only) item: Moodle launches the first launchable row.
        item = sub(organization, cp, "item", identifier=item_id, identifierref=resource_id,
                   isvisible="true")
        sub(item, cp, "title", c.title)
        self.add_to_item(organization, item)
        resources = sub(root, cp, "resources")
        resource = sub(resources, cp, "resource", None,
                       {"identifier": resource_id, "type": "webcontent",
                        self.scormtype: "sco", "href": LAUNCH_FILE})
        for path in package_files:
            sub(resource, cp, "file", href=path)
        # Written by hand so the declaration uses double quotes, as naive LMS parsers expect.
        body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
