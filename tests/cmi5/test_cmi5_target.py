"""The cmi5 package: `scormbuild build -t cmi5` as an author runs it.

cmi5.xml sits at the zip root and is valid against the cmi5 Quartz CourseStructure.xsd (read
from ../shared, never copied; a broken copy of our own file must fail it); one AU, the player,
with a relative url; ids are IRIs from xapi_base; moveOn and masteryScore follow the post-test;
the course objectives are listed; the zip is reproducible; no xapi_base is a clear error.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from support.cmi5_xsd import validate_cmi5_xsd, xsd_path

from scormbuild.build import compile_course
from scormbuild.cmi5.target import Cmi5Target
from tests.helpers import SAMPLE, build_package, run_cli, snapshot

NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
BASE = "https://courses.example.org/sample-course"  # the sample's xapi_base, as written there


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(SAMPLE, tmp_path_factory.mktemp("dist"), "cmi5")


def _xml(zip_path: Path) -> bytes:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.read("cmi5.xml")


def test_package_name_and_cmi5_xml_at_the_root_only(built: Path):
    assert built.name == "sample-course-2.1.0-cmi5.zip"
    with zipfile.ZipFile(built) as zf:
        names = zf.namelist()
    assert [n for n in names if n.endswith("cmi5.xml")] == ["cmi5.xml"]
    assert "tincan.xml" not in names and "imsmanifest.xml" not in names


def test_cmi5_xml_is_valid_against_the_xsd(built: Path):
    assert validate_cmi5_xsd(_xml(built)) == []


@pytest.mark.parametrize("old, new", [
    (b'moveOn="CompletedAndPassed"', b'moveOn="Finished"'),  # not in the enumeration
    (b'masteryScore="0.8"', b'masteryScore="80"'),  # a percentage, not 0..1
    (b"<url>index.html</url>", b""),  # an AU without its url
])
def test_the_xsd_refuses_a_broken_copy(built: Path, old: bytes, new: bytes):
    """Negative control: the same file with one thing wrong is refused."""
    xml = _xml(built)
    assert old in xml
    assert validate_cmi5_xsd(xml.replace(old, new)) != []


def test_one_au_the_player_with_ids_from_xapi_base(built: Path):
    root = etree.fromstring(_xml(built))
    assert root.find("c:course", NS).get("id") == f"{BASE}/cmi5/course/sample-course"
    (au,) = root.findall("c:au", NS)
    assert root.findall(".//c:block", NS) == []
    assert au.get("id") == BASE
    assert au.findtext("c:url", namespaces=NS) == "index.html"
    assert au.get("launchMethod") == "AnyWindow"
    assert au.findtext("c:title/c:langstring", namespaces=NS) == "Sample Course for Tests"
    assert au.find("c:title/c:langstring", NS).get("lang") == "en-US"
    with zipfile.ZipFile(built) as zf:
        assert "index.html" in zf.namelist()


def test_a_post_test_makes_moveon_completed_and_passed_with_the_pass_mark(built: Path):
    au = etree.fromstring(_xml(built)).find("c:au", NS)
    # The sample's posttest pass_mark is 80 (course.yaml).
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.8")


def test_without_a_post_test_moveon_is_completed(tmp_path: Path):
    src = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = src / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    text = text.replace("assessment:\n  pass_mark: 80\n  attempts: 2\n"
                        "  reporting: passed-incomplete\n", "")
    course_yaml.write_text(text, encoding="utf-8")
    (src / "posttest.yaml").unlink()
    zip_path = build_package(src, tmp_path / "dist", "cmi5")
    xml = _xml(zip_path)
    au = etree.fromstring(xml).find("c:au", NS)
    assert au.get("moveOn") == "Completed"
    assert au.get("masteryScore") is None
    assert validate_cmi5_xsd(xml) == []


def test_the_course_objectives_are_listed(built: Path):
    root = etree.fromstring(_xml(built))
    listed = root.findall("c:objectives/c:objective", NS)
    assert [o.get("id") for o in listed] == [f"{BASE}/objective/identify-widgets",
                                            f"{BASE}/objective/apply-care"]
    assert listed[0].findtext("c:description/c:langstring", namespaces=NS) == (
        "Identify the three kinds of widget.")
    refs = root.findall("c:au/c:objectives/c:objective", NS)
    assert [r.get("idref") for r in refs] == [o.get("id") for o in listed]


def test_the_player_files_are_those_of_every_target(built: Path):
    compiled = compile_course(SAMPLE)
    content = Cmi5Target(compiled.course, compiled.rendered).content_files()
    with zipfile.ZipFile(built) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert set(files) == set(content) | {"cmi5.xml"}
    assert b'data-tracking="cmi5"' in files["index.html"]


def test_the_package_is_reproducible(tmp_path: Path, built: Path):
    again = build_package(SAMPLE, tmp_path / "again", "cmi5", "xapi")
    assert again.read_bytes() == built.read_bytes()


def test_without_xapi_base_the_build_fails_pointing_at_course_yaml(tmp_path: Path):
    src = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = src / "course.yaml"
    lines = course_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    course_yaml.write_text("".join(ln for ln in lines if not ln.startswith("xapi_base:")),
                           encoding="utf-8")
    out = tmp_path / "dist"
    result = run_cli("build", src, "-o", out, "-t", "cmi5")
    assert result.returncode == 1
    assert f"{course_yaml}:" in result.stderr
    assert "the cmi5 target needs a base IRI" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == {}


def test_scormbuild_validate_calls_the_package_valid(built: Path):
    result = run_cli("validate", "--cmi5-xsd", xsd_path(), built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(
        "valid cmi5 package | cmi5 | generator: scormbuild | launch: 'index.html' | 1 AU | "
        "0 error(s) | 0 warning(s)")
