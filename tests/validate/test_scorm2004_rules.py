"""The SCORM 2004 manifest rules of `scormbuild validate` (scorm2004/rules.py): one test per
error class, then the warnings (XSD deviations LMSs tolerate, the sequencing defaults that
bite). A clean manifest, valid against the official 4th Edition XSDs, gets no message at all;
each case changes one thing in it. Every validation runs under ``nothing_written``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scormbuild.problems import Problem
from scormbuild.validate import EXIT_INVALID, EXIT_VALID, validate
from tests.support.xsd2004 import validate_manifest_xsd_2004
from tests.validate.helpers import CONTENT, line_of, make_zip, nothing_written

MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com-example-2004" version="1.0"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="org-widgets">
    <organization identifier="org-widgets">
      <title>Widgets</title>
      <item identifier="item-widgets" identifierref="res-widgets">
        <title>Widgets</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-widgets" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
      <file href="player/player.js"/>
    </resource>
  </resources>
</manifest>
"""


def run(sandbox: Path, manifest: str, **files: bytes) -> tuple[Path, list[Problem], int]:
    entries = {"imsmanifest.xml": manifest.encode(), **(files or CONTENT)}
    zip_path = make_zip(sandbox / "p.zip", entries)
    with nothing_written(sandbox):
        report = validate(zip_path)
    return zip_path, report.problems, report.exit_code


def edit(old: str, new: str) -> str:
    assert MANIFEST.count(old) == 1, old
    return MANIFEST.replace(old, new)


def expect(sandbox: Path, manifest: str, needle: str, text: str, severity: str = "error",
           **files: bytes) -> None:
    """Exactly one problem of ``severity``: this text, on the line holding ``needle``."""
    zip_path, problems, code = run(sandbox, manifest, **files)
    found = [p for p in problems if p.severity == severity]
    assert len(found) == 1, [str(p) for p in problems]
    where = f"{zip_path}/imsmanifest.xml:{line_of(manifest, needle)}:"
    assert str(found[0]).startswith(where), (str(found[0]), where)
    assert text in found[0].message, found[0].message
    if severity == "warning":
        assert code == EXIT_VALID and not [p for p in problems if p.severity == "error"]
    else:
        assert code == EXIT_INVALID


def test_the_clean_manifest_is_xsd_valid_and_gets_no_message(sandbox: Path):
    assert validate_manifest_xsd_2004(MANIFEST.encode()) == []
    zip_path, problems, code = run(sandbox, MANIFEST)
    assert problems == [] and code == EXIT_VALID
    report = validate(zip_path)
    assert report.summary() == (
        f"{zip_path}: valid SCORM 2004 4th Edition package | SCORM 2004 4th Edition | "
        "generator: not recognised | launch: 'index.html' | 1 SCO | 0 error(s) | 0 warning(s)")


# -- errors: one per class ---------------------------------------------------------------------
def test_root_element_other_than_manifest(sandbox: Path):
    manifest = MANIFEST.replace("<manifest ", "<package ").replace("</manifest>", "</package>")
    expect(sandbox, manifest, "<package ", "the root element is <package>, expected <manifest>")


def test_manifest_outside_the_ims_cp_namespace(sandbox: Path):
    # Recognised as 2004 by its ADL namespace, but the CP elements are in no namespace.
    manifest = edit('xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"', "")
    expect(sandbox, manifest, "<manifest ", "<manifest> is in namespace (none); a SCORM 2004 "
           'manifest has the default namespace xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"')


def test_missing_schemaversion(sandbox: Path):
    manifest = edit("    <schemaversion>2004 4th Edition</schemaversion>\n", "")
    expect(sandbox, manifest, "<metadata>", "no <schemaversion> in the root <metadata>: Moodle "
           "then runs the package with the SCORM 1.2 API")


def test_schemaversion_of_scorm_1_2(sandbox: Path):
    manifest = edit(">2004 4th Edition<", ">1.2<")
    expect(sandbox, manifest, "<schemaversion>", "<schemaversion> is '1.2', but the manifest "
           "uses the SCORM 2004 namespaces: Moodle runs it with the SCORM 1.2 API")


