"""`scormbuild validate` on the command line: the summary line, exit statuses, --strict, several
packages at once, the launch-path disagreement, and scormbuild's own package (clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SAMPLE, run_cli
from tests.validate.helpers import CONTENT, MANIFEST, make_zip, package
from tests.validate.test_real_patterns import CASES, zip_case


def case(name: str):
    return next(c for c in CASES if c.fixture == name)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = run_cli("build", SAMPLE, "-o", out, "-t", "scorm12", "-t", "xapi")
    assert result.returncode == 0, result.stderr
    return out


def test_scormbuilds_own_package_is_clean(dist: Path):
    (built,) = dist.glob("*scorm12.zip")
    result = run_cli("validate", "--strict", built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"{built}: valid SCORM 1.2 package | SCORM 1.2 | generator: scormbuild | "
        "launch: 'index.html' | 1 SCO | 0 error(s) | 0 warning(s)\n"
    )


def test_scormbuilds_xapi_package_is_recognised_and_partly_checked(dist: Path):
    (built,) = dist.glob("*xapi.zip")
    result = run_cli("validate", "--strict", built)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout == (
        f"{built}: Tin Can package: checked for zip safety and files; manifest rules not "
        "checked | Tin Can (xAPI) | generator: scormbuild | launch: 'index.html' | 1 activity | "
        "0 error(s) | 0 warning(s)\n"
    )


def test_warnings_leave_it_valid_and_strict_makes_them_errors(tmp_path: Path):
    zip_path = zip_case(case("captivate"), tmp_path)
    plain = run_cli("validate", zip_path)
    assert plain.returncode == 0
    assert plain.stdout.splitlines()[-1] == (
        f"{zip_path}: valid SCORM 1.2 package | SCORM 1.2 | generator: Adobe Captivate | "
        "launch: 'index_scorm.html' | 1 SCO | 0 error(s) | 3 warning(s)"
    )
    strict = run_cli("validate", "--strict", zip_path)
    assert strict.returncode == 1
    lines = strict.stderr.splitlines()
    assert lines[0].startswith(f"{zip_path}/imsmanifest.xml:2:1: (strict) <manifest> identifier")
    assert lines[-1] == (
        f"{zip_path}: INVALID | SCORM 1.2 | generator: Adobe Captivate | "
        "launch: 'index_scorm.html' | 1 SCO | 3 error(s) | 0 warning(s)"
    )


def test_scorm_2004_is_checked_by_its_own_rules(tmp_path: Path):
    # Before issue 12 a partial verdict (exit 3); now the SCORM 2004 rules: valid, with the
    # three sequencing-default warnings this export's manifest earns (scorm2004/rules.py).
    zip_path = zip_case(case("scorm2004-4th"), tmp_path)
    result = run_cli("validate", zip_path)
    assert result.returncode == 0
    assert "INVALID" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"{zip_path}: valid SCORM 2004 4th Edition package | SCORM 2004 4th Edition | "
        "generator: not recognised | launch: 'res/index.html' | 1 SCO | 0 error(s) | "
        "3 warning(s)"
    )
    assert "completionSetByContent" in result.stdout


def test_invalid_package_exit_1_with_the_launch_error(tmp_path: Path):
    zip_path = zip_case(case("xml-base-resources"), tmp_path)
    result = run_cli("validate", zip_path)
    assert result.returncode == 1
    assert "Moodle launches 'index.html'" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"{zip_path}: INVALID | SCORM 1.2 |")


def test_several_packages_one_summary_each_and_the_worst_status(tmp_path: Path):
    good = package(tmp_path / "good.zip")
    partial = zip_case(case("tincan"), tmp_path)
    bad = make_zip(tmp_path / "bad.zip", {"imsmanifest.xml": MANIFEST.encode()})
    assert run_cli("validate", good, partial).returncode == 3
    result = run_cli("validate", good, partial, bad)
    assert result.returncode == 1
    summaries = [line for line in (result.stdout + result.stderr).splitlines()
                 if " | " in line]
    assert [s.split(" | ")[0] for s in sorted(summaries)] == [
        f"{bad}: INVALID",
        f"{good}: valid SCORM 1.2 package",
        f"{partial}: Tin Can package: checked for zip safety and files; manifest rules not "
        "checked",
    ]


def test_no_package_named_is_a_usage_error():
    result = run_cli("validate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_launch_resolutions_that_find_two_different_files_warn(tmp_path: Path):
    manifest = MANIFEST.replace("<resources>", '<resources xml:base="v2/">').replace(
        'type="webcontent"', 'type="webcontent" xml:base="app/"'
    )
    zip_path = make_zip(tmp_path / "two.zip", {
        "imsmanifest.xml": manifest.encode(), **CONTENT,
        "app/index.html": b"old", "v2/app/index.html": b"new", "v2/app/player/player.js": b"1",
    })
    result = run_cli("validate", zip_path)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: resource 'res-widgets' (launched by item 'item-widgets'): Moodle launches "
        "'app/index.html' (the resource's own xml:base + href) but the standard resolution "
        "gives 'v2/app/index.html'; both files exist, so LMSs will open different pages"
    ) in result.stdout
