"""SCORM 1.2: one SCO, a manifest that Moodle's non-namespace-aware parser and the XSDs accept.

See ../shared/reference/scorm12.md for why each rule exists (literal ``adlcp`` prefix,
SCO as the first item, masteryscore without whitespace, every file listed, stable ids).
What SCORM 2004 packages share (the manifest's skeleton, the file listing, the state proof) is
imscp/target.py's.
"""

from __future__ import annotations

from lxml import etree

from scormbuild.imscp.target import ScormTarget, sub
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


class Scorm12Target(ScormTarget):
    name = "scorm12"
    tracking = "scorm12"
    tracker_scripts = ("tracking/scorm.js", "tracking/scorm12.js")
    standard = "SCORM 1.2"
    suspend_data_limit = SUSPEND_DATA_LIMIT
    imscp = IMSCP
    xsi = XSI
    nsmap = {None: IMSCP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI}
    schema_location = SCHEMA_LOCATION
    schemaversion = "1.2"
    scormtype = f"{{{ADLCP}}}scormtype"

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

    def add_metadata(self, metadata: etree._Element) -> None:
        """The course's LOM: title, language, description and keywords."""
        c = self.course
        lang = c.language
        lom = sub(metadata, IMSMD, "lom")
        general = sub(lom, IMSMD, "general")
        title = sub(general, IMSMD, "title")
        sub(title, IMSMD, "langstring", c.title).set(XML_LANG, lang)
        sub(general, IMSMD, "language", lang)
        description = sub(general, IMSMD, "description")
        sub(description, IMSMD, "langstring", c.description).set(XML_LANG, lang)
        for word in c.keywords:
            keyword = sub(general, IMSMD, "keyword")
            sub(keyword, IMSMD, "langstring", word).set(XML_LANG, lang)

    def add_to_item(self, organization: etree._Element, item: etree._Element) -> None:
        if self.course.assessment:
            sub(item, ADLCP, "masteryscore", str(int(self.course.assessment.policy.pass_mark)))
