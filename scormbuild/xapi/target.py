"""xAPI (Tin Can) package: the player plus one ``tincan.xml`` at the root.

The course is the one launchable activity; every other activity is declared (name,
description, type, interaction details) so an LMS/LRS can describe it in reports. Hierarchy is
not expressed here (tincan.xml is flat): statements carry it in context (docs/xapi.md).
Credentials never go into the package: the LMS passes endpoint/auth/actor on the launch URL.
"""

from __future__ import annotations

from lxml import etree

from scormbuild.problems import Problem
from scormbuild.target import Target
from scormbuild.xapi.activities import (
    CourseActivities,
    CourseActivity,
    course_activities,
    missing_base_problem,
)
from scormbuild.xapi.checks import check_activity
from scormbuild.xapi.vocabulary import player_vocabulary

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
LAUNCH_FILE = "index.html"
COMPONENT_ELEMENTS = ("choices", "scale", "source", "target", "steps")


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{TINCAN_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _lang_strings(parent: etree._Element, tag: str, language_map: dict[str, str]) -> None:
    for lang, text in sorted(language_map.items()):
        _sub(parent, tag, text, lang=lang)


def _activity(parent: etree._Element, item: CourseActivity, launch_lang: str | None) -> None:
    definition = item.definition
    element = _sub(parent, "activity", id=item.iri, type=definition["type"])
    _lang_strings(element, "name", definition.get("name", {}))
    _lang_strings(element, "description", definition.get("description", {}))
    if launch_lang is not None:
        _sub(element, "launch", LAUNCH_FILE, lang=launch_lang)
    # Order as Articulate/Rustici tooling writes it (interactionType, patterns, components),
    # which LMS importers that read these details expect.
    if "interactionType" in definition:
        _sub(element, "interactionType", definition["interactionType"])
    if definition.get("correctResponsesPattern"):
        patterns = _sub(element, "correctResponsePatterns")
        for pattern in definition["correctResponsesPattern"]:
            _sub(patterns, "correctResponsePattern", pattern)
    for key in COMPONENT_ELEMENTS:
        if key not in definition:
            continue
        components = _sub(element, key)
        for component in definition[key]:
            node = _sub(components, "component")
            _sub(node, "id", component["id"])
            _lang_strings(node, "description", component.get("description", {}))


def tincan_xml(activities: CourseActivities) -> bytes:
    lang = activities.course.language or "und"
    root = etree.Element(f"{{{TINCAN_NS}}}tincan", nsmap={None: TINCAN_NS})
    listed = _sub(root, "activities")
    for item in activities:
        # Exactly one launchable activity, the course: LMSs launch the one <launch> they find.
        _activity(listed, item, lang if item is activities.root else None)
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


class XapiTarget(Target):
    name = "xapi"
    tracking = "xapi"
    tracker_scripts = ("tracking/xapi.js",)

    @classmethod
    def player_data(cls, course_data: dict) -> dict:
        return {**course_data, "xapi": player_vocabulary()}

    def check(self) -> list[Problem]:
        if not self.course.xapi_base:
            return [missing_base_problem(self.course)]
        # tincan serialises anything; refuse to package a definition an LRS would reject.
        mark = self.course.mark
        problems = [Problem(str(mark.path), mark.line, mark.col, f"xAPI activity {a.iri}: {msg}")
                    for a in course_activities(self.course, self.rendered)
                    for msg in check_activity(a.activity, "activity")]
        if problems:
            return problems
        self.notes.append(
            f"xAPI activity ids start with {self.course.xapi_base}; launch the package with "
            "endpoint, auth and actor on the URL (see docs/xapi.md)")
        return []

    def files(self) -> dict[str, bytes]:
        files = self.content_files()
        files["tincan.xml"] = tincan_xml(course_activities(self.course, self.rendered))
        return dict(sorted(files.items()))