def test_dangling_identifierref(sandbox: Path):
    manifest = edit('identifierref="res-widgets"', 'identifierref="res-gone"')
    zip_path, problems, code = run(sandbox, manifest)
    assert code == EXIT_INVALID
    where = f"{zip_path}/imsmanifest.xml:{line_of(manifest, 'res-gone')}:1: "
    assert (where + "item 'item-widgets': identifierref 'res-gone' names no <resource>: the "
            "LMS has nothing to launch for this item") in [str(p) for p in problems]
    # The one item now opens nothing, which is its own error.
    assert any("has no item that refers to a resource with an href" in p.message
               for p in problems)


def test_sco_without_href(sandbox: Path):
    manifest = edit(' href="index.html">', ">")
    _, problems, code = run(sandbox, manifest)
    assert code == EXIT_INVALID
    assert any("resource 'res-widgets' is a SCO but has no href" in p.message for p in problems)


def test_launch_file_missing_from_the_zip(sandbox: Path):
    manifest = edit('<file href="index.html"/>\n', "")
    expect(sandbox, manifest, 'adlcp:scormType="sco"', "resource 'res-widgets' href "
           "'index.html': file is listed but missing from the zip",
           **{"player/player.js": b"1;"})


def test_listed_file_missing_from_the_zip(sandbox: Path):
    expect(sandbox, MANIFEST, "player/player.js", "<file> href 'player/player.js': file is "
           "listed but missing from the zip", **{"index.html": b"<!doctype html>"})


def test_no_sco_only_assets(sandbox: Path):
    manifest = edit('adlcp:scormType="sco"', 'adlcp:scormType="asset"')
    expect(sandbox, manifest, "<organization ", "no launchable SCO: the items of organization "
           "'org-widgets' open only assets")


def test_no_organization(sandbox: Path):
    start = MANIFEST.index("    <organization ")
    end = MANIFEST.index("</organizations>")
    manifest = MANIFEST[:start] + MANIFEST[end:]
    expect(sandbox, manifest, "<manifest ", "no <organizations> with an <organization>")


# -- warnings -----------------------------------------------------------------------------------
def test_no_completion_set_by_content_may_complete_on_launch(sandbox: Path):
    manifest = edit('completionSetByContent="true" ', "")
    expect(sandbox, manifest, "<imsss:deliveryControls", "completionSetByContent is not "
           '"true" (the default is false): the LMS may mark the SCO completed as soon as it '
           "launches", "warning")


def test_no_objective_set_by_content_may_satisfy_on_launch(sandbox: Path):
    manifest = edit(' objectiveSetByContent="true"', "")
    expect(sandbox, manifest, "<imsss:deliveryControls", "objectiveSetByContent is not "
           '"true" (the default is false): the LMS may mark the SCO satisfied', "warning")


def test_no_delivery_controls_at_all_earns_both(sandbox: Path):
    manifest = edit('          <imsss:deliveryControls completionSetByContent="true" '
                    'objectiveSetByContent="true"/>\n', "")
    _, problems, code = run(sandbox, manifest)
    assert code == EXIT_VALID
    assert sorted(p.message.split(":")[1].split(" (")[0].strip() for p in problems) == [
        'completionSetByContent is not "true"', 'objectiveSetByContent is not "true"']


def test_xs_boolean_1_is_true(sandbox: Path):
    manifest = MANIFEST.replace('="true"', '="1"')
    assert manifest.count('="1"') == 5
    assert validate_manifest_xsd_2004(manifest.encode()) == []
    _, problems, code = run(sandbox, manifest)
    assert problems == [] and code == EXIT_VALID


def test_flow_off_on_the_parent(sandbox: Path):
    manifest = edit(' flow="true"', "")
    expect(sandbox, manifest, "<imsss:controlMode", "the parent of item 'item-widgets' has "
           "flow off (the default)", "warning")


