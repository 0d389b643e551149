"""Validate any e-learning zip, from any tool, the way an LMS admin needs it checked.

``validate(zip_path)`` returns a ``Report``: every problem (errors and warnings) and a summary
(standard and version, generator, launch file, SCO count). The package is treated as hostile:
``scormbuild.zipsafety`` checks the zip without extracting anything, ``pkgcheck.xmlsafe``
parses its XML without DTDs or entities, and only then are the rules of its standard applied:

* SCORM 1.2: every rule (``scormbuild.scorm12.rules``);
* SCORM 2004: every rule (``scormbuild.scorm2004.rules``);
* cmi5: every rule (``scormbuild.cmi5.rules``; the XSD too when the caller passes it);
* Tin Can: zip safety and files only (``partial``); the verdict says so, with its own exit
  status, instead of calling the package invalid.

Severity means what it says: an error is what stops an import or a launch in the LMSs we name
(Moodle, Canvas, the CE platforms); a warning is a deviation from the spec that LMSs tolerate.
``strict=True`` turns warnings into errors, for tool authors who want full conformance.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from scormbuild.cmi5.rules import check_cmi5
from scormbuild.pkgcheck.detect import generator, scorm2004_version
from scormbuild.pkgcheck.files import FileIndex
from scormbuild.pkgcheck.xmlsafe import ENTITY_MESSAGE, Reporter, XmlRefused, parse_xml
from scormbuild.problems import Problem
from scormbuild.scorm12.rules import Scorm12Checks
from scormbuild.scorm2004.rules import Scorm2004Checks
from scormbuild.validate.partial import check_tincan_files
from scormbuild.zipsafety import DEFAULT_LIMITS, Limits, ZipScan, quote, scan_zip

__all__ = [
    "ENTITY_MESSAGE", "EXIT_INVALID", "EXIT_PARTIAL", "EXIT_VALID", "Limits", "Report",
    "has_errors", "validate", "validate_package",
]

MANIFEST = "imsmanifest.xml"
CMI5 = "cmi5.xml"
TINCAN = "tincan.xml"
ROOT_FILES = (MANIFEST, CMI5, TINCAN)

EXIT_VALID = 0
EXIT_INVALID = 1
# 2 is click's usage error.
EXIT_PARTIAL = 3  # Tin Can: zip and files fine, its own rules not checked


@dataclass(frozen=True)
class Report:
    path: Path
    problems: list[Problem]
    standard: str  # "SCORM 1.2", "SCORM 2004 4th Edition", "cmi5", "Tin Can (xAPI)", "unknown"
    rules_checked: bool  # False: only zip safety and files were checked
    generator: str | None = None
    launch: str | None = None
    launchables: int | None = None
    launchable_kind: str = "SCO"

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INVALID
        return EXIT_VALID if self.rules_checked else EXIT_PARTIAL

    @property
    def verdict(self) -> str:
        if self.errors:
            return "INVALID"
        if self.rules_checked:
            return f"valid {self.standard} package"
        family = "SCORM 2004" if self.standard.startswith("SCORM 2004") else self.standard
        return (f"{family.split(' (')[0]} package: checked for zip safety and files; "
                "manifest rules not checked")

    def summary(self) -> str:
        """One line: verdict; standard; generator; launch file; SCO count; errors; warnings."""
        count = "?" if self.launchables is None else str(self.launchables)
        kind = self.launchable_kind + ("" if self.launchables == 1 else "s")
        return (
            f"{self.path}: {self.verdict} | {self.standard} | generator: "
            f"{self.generator or 'not recognised'} | launch: "
            f"{quote(self.launch) if self.launch else 'none'} | {count} {kind} | "
            f"{self.errors} error(s) | {self.warnings} warning(s)"
        )


def validate(zip_path: Path, limits: Limits = DEFAULT_LIMITS, strict: bool = False,
             cmi5_xsd: etree.XMLSchema | None = None) -> Report:
    """Check a package; ``strict`` makes every warning an error; ``cmi5_xsd``: the cmi5
    CourseStructure.xsd (``cmi5.rules.load_xsd``) a cmi5.xml is also validated against."""
    try:
        report = _validate(Path(zip_path), limits, cmi5_xsd)
    except (MemoryError, RecursionError) as exc:
        # A crafted package that still got past the caps: a clear refusal, not a traceback.
        problem = Problem(str(zip_path), 0, 0,
                          f"cannot be validated safely ({type(exc).__name__})")
        report = Report(Path(zip_path), [problem], "unknown", True)
    if strict:
        problems = [replace(p, severity="error", message=f"(strict) {p.message}")
                    if p.severity == "warning" else p for p in report.problems]
        report = replace(report, problems=problems)
    return report


def validate_package(zip_path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Check a package; return its problems (errors and warnings), empty if it is clean."""
    return validate(zip_path, limits).problems


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (warnings alone leave a package valid)."""
    return any(p.severity == "error" for p in problems)


def _ordered(report: Reporter) -> list[Problem]:
    zip_level = [p for p in report.problems if p.path == report.zip_where]
    # Problems in a file in line order read like the file; sorted() is stable, so problems on
    # the same line keep the order in which the checks found them.
    in_file = sorted((p for p in report.problems if p.path != report.zip_where),
                     key=lambda p: p.line)
    return zip_level + in_file


def _validate(path: Path, limits: Limits, cmi5_xsd: etree.XMLSchema | None = None) -> Report:
    scan = scan_zip(path, limits, keep=ROOT_FILES)
    report = Reporter(str(path), problems=list(scan.problems))
    if not scan.opened:
        return Report(path, _ordered(report), "unknown", True)
    files = FileIndex(scan)
    names = [*scan.files, *scan.unreadable]
    root_name = next((n for n in ROOT_FILES if n in scan.kept), None)
    if root_name is None:
        if not any(n in scan.unreadable for n in ROOT_FILES):
            _missing_root_file(report, scan)
        return Report(path, _ordered(report), "unknown", True, generator(names))
    data = scan.kept[root_name]
    report.file_where = f"{path}/{root_name}"
    made_by = generator(names, data)
    standard = {MANIFEST: "SCORM 1.2", CMI5: "cmi5", TINCAN: "Tin Can (xAPI)"}[root_name]
    try:
        root = parse_xml(data, report)
    except XmlRefused:
        return Report(path, _ordered(report), standard, root_name in (MANIFEST, CMI5), made_by)
    if root_name == CMI5:
        cmi5 = check_cmi5(root, report, files, cmi5_xsd)
        return Report(path, _ordered(report), standard, True, made_by, cmi5.launch, cmi5.aus,
                      "AU")
    if root_name == TINCAN:
        result = check_tincan_files(root, report, files)
        return Report(path, _ordered(report), standard, False, made_by, result.launch,
                      result.launchables, "activity")
    version = scorm2004_version(root)
    if version is not None:
        checks_2004 = Scorm2004Checks(root, report, files, limits.max_listed_warnings).run()
        return Report(path, _ordered(report), version, True, made_by, checks_2004.launch,
                      checks_2004.scos)
    checks = Scorm12Checks(root, report, files, limits.max_listed_warnings).run()
    return Report(path, _ordered(report), standard, True, made_by, checks.launch, checks.scos)


def _missing_root_file(report: Reporter, scan: ZipScan) -> None:
    names = list(scan.files)
    at_root_other_case = [n for n in names if n.lower() in ROOT_FILES and "/" not in n]
    nested = sorted(
        (n for n in names if posixpath.basename(n.lower()) in ROOT_FILES and "/" in n),
        key=lambda n: (n.count("/"), n),
    )
    if at_root_other_case:
        wanted = at_root_other_case[0].lower()
        report.zip_error(
            f"the manifest is named {quote(at_root_other_case[0])}; it must be exactly "
            f"'{wanted}' (lower case): LMS servers are case-sensitive"
        )
    elif nested:
        folder, base = posixpath.split(nested[0])
        report.zip_error(
            f"{base} is in the sub-folder {quote(folder + '/')}, not at the zip root "
            "(Moodle: badimsmanifestlocation); zip the contents of that folder, "
            "not the folder itself"
        )
    else:
        hint = ""
        # Archivers' litter (macOS resource forks, Finder files) does not count as content.
        content = [n for n in names if not n.startswith("__MACOSX/")
                   and posixpath.basename(n) != ".DS_Store"]
        zips = [n for n in content if n.lower().endswith(".zip")]
        if zips and len(zips) == len(content):
            hint = (f"; it holds only {quote(zips[0])}" + (f" and {len(zips) - 1} more zip(s)"
                    if len(zips) > 1 else "")
                    + ": did you upload the outer archive? Validate the zip inside it")
        report.zip_error(
            f"no {MANIFEST} at the zip root: not a SCORM package (Moodle: nomanifest), nor a "
            f"cmi5 ({CMI5}) or Tin Can ({TINCAN}) one{hint}"
        )
