"""`scormbuild validate` on cmi5 packages: the course-structure rules (scormbuild/cmi5/rules.py).

Each broken cmi5.xml below is also given to the real Quartz CourseStructure.xsd (from
../shared, never copied): where the XSD refuses a file, the Python rules must refuse it too,
and the other way round, so the check that runs without the XSD says what the XSD says. A few
rules go beyond the XSD (ids are fully qualified IRIs and unique, the AU's file is in the zip).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cmi5_xsd import validate_cmi5_xsd, xsd_path

from scormbuild.validate import EXIT_INVALID, EXIT_VALID, validate
from tests.helpers import run_cli
from tests.validate.helpers import make_zip, nothing_written

GOOD = """\
<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.invalid/c">
    <title><langstring lang="en-US">Course</langstring></title>
    <description><langstring lang="en-US">About it.</langstring></description>
  </course>
  <objectives>
    <objective id="https://example.invalid/o1">
      <title><langstring lang="en-US">O1</langstring></title>
      <description><langstring lang="en-US">Objective one.</langstring></description>
    </objective>
  </objectives>
  <block id="https://example.invalid/b1">
    <title><langstring lang="en-US">Block</langstring></title>
    <description><langstring lang="en-US">A block.</langstring></description>
    <au id="https://example.invalid/au1" moveOn="CompletedAndPassed" masteryScore="0.75"
        launchMethod="OwnWindow">
      <title><langstring lang="en-US">AU 1</langstring></title>
      <description><langstring lang="en-US">The first AU.</langstring></description>
      <objectives><objective idref="https://example.invalid/o1"/></objectives>
      <url>au1/index.html?lang=en</url>
      <launchParameters>x=1</launchParameters>
    </au>
  </block>
  <au id="https://example.invalid/au2">
    <title><langstring lang="en-US">AU 2</langstring></title>
    <description><langstring lang="en-US">The second AU.</langstring></description>
    <url>https://cdn.example.invalid/au2/start.html</url>
  </au>
