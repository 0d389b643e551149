"""The Tin Can package: `scormbuild build -t xapi` as an author runs it.

tincan.xml sits at the root, parses, uses the Tin Can namespace, declares exactly one
launchable activity (the course, launching index.html in the course language) and every other
activity of the course; the player files are the same as any target's; the zip is
reproducible; nothing in it is a credential; a course without xapi_base gets a clear problem.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from scormbuild.build import compile_course
from scormbuild.xapi.activities import course_activities
from scormbuild.xapi.target import XapiTarget
from tests.helpers import SAMPLE, build_package, run_cli, snapshot

TINCAN = "http://projecttincan.com/tincan.xsd"
NS = {"t": TINCAN}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(SAMPLE, tmp_path_factory.mktemp("dist"), "xapi", "scorm12")


def _tincan(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as zf:
        return etree.fromstring(zf.read("tincan.xml"))


def test_package_name_is_course_id_version_xapi(built: Path):
    assert built.name == "sample-course-2.1.0-xapi.zip"


def test_tincan_xml_is_at_the_root_and_only_there(built: Path):
    with zipfile.ZipFile(built) as zf:
        names = zf.namelist()
    assert [n for n in names if n.endswith("tincan.xml")] == ["tincan.xml"]


def test_exactly_one_launchable_activity_the_course(built: Path):
    root = _tincan(built)
    assert root.tag == f"{{{TINCAN}}}tincan"
    launches = root.findall("t:activities/t:activity/t:launch", NS)
    assert len(launches) == 1
    (launch,) = launches
    activity = launch.getparent()
    assert activity.get("id") == "https://courses.example.org/sample-course"
    assert activity.get("type") == "http://adlnet.gov/expapi/activities/course"
    assert launch.text == "index.html" and launch.get("lang") == "en-US"
    with zipfile.ZipFile(built) as zf:
        assert "index.html" in zf.namelist()


def test_tincan_xml_lists_every_activity_with_name_description_type(built: Path):
    compiled = compile_course(SAMPLE)
    expected = course_activities(compiled.course, compiled.rendered)
    activities = _tincan(built).findall("t:activities/t:activity", NS)
    assert [a.get("id") for a in activities] == [a.iri for a in expected]
    for element, activity in zip(activities, expected, strict=True):
        d = activity.definition
        assert element.get("type") == d["type"]
        assert element.findtext("t:name[@lang='en-US']", namespaces=NS) == d["name"]["en-US"]
        assert (element.findtext("t:description[@lang='en-US']", namespaces=NS)
                == d["description"]["en-US"])
        assert element.findtext("t:interactionType", namespaces=NS) == d.get("interactionType")
        patterns = element.findall("t:correctResponsePatterns/t:correctResponsePattern", NS)
        assert [p.text for p in patterns] == d.get("correctResponsesPattern", [])
        for key in ("choices", "scale", "source", "target"):
            ids = element.findall(f"t:{key}/t:component/t:id", NS)
            assert [i.text for i in ids] == [c["id"] for c in d.get(key, [])], (
                activity.iri, key)


def test_the_player_files_are_those_of_every_target(built: Path):
    compiled = compile_course(SAMPLE)
    content = XapiTarget(compiled.course, compiled.rendered).content_files()
    with zipfile.ZipFile(built) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert set(files) == set(content) | {"tincan.xml"}
    assert all(files[name] == data for name, data in content.items())
    # The player is told which tracker this package prefers.
    assert b'data-tracking="xapi"' in files["index.html"]


def test_no_credentials_in_the_package(built: Path):
    with zipfile.ZipFile(built) as zf:
        texts = {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist()}
    basic = re.compile(r"Basic [A-Za-z0-9+/]{6,}={0,2}")
    assert {n: basic.findall(t) for n, t in texts.items() if basic.search(t)} == {}
    # tincan.xml names no LRS: only the course's own IRIs and the vocabularies.
    urls = set(re.findall(r"https?://[^\s\"<]+", texts["tincan.xml"]))
    allowed = ("https://courses.example.org/sample-course", "http://adlnet.gov/expapi/",
               "http://id.tincanapi.com/activitytype/", TINCAN)
    assert {u for u in urls if not u.startswith(allowed)} == set()


def test_the_package_is_reproducible(tmp_path: Path, built: Path):
    again = build_package(SAMPLE, tmp_path / "again", "xapi")
    assert again.read_bytes() == built.read_bytes()


def test_without_xapi_base_the_build_fails_pointing_at_course_yaml(tmp_path: Path):
    src = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = src / "course.yaml"
    lines = course_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    course_yaml.write_text("".join(ln for ln in lines if not ln.startswith("xapi_base:")),
                           encoding="utf-8")
    out = tmp_path / "dist"
    result = run_cli("build", src, "-o", out, "-t", "xapi", "-t", "scorm12")
    assert result.returncode == 1
    assert f"{course_yaml}:" in result.stderr
    assert "add xapi_base: https://... to course.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == {}  # nothing written, not even the SCORM zip
    # The SCORM 1.2 target alone does not need xapi_base.
    result = run_cli("build", src, "-o", out)
    assert result.returncode == 0, result.stderr
