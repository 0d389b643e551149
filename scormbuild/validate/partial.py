"""Packages whose own rules are not checked yet: SCORM 2004, Tin Can (xAPI).

They get the zip safety checks and a files check: every file the root XML names must be in the
zip, and the launch file must be there as the LMS resolves it. Their manifest rules (SCORM 2004
sequencing, tincan.xml activities) are not checked, and the verdict says
so instead of calling the package invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from scormbuild.pkgcheck.detect import ADLCP2004_NS
from scormbuild.pkgcheck.files import FileIndex, check_launch, standard_path
from scormbuild.pkgcheck.xmlsafe import Reporter, local
from scormbuild.xapi.target import TINCAN_NS


@dataclass
class PartialResult:
    launch: str | None = None
    launchables: int = 0  # SCOs (SCORM 2004) or launchable activities (Tin Can)


def check_scorm2004_files(root: etree._Element, report: Reporter, files: FileIndex,
                          max_listed: int) -> PartialResult:
    """Listed files, the launch file of each launchable item, unlisted files."""
    result = PartialResult()
    ns = etree.QName(root).namespace
    resources = {r.get("identifier"): r for r in root.iter(f"{{{ns}}}resource")}
    for res in resources.values():
        href = res.get("href")
        if href:
            files.check(report, res, standard_path(res, href),
                        f"resource {res.get('identifier')!r} href")
        for f in res.iter(f"{{{ns}}}file"):
            if f.get("href"):
                files.check(report, f, standard_path(f, f.get("href") or ""), "<file> href")
    scos = set()
    for item in root.iter(f"{{{ns}}}item"):
        res = resources.get(item.get("identifierref"))
        if res is None or not res.get("href"):
            continue
        if res.get(f"{{{ADLCP2004_NS}}}scormType") == "sco":
            scos.add(id(res))
        what = f"resource {res.get('identifier')!r} (launched by item {item.get('identifier')!r})"
        path = check_launch(report, files, res, what)
        if result.launch is None:
            result.launch = path or res.get("href")
    result.launchables = len(scos)
    files.warn_unlisted(report, {"imsmanifest.xml"}, max_listed)
    return result


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