</courseStructure>
"""
FILES = {"au1/index.html": b"<!doctype html>"}

# (name, text to replace in GOOD, replacement, a piece of the one error the rules report).
# The XSD refuses every one of these too.
BROKEN_FOR_THE_XSD = [
    ("wrong-namespace", 'xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"',
     'xmlns="https://example.invalid/cmi5"', "not <courseStructure> in the namespace"),
    ("no-course-id", '<course id="https://example.invalid/c">', "<course>",
     "<course> has no id attribute"),
    ("no-title", '<title><langstring lang="en-US">AU 2</langstring></title>', "",
     "AU 'https://example.invalid/au2' has no <title>"),
    ("no-url", "<url>https://cdn.example.invalid/au2/start.html</url>", "",
     "AU 'https://example.invalid/au2' has no <url>"),
    ("url-before-objectives",
     '<objectives><objective idref="https://example.invalid/o1"/></objectives>\n'
     "      <url>au1/index.html?lang=en</url>",
     "<url>au1/index.html?lang=en</url>\n"
     '      <objectives><objective idref="https://example.invalid/o1"/></objectives>',
     "<objectives> is not allowed here inside AU 'https://example.invalid/au1'"),
    ("bad-moveon", 'moveOn="CompletedAndPassed"', 'moveOn="Finished"',
     "moveOn 'Finished' is not one of"),
    ("percent-mastery", 'masteryScore="0.75"', 'masteryScore="75"',
     "masteryScore '75' is not a decimal from 0 to 1"),
    ("bad-launch-method", 'launchMethod="OwnWindow"', 'launchMethod="Popup"',
     "launchMethod 'Popup' is not one of"),
    ("unknown-attribute", 'launchMethod="OwnWindow"', 'launchMethod="OwnWindow" size="2"',
     "has an attribute 'size' the cmi5 XSD does not define"),
    ("no-au", GOOD[GOOD.index("  <block"):GOOD.index("</courseStructure>")], "",
     "<courseStructure> has no <au> or <block>"),
    ("empty-block", GOOD[GOOD.index("    <au id=\"https://example.invalid/au1\""):
                         GOOD.index("  </block>")], "",
     "block 'https://example.invalid/b1' has no <au> or <block>"),
    ("no-langstring", '<title><langstring lang="en-US">Course</langstring></title>',
     "<title>Course</title>", "<course> <title> has no <langstring>"),
    ("unqualified-element", "<launchParameters>x=1</launchParameters>",
     '<launchParameters xmlns="">x=1</launchParameters>', "has no namespace"),
    ("objective-without-description",
     '<description><langstring lang="en-US">Objective one.</langstring></description>', "",
     "<objective> needs exactly one <description>"),
]

# What the XSD lets through but an LMS or LRS cannot use.
BROKEN_BEYOND_THE_XSD = [
    ("relative-au-id", 'au id="https://example.invalid/au2"', 'au id="au2"',
     "<au> id 'au2' is not an IRI"),
    ("duplicate-id", 'au id="https://example.invalid/au2"', 'au id="https://example.invalid/c"',
     "is also the id of another course, block, AU or objective"),
    ("missing-file", "<url>au1/index.html?lang=en</url>", "<url>au1/start.html</url>",
     "url 'au1/start.html': file is listed but missing from the zip"),
    ("outside-the-package", "<url>au1/index.html?lang=en</url>", "<url>../up.html</url>",
     "url '../up.html' points outside the package"),
]


def _check(folder: Path, xml: str, files: dict[str, bytes] = FILES):
    zip_path = make_zip(folder / "p.zip", {"cmi5.xml": xml.encode(), **files})
    with nothing_written(folder):
        return validate(zip_path)


def test_the_good_structure_is_valid_for_the_xsd_and_the_rules(sandbox: Path):
    assert validate_cmi5_xsd(GOOD.encode()) == []
    report = _check(sandbox, GOOD)
    assert report.problems == []
    assert (report.exit_code, report.standard, report.launch, report.launchables) == (
        EXIT_VALID, "cmi5", "au1/index.html", 2)
    assert report.summary().endswith("| launch: 'au1/index.html' | 2 AUs | 0 error(s) | "
                                     "0 warning(s)")


@pytest.mark.parametrize("name, old, new, expected", BROKEN_FOR_THE_XSD,
                         ids=[c[0] for c in BROKEN_FOR_THE_XSD])
def test_what_the_xsd_refuses_the_rules_refuse(sandbox: Path, name: str, old: str, new: str,
                                               expected: str):
    assert old in GOOD
    xml = GOOD.replace(old, new)
    assert validate_cmi5_xsd(xml.encode()) != [], "the XSD accepts it: not a real XSD rule"
    report = _check(sandbox, xml)
    errors = [p.message for p in report.problems if p.severity == "error"]
    assert any(expected in e for e in errors), errors
    assert report.exit_code == EXIT_INVALID
    assert all(p.line > 0 for p in report.problems), report.problems


@pytest.mark.parametrize("name, old, new, expected", BROKEN_BEYOND_THE_XSD,
                         ids=[c[0] for c in BROKEN_BEYOND_THE_XSD])
def test_ids_and_files_beyond_the_xsd(sandbox: Path, name: str, old: str, new: str,
                                      expected: str):
    xml = GOOD.replace(old, new)
    assert old in GOOD
    report = _check(sandbox, xml)
    assert [p.message for p in report.problems if p.severity == "error"] == [
        next(p.message for p in report.problems if expected in p.message)]
    assert report.exit_code == EXIT_INVALID


def test_an_unknown_objective_reference_and_long_mastery_warn(sandbox: Path):
    xml = GOOD.replace('idref="https://example.invalid/o1"', 'idref="https://example.invalid/o9"'
                       ).replace('masteryScore="0.75"', 'masteryScore="0.12345"')
    report = _check(sandbox, xml)
    assert report.exit_code == EXIT_VALID
    assert sorted(p.message for p in report.problems) == [
        "AU 'https://example.invalid/au1': masteryScore '0.12345' has more than 4 decimal "
        "places (cmi5 section 10)",
        "objective idref 'https://example.invalid/o9' names no objective of "
        "<courseStructure><objectives>",
    ]


def test_cli_cmi5_xsd_adds_the_schema_and_refuses_an_unusable_one(tmp_path: Path):
    xsd = xsd_path()
    good = make_zip(tmp_path / "good.zip", {"cmi5.xml": GOOD.encode(), **FILES})
    result = run_cli("validate", "--cmi5-xsd", xsd, good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid cmi5 package" in result.stdout
    # A langstring lang that is no language tag: refused by the rules and by the XSD.
    bad = make_zip(tmp_path / "bad.zip", {"cmi5.xml": GOOD.replace(
        'lang="en-US">AU 2', 'lang="en US">AU 2').encode(), **FILES})
    result = run_cli("validate", "--cmi5-xsd", xsd, bad)
    assert result.returncode == 1
    assert "lang 'en US' is not a language tag" in result.stderr
    assert "XSD: Element" in result.stderr and "'en US'" in result.stderr
    not_xsd = tmp_path / "notes.txt"
    not_xsd.write_text("not a schema", encoding="utf-8")
    result = run_cli("validate", "--cmi5-xsd", not_xsd, good)
    assert result.returncode == 2
    assert "not a usable XML schema" in result.stderr and "Traceback" not in result.stderr
