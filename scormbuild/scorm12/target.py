"""SCORM 1.2: one SCO, a manifest that Moodle's non-namespace-aware parser and the XSDs accept.

See ../shared/reference/scorm12.md for why each rule exists (literal ``adlcp`` prefix,
SCO as the first item, masteryscore without whitespace, every file listed, stable ids).
"""

from __future__ import annotations

from lxml import etree

from scormbuild.problems import Problem
from scormbuild.scorm12.spec import (
    ADLCP,
    IMSCP,
    IMSMD,
    MAX_CHOICES,
    MIN_CHOICES,
    SCHEMA_LOCATION,
    SUSPEND_DATA_LIMIT,
    XML_LANG,
    XSI,
)
from scormbuild.source.model import Course
from scormbuild.state_budget import max_suspend_data_length
from scormbuild.target import Target, stable_identifier

LAUNCH_FILE = "index.html"


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None,
         attrs: dict[str, str] | None = None, **more: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {**(attrs or {}), **more})
    if text is not None:
        element.text = text
    return element


class Scorm12Target(Target):
    name = "scorm12"
    tracking = "scorm12"
    tracker_scripts = ("tracking/scorm.js", "tracking/scorm12.js")

    @classmethod
    def course_problems(cls, course: Course) -> list[Problem]:
        # SCORM 1.2 interaction responses name each choice by one character
        # (tracking/scorm12.js), so a list holds at most 36.
        questions = [q for m in course.modules for q in m.knowledge_check]
        if course.assessment:
            questions += course.assessment.questions
        out = []
        for q in questions:
            for key, mark in q.list_marks.items():
                n = len(getattr(q, key))
                if not MIN_CHOICES <= n <= MAX_CHOICES:
                    out.append(Problem(str(mark.path), mark.line, mark.col,
                                       f"question '{q.id}' has {n} {key}: give from "
                                       f"{MIN_CHOICES} to {MAX_CHOICES}"))
        return out

    def check(self) -> list[Problem]:
        largest = max_suspend_data_length(self.rendered.data)
        self.notes.append(
            f"largest learner state (cmi.suspend_data): {largest:,} of "
            f"{SUSPEND_DATA_LIMIT:,} characters"
        )
        if largest > SUSPEND_DATA_LIMIT:
            mark = self.course.mark
            return [Problem(str(mark.path), mark.line, mark.col,
                            f"the largest learner state this course can produce is {largest:,} "
                            f"characters, over SCORM 1.2's {SUSPEND_DATA_LIMIT:,} for "
                            "cmi.suspend_data: resume would break; split the course or shorten "
                            "the post-test")]
        return []

    def files(self) -> dict[str, bytes]:
        files = self.content_files()
        files["imsmanifest.xml"] = self.manifest(sorted(files))
        return files

    def lom(self, parent: etree._Element) -> None:
        c = self.course
        lang = c.language
        lom = _sub(parent, IMSMD, "lom")
        general = _sub(lom, IMSMD, "general")
        title = _sub(general, IMSMD, "title")
        _sub(title, IMSMD, "langstring", c.title).set(XML_LANG, lang)
        _sub(general, IMSMD, "language", lang)
        description = _sub(general, IMSMD, "description")
        _sub(description, IMSMD, "langstring", c.description).set(XML_LANG, lang)
        for word in c.keywords:
            keyword = _sub(general, IMSMD, "keyword")
            _sub(keyword, IMSMD, "langstring", word).set(XML_LANG, lang)

    def manifest(self, package_files: list[str]) -> bytes:
        c = self.course
        org_id = stable_identifier("ORG", c.id)
        item_id = stable_identifier("ITEM", c.id)
        resource_id = stable_identifier("RES", c.id)
        root = etree.Element(
            f"{{{IMSCP}}}manifest",
            {"identifier": stable_identifier("MANIFEST", c.id), "version": c.version[:20],
             f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
            nsmap={None: IMSCP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI},
        )
        metadata = _sub(root, IMSCP, "metadata")
        _sub(metadata, IMSCP, "schema", "ADL SCORM")
        _sub(metadata, IMSCP, "schemaversion", "1.2")
        self.lom(metadata)
        organizations = _sub(root, IMSCP, "organizations", default=org_id)
        organization = _sub(organizations, IMSCP, "organization", identifier=org_id)
        _sub(organization, IMSCP, "title", c.title)
        # The SCO is the first (and only) item: Moodle launches the first launchable row.
        item = _sub(organization, IMSCP, "item", identifier=item_id, identifierref=resource_id,
                    isvisible="true")
        _sub(item, IMSCP, "title", c.title)
        if c.assessment:
            _sub(item, ADLCP, "masteryscore", str(int(c.assessment.policy.pass_mark)))
        resources = _sub(root, IMSCP, "resources")
        resource = _sub(resources, IMSCP, "resource", None,
                        {"identifier": resource_id, "type": "webcontent",
                         f"{{{ADLCP}}}scormtype": "sco", "href": LAUNCH_FILE})
        for path in package_files:
            _sub(resource, IMSCP, "file", href=path)
        # Written by hand so the declaration uses double quotes, as naive LMS parsers expect.
        body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