def test_satisfied_by_measure_without_a_minimum_asks_for_100(sandbox: Path):
    manifest = edit("              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>"
                    "\n", "")
    expect(sandbox, manifest, "<imsss:primaryObjective", "satisfiedByMeasure without "
           "<imsss:minNormalizedMeasure>: the default is 1.0", "warning")


@pytest.mark.parametrize("value", ["80", "high"])
def test_measure_outside_minus_one_to_one(sandbox: Path, value: str):
    manifest = edit(">0.8<", f">{value}<")
    assert validate_manifest_xsd_2004(manifest.encode()) != []  # a real XSD deviation
    expect(sandbox, manifest, "<imsss:minNormalizedMeasure", f"minNormalizedMeasure {value!r} "
           "must be a decimal from -1 to 1", "warning")


def test_sequencing_from_a_collection_counts(sandbox: Path):
    # The deliveryControls can come from <imsss:sequencingCollection> through IDRef.
    manifest = edit("""        <imsss:sequencing>
          <imsss:objectives>""", """        <imsss:sequencing IDRef="shared">
          <imsss:objectives>""").replace(
        '          <imsss:deliveryControls completionSetByContent="true" '
        'objectiveSetByContent="true"/>\n', "").replace(
        "  </resources>\n", """  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="shared">
      <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
    </imsss:sequencing>
  </imsss:sequencingCollection>
""")
    assert validate_manifest_xsd_2004(manifest.encode()) == []
    _, problems, code = run(sandbox, manifest)
    assert problems == [] and code == EXIT_VALID


def test_scormtype_in_1_2_spelling(sandbox: Path):
    manifest = edit('adlcp:scormType="sco"', 'adlcp:scormtype="sco"')
    _, problems, code = run(sandbox, manifest)
    assert code == EXIT_INVALID  # the resource is then no SCO
    warnings = [p.message for p in problems if p.severity == "warning"]
    assert any("attribute 'scormtype' must be adlcp:scormType (camel case" in w
               for w in warnings), warnings


def test_edition_before_the_3rd(sandbox: Path):
    manifest = edit(">2004 4th Edition<", ">CAM 1.3<")
    expect(sandbox, manifest, "<schemaversion>", "<schemaversion> is 'CAM 1.3': LMSs run it as "
           "SCORM 2004, but an edition before the 3rd", "warning")


def test_sequencing_children_out_of_xsd_order(sandbox: Path):
    delivery = ('          <imsss:deliveryControls completionSetByContent="true" '
                'objectiveSetByContent="true"/>\n')
    manifest = edit(delivery, "").replace("          <imsss:objectives>\n",
                                          delivery + "          <imsss:objectives>\n")
    assert validate_manifest_xsd_2004(manifest.encode()) != []
    expect(sandbox, manifest, "<imsss:objectives>", "<imsss:objectives> comes after "
           "<imsss:deliveryControls> inside <imsss:sequencing> (IMS SS XSD order", "warning")


def test_identifier_that_is_no_xs_id(sandbox: Path):
    manifest = MANIFEST.replace('"res-widgets"', '"res widgets"')
    assert validate_manifest_xsd_2004(manifest.encode()) != []
    expect(sandbox, manifest, 'type="webcontent"', "<resource> identifier 'res widgets' is not "
           "a valid xs:ID", "warning")


def test_two_scos(sandbox: Path):
    manifest = edit("      </item>\n", """      </item>
      <item identifier="item-two" identifierref="res-two"><title>Two</title></item>
""").replace("  </resources>", """    <resource identifier="res-two" type="webcontent"
              adlcp:scormType="sco" href="two.html">
      <file href="two.html"/>
    </resource>
  </resources>""")
    _, problems, code = run(sandbox, manifest, **CONTENT, **{"two.html": b"<!doctype html>"})
    assert code == EXIT_VALID
    assert any("2 SCOs in one package" in p.message for p in problems)
