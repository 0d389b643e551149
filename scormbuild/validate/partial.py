"""Packages whose own rules are not checked yet: cmi5, Tin Can (xAPI).

They get the zip safety checks and a files check: every file the root XML names must be in the
zip, and the launch file must be there as the LMS resolves it. Their own rules (cmi5 course
structure, tincan.xml activities) are not checked, and the verdict says
so instead of calling the package invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from scormbuild.pkgcheck.files import FileIndex, standard_path
from scormbuild.pkgcheck.xmlsafe import Reporter, local
from scormbuild.xapi.target import TINCAN_NS

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


@dataclass
class PartialResult:
    launch: str | None = None
    launchables: int = 0  # AUs (cmi5) or launchable activities (Tin Can)


def _relative_launch(report: Reporter, files: FileIndex, el: etree._Element, what: str) -> str:
    """Check a launch URL (a query string carries launch parameters and is ignored)."""
    url = (el.text or "").strip()
    ref = standard_path(el, url)
    files.check(report, el, ref, what)
    return ref.path or url


def check_cmi5_files(root: etree._Element, report: Reporter, files: FileIndex) -> PartialResult:
    result = PartialResult()
    for au in root.iter(f"{{{CMI5_NS}}}au", "au"):
        urls = [c for c in au if isinstance(c.tag, str) and local(c) == "url"]
        if not urls or not (urls[0].text or "").strip():
            report.error(au, f"AU {au.get('id')!r} has no <url>: the LMS has nothing to launch")
            continue
        result.launchables += 1
        path = _relative_launch(report, files, urls[0], f"AU {au.get('id')!r} url")
        result.launch = result.launch or path
    if result.launchables == 0 and not any(True for _ in root.iter(f"{{{CMI5_NS}}}au", "au")):
        report.error(root, "cmi5.xml has no <au>: the LMS has nothing to launch")
    return result


def check_tincan_files(root: etree._Element, report: Reporter, files: FileIndex) -> PartialResult:
    result = PartialResult()
    for activity in root.iter(f"{{{TINCAN_NS}}}activity", "activity"):
        for launch in activity:
            if not isinstance(launch.tag, str) or local(launch) != "launch":
                continue
            text = (launch.text or "").strip()
            if not text:
                continue
            result.launchables += 1
            what = f"activity {activity.get('id')!r} launch"
            path = _relative_launch(report, files, launch, what)
            result.launch = result.launch or path
    if result.launchables == 0:
        report.error(root, "tincan.xml has no activity with a <launch>: the LMS has nothing "
                     "to launch")
    return result
