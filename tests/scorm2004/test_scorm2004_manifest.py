"""The SCORM 2004 package scormbuild builds: official XSDs (4th Edition, and 3rd Edition to show
only shared features are used), the sequencing that leaves status to the content, mastery from
the pass mark, stable identifiers and byte-reproducible zips.

Expected values come from the course source (course.yaml read here with PyYAML) and from the
SCORM 2004 facts in shared/reference/scorm2004.md, never from the manifest under test.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from lxml import etree

from tests.helpers import SAMPLE, build_package, run_cli
from tests.support.coursegen import edited_course
from tests.support.xsd2004 import validate_manifest_xsd_2004

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
SS = "http://www.imsglobal.org/xsd/imsss"
NS = {"cp": CP, "adlcp": ADLCP, "imsss": SS}


def build_2004(src: Path, out: Path) -> Path:
    return build_package(src, out, "scorm2004")


def manifest_of(zip_path: Path) -> bytes:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.read("imsmanifest.xml")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_2004(SAMPLE, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def source() -> dict:
    return yaml.safe_load((SAMPLE / "course.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("edition", ["4th", "3rd"])
def test_built_manifest_validates_against_the_official_xsds(built: Path, edition: str):
    # Valid against the 3rd Edition XSDs too: nothing 4th-Edition-only is used.
    assert validate_manifest_xsd_2004(manifest_of(built), edition) == []


@pytest.mark.parametrize("edition", ["4th", "3rd"])
def test_the_xsd_check_sees_a_broken_built_manifest(built: Path, edition: str):
    # Negative control: one element the sequencing schema does not allow there must fail.
    broken = manifest_of(built).replace(b"<imsss:deliveryControls ",
                                        b"<imsss:bogus/><imsss:deliveryControls ", 1)
    assert broken != manifest_of(built)
    assert any("bogus" in e for e in validate_manifest_xsd_2004(broken, edition))


def test_one_sco_and_the_version_declared(built: Path):
    root = etree.fromstring(manifest_of(built))
    assert root.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "2004 4th Edition"
    (organizations,) = root.findall("cp:organizations", NS)
    (organization,) = organizations.findall("cp:organization", NS)
    assert organizations.get("default") == organization.get("identifier")
    (item,) = organization.iterfind(".//cp:item", NS)
    (resource,) = root.findall("cp:resources/cp:resource", NS)
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get(f"{{{ADLCP}}}scormType") == "sco"
    assert resource.get("href") == "index.html"
    with zipfile.ZipFile(built) as zf:
        names = set(zf.namelist())
    listed = {f.get("href") for f in resource.findall("cp:file", NS)}
    assert listed == names - {"imsmanifest.xml"}


def test_sequencing_leaves_completion_and_mastery_to_the_content(built: Path, source: dict):
    root = etree.fromstring(manifest_of(built))
    organization = root.find("cp:organizations/cp:organization", NS)
    # Control modes act on a cluster's children: on the organization, the SCO's parent.
    (control,) = organization.findall("imsss:sequencing/imsss:controlMode", NS)
    assert (control.get("choice"), control.get("flow")) == ("true", "true")
    item = organization.find("cp:item", NS)
    (delivery,) = item.findall("imsss:sequencing/imsss:deliveryControls", NS)
    assert delivery.get("completionSetByContent") == "true"
    assert delivery.get("objectiveSetByContent") == "true"
    (primary,) = item.findall("imsss:sequencing/imsss:objectives/imsss:primaryObjective", NS)
    assert primary.get("satisfiedByMeasure") == "true"
    measure = primary.findtext("imsss:minNormalizedMeasure", namespaces=NS)
    assert Decimal(measure) == Decimal(source["assessment"]["pass_mark"]) / 100
    secondary = item.findall("imsss:sequencing/imsss:objectives/imsss:objective", NS)
    assert [o.get("objectiveID") for o in secondary] == [o["id"] for o in source["objectives"]]


def test_no_feature_only_one_edition_has(built: Path):
    text = manifest_of(built)
    # 4th-Edition-only: shared data (adlcp:data), jump, completion threshold; 3rd-only: none
    # we could use. adlnav:presentation is in both but not needed.
    for word in (b"adlcp:data", b"adlcp:map", b"jump", b"completionThreshold", b"adlnav:"):
        assert word not in text


def test_pass_mark_sets_the_measure_and_ids_survive_a_new_version(built: Path, tmp_path: Path):
    src = edited_course(SAMPLE, tmp_path / "src", version="2.2.0", pass_mark="65")
    other = build_2004(src, tmp_path / "dist")
    assert other.name.endswith("-2.2.0-scorm2004.zip")
    old, new = etree.fromstring(manifest_of(built)), etree.fromstring(manifest_of(other))
    assert new.findtext(".//imsss:minNormalizedMeasure", namespaces=NS) == "0.65"
    # Identifiers depend on the course id only: LMSs drop learners' tracking when they change.
    ids = "//*[@identifier]/@identifier | //*[@identifierref]/@identifierref"
    assert old.xpath(ids) == new.xpath(ids) and len(old.xpath(ids)) == 5
    assert new.get("version") == "2.2.0" and old.get("version") == "2.1.0"


def test_the_zip_is_byte_reproducible(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    result = run_cli("build", SAMPLE, "-o", again, "-t", "scorm2004", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (again / built.name).read_bytes() == built.read_bytes()


def test_without_a_post_test_no_mastery_from_a_measure(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    text = (src / "course.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^assessment:\n(  \w.*\n)+", "", text)
    assert n == 1
    (src / "course.yaml").write_text(text, encoding="utf-8")
    (src / "posttest.yaml").unlink()
    manifest = manifest_of(build_2004(src, tmp_path / "dist"))
    assert validate_manifest_xsd_2004(manifest) == []
    root = etree.fromstring(manifest)
    (primary,) = root.iterfind(".//imsss:primaryObjective", NS)
    # No score to judge mastery from: the SCO's success_status decides (objectiveSetByContent).
    assert primary.get("satisfiedByMeasure") == "false"
    assert primary.find("imsss:minNormalizedMeasure", NS) is None


def test_validate_accepts_the_built_package_with_no_message(built: Path):
    result = run_cli("validate", built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"{built}: valid SCORM 2004 4th Edition package | SCORM 2004 4th Edition | "
        "generator: scormbuild | launch: 'index.html' | 1 SCO | 0 error(s) | 0 warning(s)\n")
    assert result.stderr == ""
