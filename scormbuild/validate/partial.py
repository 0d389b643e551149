"""Packages whose own rules are not checked yet: Tin Can (xAPI).

They get the zip safety checks and a files check: every file the root XML names must be in the
zip, and the launch file must be there as the LMS resolves it. Their own rules (tincan.xml
activities) are not checked, and the verdict says so instead of calling the package invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from scormbuild.pkgcheck.files import FileIndex, standard_path
from scormbuild.pkgcheck.xmlsafe import Reporter, local
from scormbuild.xapi.target import TINCAN_NS


@dataclass
class PartialResult:
    launch: str | None = None
    launchables: int = 0  # launchable activities


def _relative_launch(report: Reporter, files: FileIndex, el: etree._Element, what: str) -> str:
    """Check a launch URL (a query string carries launch parameters and is ignored)."""
    url = (el.text or "").strip()
    ref = standard_path(el, url)
    files.check(report, el, ref, what)
    return ref.path or url


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
