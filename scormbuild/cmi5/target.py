"""cmi5 package: the player plus one ``cmi5.xml`` (the course structure) at the root.

One AU, the player (``index.html``, relative), launched in any window. Its id is the course
IRI of the Tin Can package (``xapi_base``), so both packages report under one IRI; the course
structure's course id is derived from it and the course id (``Iris.cmi5_course``). moveOn is
CompletedAndPassed with masteryScore = pass mark / 100 when there is a post-test, else
Completed. No credentials: the LMS gives endpoint, fetch URL and actor at launch.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from scormbuild.cmi5.spec import LAUNCH_FILE, NAMESPACE, player_vocabulary
from scormbuild.problems import Problem
from scormbuild.source.model import Course
from scormbuild.target import Target
from scormbuild.xapi.activities import missing_base_problem, short_name
from scormbuild.xapi.vocabulary import Iris
from scormbuild.xapi.vocabulary import player_vocabulary as xapi_vocabulary


def mastery_score(pass_mark: int) -> str:
    """pass mark (0-100) as the XSD decimal 0..1: 80 -> "0.8", 100 -> "1", 75 -> "0.75"."""
    return format((Decimal(pass_mark) / 100).normalize(), "f")


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _text(parent: etree._Element, tag: str, lang: str, text: str) -> None:
    _sub(_sub(parent, tag), "langstring", text, lang=lang)


def cmi5_xml(course: Course) -> bytes:
    iris = Iris(course.xapi_base)
    lang = course.language or "und"
    description = course.description or course.title
    root = etree.Element(f"{{{NAMESPACE}}}courseStructure", nsmap={None: NAMESPACE})
    head = _sub(root, "course", id=iris.cmi5_course(course.id))
    _text(head, "title", lang, course.title)
    _text(head, "description", lang, description)
    if course.objectives:
        listed = _sub(root, "objectives")
        for objective in course.objectives:
            node = _sub(listed, "objective", id=iris.objective(objective.id))
            _text(node, "title", lang, short_name(objective.text))
            _text(node, "description", lang, objective.text)
    attrs = {"id": iris.course(), "moveOn": "Completed"}
    if course.assessment is not None:
        attrs = {"id": iris.course(), "moveOn": "CompletedAndPassed",
                 "masteryScore": mastery_score(course.assessment.policy.pass_mark)}
    au = _sub(root, "au", **attrs, launchMethod="AnyWindow")
    _text(au, "title", lang, course.title)
    _text(au, "description", lang, description)
    if course.objectives:
        refs = _sub(au, "objectives")
        for objective in course.objectives:
            _sub(refs, "objective", idref=iris.objective(objective.id))
    _sub(au, "url", LAUNCH_FILE)
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


class Cmi5Target(Target):
    name = "cmi5"
    tracking = "cmi5"
    # lrs.js: the statement machinery cmi5.js shares with the Tin Can tracker (load order).
    tracker_scripts = ("tracking/lrs.js", "tracking/cmi5.js")

    @classmethod
    def player_data(cls, course_data: dict) -> dict:
        return {**course_data, "xapi": xapi_vocabulary(), "cmi5": player_vocabulary()}

    def check(self) -> list[Problem]:
        if not self.course.xapi_base:
            return [missing_base_problem(self.course, self.name)]
        self.notes.append(
            f"cmi5 AU id {self.course.xapi_base}; import the zip into a cmi5 LMS, which "
            "launches it with endpoint, fetch, actor, registration and activityId (see "
            "docs/cmi5.md)")
        return []

    def files(self) -> dict[str, bytes]:
        files = self.content_files()
        files["cmi5.xml"] = cmi5_xml(self.course)
        return dict(sorted(files.items()))
