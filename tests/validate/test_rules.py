"""scormbuild.validate, SCORM 1.2 rules: good packages pass; bad and hostile zips get a clear,
specific message. Each validation runs inside ``check``, which proves nothing was written."""

from __future__ import annotations

import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from scormbuild.problems import Problem
from scormbuild.validate import ENTITY_MESSAGE, Limits
from tests.support.xsd import validate_manifest_xsd
from tests.validate.helpers import (
    CONTENT,
    MANIFEST,
    assert_error,
    check,
    line_of,
    make_zip,
    messages,
    package,
    warnings_of,
)

# -- good packages --------------------------------------------------------------------------------


def test_a_good_package_has_no_problems(sandbox: Path):
    assert check(package(sandbox / "good.zip")) == []


def test_the_hand_written_manifest_is_also_xsd_valid():
    # Keeps the fixture honest: what the validator accepts here, the official XSDs accept too.
    assert validate_manifest_xsd(MANIFEST.encode()) == []


def test_files_are_found_through_the_resource_xml_base(sandbox: Path):
    # Issue 16 changed this case: it used <resources xml:base="content/"> as well, which Moodle
    # ignores (tests/validate/test_launch.py). The resource's own base is what every LMS uses.
    manifest = MANIFEST.replace('type="webcontent"', 'type="webcontent" xml:base="v1/"')
    zip_path = make_zip(
        sandbox / "based.zip",
        {
            "imsmanifest.xml": manifest.encode(),
            "v1/index.html": b"x",
            "v1/player/player.js": b"x",
        },
    )
    assert check(zip_path) == []


def test_xml_base_is_applied_when_a_file_is_missing(sandbox: Path):
    manifest = MANIFEST.replace("<resources>", '<resources xml:base="content/">')
    zip_path = make_zip(
        sandbox / "based.zip",
        {"imsmanifest.xml": manifest.encode(), "content/index.html": b"x"},
    )
    assert_error(
        check(zip_path),
        f"{zip_path}/imsmanifest.xml:{line_of(manifest, 'player/player.js')}:1: <file> href "
        "'player/player.js' ('content/player/player.js'): file is listed but missing from the zip",
    )


def test_percent_encoded_hrefs_name_the_decoded_file(sandbox: Path):
    manifest = MANIFEST.replace('"player/player.js"', '"player/my%20player.js"')
    zip_path = make_zip(
        sandbox / "enc.zip",
        {
            "imsmanifest.xml": manifest.encode(),
            "index.html": b"x",
            "player/my player.js": b"x",
        },
    )
    assert check(zip_path) == []


# -- the zip itself -------------------------------------------------------------------------------


def test_not_a_zip(sandbox: Path):
    path = sandbox / "course.zip"
    path.write_bytes(b"<html>this is a web page saved as .zip</html>")
    assert messages(check(path)) == [f"{path}: not a zip file (no end-of-central-directory record)"]


def test_no_such_zip(sandbox: Path):
    assert messages(check(sandbox / "nope.zip")) == [f"{sandbox / 'nope.zip'}: no such file"]


def test_manifest_not_at_root(sandbox: Path):
    zip_path = make_zip(
        sandbox / "nested.zip",
        {f"course/{k}": v for k, v in {"imsmanifest.xml": MANIFEST.encode(), **CONTENT}.items()},
    )
    problems = check(zip_path)
    assert messages(problems) == [
        f"{zip_path}: imsmanifest.xml is in the sub-folder 'course/', not at the zip root "
        "(Moodle: badimsmanifestlocation); zip the contents of that folder, not the folder itself"
    ]


def test_missing_manifest(sandbox: Path):
    zip_path = make_zip(sandbox / "bare.zip", CONTENT)
    assert_error(check(zip_path), "no imsmanifest.xml at the zip root: not a SCORM package")


def test_manifest_name_in_the_wrong_case(sandbox: Path):
    zip_path = make_zip(sandbox / "case.zip", {"IMSManifest.xml": MANIFEST.encode(), **CONTENT})
    assert_error(check(zip_path), "the manifest is named 'IMSManifest.xml'; it must be exactly")


def nothing_named(marker: str, *folders: Path) -> None:
    """No file or folder whose name holds ``marker`` exists in any of the folders (recursively)."""
    for folder in folders:
        found = [p for p in folder.rglob(f"*{marker}*")] if folder.is_dir() else []
        assert found == [], found


def test_dot_dot_entry(sandbox: Path):
    marker = f"scormbuild-escape-{uuid.uuid4().hex}"
    name = f"../../{marker}.txt"
    zip_path = package(sandbox / "traversal.zip", **{name: b"pwned"})
    problems = check(zip_path, sandbox / "work" / f"{marker}.txt", sandbox.parent / f"{marker}.txt")
    nothing_named(marker, sandbox.parent)
    assert_error(
        problems,
        f"{zip_path}: entry '{name}': has a '..' component, which escapes the package folder",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("/tmp/{m}/evil.txt", "is an absolute path; package paths must be relative"),
        ("C:/{m}/evil.txt", "is an absolute path; package paths must be relative"),
        ("..\\..\\{m}.txt", "contains a backslash; zip paths must use forward slashes"),
    ],
)
def test_absolute_and_backslash_entries(sandbox: Path, name: str, expected: str):
    marker = f"scormbuild-abs-{uuid.uuid4().hex}"
    name = name.format(m=marker)
    zip_path = package(sandbox / "abs.zip", **{name: b"pwned"})
    problems = check(zip_path, Path("/tmp") / marker)
    nothing_named(marker, sandbox.parent, Path("/tmp"))
    assert_error(problems, f"{zip_path}: entry {name!r}: {expected}")


def test_symlink_entry(sandbox: Path):
    link = zipfile.ZipInfo("player/passwd")
    link.create_system = 3  # Unix, so unzip honours the mode bits
    link.external_attr = 0o120777 << 16  # S_IFLNK | rwxrwxrwx
    zip_path = make_zip(
        sandbox / "link.zip",
        [("imsmanifest.xml", MANIFEST.encode()), *CONTENT.items(), (link, b"/etc/passwd")],
    )
    problems = check(zip_path)
    assert_error(
        problems,
        f"{zip_path}: entry 'player/passwd': is a symbolic link (not allowed in a package)",
    )


def test_duplicate_entries(sandbox: Path):
    zip_path = make_zip(
        sandbox / "dup.zip",
        [("imsmanifest.xml", MANIFEST.encode()), *CONTENT.items(), ("index.html", b"evil")],
    )
    assert_error(check(zip_path), "entry 'index.html': duplicate name")


def test_zip_bomb_is_stopped_by_the_compression_ratio(sandbox: Path):
    # 64 MiB of zeros deflate to ~64 KB: a ratio of ~1000:1. The validator must stop after a few
    # MiB (it never holds the member in memory), so this stays fast.
    zip_path = sandbox / "bomb.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", MANIFEST)
        for name, data in CONTENT.items():
            zf.writestr(name, data)
        zeros = bytes(1024 * 1024)
        with zf.open("player/bomb.bin", "w") as member:
            for _ in range(64):
                member.write(zeros)
    started = time.perf_counter()
    problems = check(zip_path)
    assert time.perf_counter() - started < 5
    assert_error(problems, f"{zip_path}: entry 'player/bomb.bin': compression ratio over 100:1")
    assert "zip bomb" in messages(problems)[0]


def test_declared_sizes_over_the_limits_are_refused_before_reading(sandbox: Path):
    zip_path = package(sandbox / "big.zip", **{"player/big.bin": bytes(300_000)})
    limits = Limits(max_entry_bytes=100_000)
    assert_error(
        check(zip_path, limits=limits),
        "entry 'player/big.bin': declares 300000 bytes uncompressed, over the 100000-byte limit",
    )
    total = Limits(max_total_bytes=200_000)
    assert_error(check(zip_path, limits=total), "over the 200000-byte limit: possible zip bomb")


def test_too_many_entries_is_refused_before_the_directory_is_loaded(sandbox: Path):
    zip_path = package(sandbox / "many.zip", **{f"f{i}.txt": b"" for i in range(50)})
    assert messages(check(zip_path, limits=Limits(max_entries=20))) == [
        f"{zip_path}: too many entries (53; at most 20 are accepted): possible zip bomb"
    ]


def test_a_header_that_understates_the_size_is_caught(sandbox: Path):
    # The central directory claims 10 bytes; the data inflates to 1 MB. zipfile stops at the
    # claimed size and the CRC then fails: reported as corrupt, never trusted.
    zip_path = package(sandbox / "liar.zip", **{"player/liar.bin": bytes(1_000_000)})
    data = bytearray(zip_path.read_bytes())
    with zipfile.ZipFile(zip_path) as zf:
        info = zf.getinfo("player/liar.bin")
    central = data.find(b"player/liar.bin", data.find(b"PK\x01\x02")) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = info.header_offset
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    zip_path.write_bytes(bytes(data))
    assert_error(check(zip_path), "entry 'player/liar.bin': corrupt (Bad CRC-32")


def test_unusual_compression_is_not_decompressed(sandbox: Path):
    zip_path = package(sandbox / "bz.zip")
    with zipfile.ZipFile(zip_path, "a", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("player/data.bin", b"x" * 1000)
    assert_error(check(zip_path), "entry 'player/data.bin': uses compression method bzip2")


# -- hostile XML ----------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE manifest [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
""" + MANIFEST.split("\n", 1)[1].replace("<title>Widgets</title>", "<title>&lol9;</title>", 1)


def test_billion_laughs(sandbox: Path):
    zip_path = package(sandbox / "lol.zip", BILLION_LAUGHS)
    started = time.perf_counter()
    problems = check(zip_path)
    assert time.perf_counter() - started < 2
    assert messages(problems) == [f"{zip_path}/imsmanifest.xml: {ENTITY_MESSAGE}"]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE manifest SYSTEM "file:///etc/passwd">',
    ],
)
def test_external_entity(sandbox: Path, doctype: str):
    manifest = (
        MANIFEST.replace("?>\n", f"?>\n{doctype}\n", 1).replace(
            "<title>Widgets</title>", "<title>&xxe;</title>", 1
        )
        if "ENTITY" in doctype
        else MANIFEST.replace("?>\n", f"?>\n{doctype}\n", 1)
    )
    zip_path = package(sandbox / "xxe.zip", manifest)
    problems = check(zip_path)
    assert messages(problems) == [f"{zip_path}/imsmanifest.xml: {ENTITY_MESSAGE}"]
    assert "root:" not in "\n".join(map(str, problems))


def test_entities_in_a_utf16_manifest_are_refused_too(sandbox: Path):
    text = BILLION_LAUGHS.replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    zip_path = make_zip(sandbox / "u16.zip", {"imsmanifest.xml": text.encode("utf-16"), **CONTENT})
    assert messages(check(zip_path)) == [f"{zip_path}/imsmanifest.xml: {ENTITY_MESSAGE}"]


def test_not_well_formed_gives_line_and_column(sandbox: Path):
    manifest = MANIFEST.replace(
        "<title>Widgets</title>\n      <item", "<title>Widgets\n      <item"
    )
    zip_path = package(sandbox / "broken.zip", manifest)
    (message,) = messages(check(zip_path))
    assert message.startswith(f"{zip_path}/imsmanifest.xml:")
    line = int(message.split(":")[1])
    assert line >= line_of(manifest, "<title>Widgets")
    assert "not well-formed XML: Opening and ending tag mismatch" in message


# -- manifest rules -------------------------------------------------------------------------------


def manifest_problem(sandbox: Path, manifest: str, needle: str, expected: str) -> list[Problem]:
    """Validate; expect one error with this text on the line holding ``needle``."""
    zip_path = package(sandbox / "p.zip", manifest)
    problems = check(zip_path)
    assert_error(problems, f"{zip_path}/imsmanifest.xml:{line_of(manifest, needle)}:1: {expected}")
    return problems


def manifest_warning(sandbox: Path, manifest: str, needle: str, expected: str) -> list[str]:
    """Validate; expect no error, and a warning with this text on the line holding ``needle``."""
    zip_path = package(sandbox / "p.zip", manifest)
    found = warnings_of(check(zip_path))
    where = f"{zip_path}/imsmanifest.xml:{line_of(manifest, needle)}:1: warning: {expected}"
    assert any(w.startswith(where) for w in found), f"{where!r} not in {found}"
    return found


def test_dangling_identifierref(sandbox: Path):
    manifest = MANIFEST.replace('identifierref="res-widgets"', 'identifierref="res-gone"')
    manifest_problem(
        sandbox,
        manifest,
        "res-gone",
        "item 'item-widgets': identifierref 'res-gone' names no <resource>",
    )


def test_listed_file_missing_from_zip(sandbox: Path):
    zip_path = make_zip(
        sandbox / "p.zip", {"imsmanifest.xml": MANIFEST.encode(), "index.html": b"x"}
    )
    assert messages(check(zip_path)) == [
        f"{zip_path}/imsmanifest.xml:{line_of(MANIFEST, 'player/player.js')}:1: <file> href "
        "'player/player.js': file is listed but missing from the zip"
    ]


def test_file_differing_only_in_case(sandbox: Path):
    zip_path = make_zip(
        sandbox / "p.zip",
        {"imsmanifest.xml": MANIFEST.encode(), "index.html": b"x", "Player/Player.js": b"x"},
    )
    assert_error(check(zip_path), "'Player/Player.js' differs only in letter case")


def test_href_escaping_the_package(sandbox: Path):
    manifest = MANIFEST.replace('<file href="player/player.js"/>', '<file href="../secret.js"/>')
    manifest_problem(
        sandbox, manifest, "../secret.js", "<file> href '../secret.js' points outside the package"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85 ", "adlcp:masteryscore '85 ' has whitespace around it"),
        ("150", "adlcp:masteryscore '150' must be an integer from 0 to 100"),
        ("abc", "adlcp:masteryscore 'abc' must be an integer from 0 to 100"),
        ("80.5", "adlcp:masteryscore '80.5' must be an integer from 0 to 100"),
    ],
)
def test_bad_masteryscore_is_a_warning(sandbox: Path, value: str, expected: str):
    # Was an error before issue 16: Moodle imports and launches the package; the pass/fail
    # comparison is what breaks, and the message says so.
    manifest = MANIFEST.replace(">80<", f">{value}<")
    manifest_warning(sandbox, manifest, "masteryscore", expected)


@pytest.mark.parametrize("value", ["0", "100", "80"])
def test_masteryscore_edges_are_fine(sandbox: Path, value: str):
    assert check(package(sandbox / "p.zip", MANIFEST.replace(">80<", f">{value}<"))) == []


def test_adlcp_bound_to_another_prefix(sandbox: Path):
    manifest = MANIFEST.replace("xmlns:adlcp=", "xmlns:adl=").replace("adlcp:", "adl:")
    problems = manifest_problem(
        sandbox,
        manifest,
        "xmlns:adl=",
        "the ADL namespace is bound to prefix 'adl'; it must use the literal prefix 'adlcp'",
    )
    assert "Moodle is not namespace-aware" in messages(problems)[0]


def test_prefixed_imscp_elements(sandbox: Path):
    manifest = (
        MANIFEST.replace(
            'xmlns="http://www.imsproject.org', 'xmlns:imscp="http://www.imsproject.org'
        )
        .replace("<manifest ", "<imscp:manifest ")
        .replace("</manifest>", "</imscp:manifest>")
        .replace("<metadata>", "<imscp:metadata>")
        .replace("</metadata>", "</imscp:metadata>")
        .replace("<schema>", "<imscp:schema>")
        .replace("</schema>", "</imscp:schema>")
        .replace("<schemaversion>", "<imscp:schemaversion>")
        .replace("</schemaversion>", "</imscp:schemaversion>")
        .replace("<organizations ", "<imscp:organizations ")
        .replace("</organizations>", "</imscp:organizations>")
        .replace("<organization ", "<imscp:organization ")
        .replace("</organization>", "</imscp:organization>")
        .replace("<title>", "<imscp:title>")
        .replace("</title>", "</imscp:title>")
        .replace("<item ", "<imscp:item ")
        .replace("</item>", "</imscp:item>")
        .replace("<resources>", "<imscp:resources>")
        .replace("</resources>", "</imscp:resources>")
        .replace("<resource ", "<imscp:resource ")
        .replace("</resource>", "</imscp:resource>")
        .replace("<file ", "<imscp:file ")
    )
    manifest_problem(
        sandbox,
        manifest,
        "<imscp:manifest",
        "<imscp:manifest>: IMS CP elements must be unprefixed (default namespace)",
    )


def test_uppercase_sco(sandbox: Path):
    # The spelling is a warning; the error is its effect: the LMS sees no SCO to launch.
    manifest = MANIFEST.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="SCO"')
    problems = manifest_problem(
        sandbox, manifest, "<organization ", "no launchable SCO: the items of organization"
    )
    assert any(
        "resource 'res-widgets': adlcp:scormtype must be 'sco' or 'asset' in lower case "
        "(found 'SCO': the value is case-sensitive, no spaces)" in w
        for w in messages(problems, "warning")
    )


def test_scormtype_outside_the_adl_namespace(sandbox: Path):
    manifest = MANIFEST.replace('adlcp:scormtype="sco"', 'scormType="sco"')
    problems = manifest_problem(
        sandbox, manifest, "<organization ", "no launchable SCO: the items of organization"
    )
    assert any(
        "resource 'res-widgets': attribute 'scormType' must be adlcp:scormtype" in w
        for w in messages(problems, "warning")
    )


def test_schemaversion_1_3(sandbox: Path):
    manifest = MANIFEST.replace("<schemaversion>1.2<", "<schemaversion>1.3<")
    manifest_problem(
        sandbox,
        manifest,
        "<schemaversion>",
        "<schemaversion> is '1.3', which declares SCORM 2004, but the manifest uses the "
        "SCORM 1.2 namespaces: Moodle then runs it with the SCORM 2004 API",
    )


def test_schema_other_than_adl_scorm_is_a_warning(sandbox: Path):
    manifest = MANIFEST.replace("<schema>ADL SCORM<", "<schema>IMS Content<")
    manifest_warning(
        sandbox, manifest, "<schema>", "<schema> is 'IMS Content', expected 'ADL SCORM'"
    )


def test_a_1_2_manifest_in_the_2004_namespace_gets_the_2004_rules(sandbox: Path):
    # Named SCORM 2004 since issue 16 (never judged by the 1.2 rules); since issue 12 the 2004
    # rules apply: schemaversion 1.2 with 2004 namespaces, and 1.2's adlcp:scormtype is no
    # 2004 SCO.
    manifest = MANIFEST.replace(
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.imsglobal.org/xsd/imscp_v1p1"
    )
    problems = check(package(sandbox / "p.zip", manifest))
    errors = messages(problems)
    assert len(errors) == 2, errors
    assert "<schemaversion> is '1.2', but the manifest uses the SCORM 2004 namespaces" in errors[0]
    assert "no launchable SCO" in errors[1]
    assert any("'scormtype' is SCORM 1.2's spelling" in w for w in messages(problems, "warning"))


def test_default_names_no_organization(sandbox: Path):
    # A warning since issue 16: LMSs fall back to the first organization.
    manifest = MANIFEST.replace('default="org-widgets"', 'default="org-other"')
    manifest_warning(
        sandbox,
        manifest,
        "<organizations",
        "organizations default 'org-other' names no <organization>",
    )


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        ("1-widgets", "<resource> identifier '1-widgets' is not a valid xs:ID"),
        ("res widgets", "<resource> identifier 'res widgets' is not a valid xs:ID"),
    ],
)
def test_xsd_invalid_identifiers_are_warnings(sandbox: Path, ident: str, expected: str):
    # Errors before issue 16: Moodle stores identifiers as plain strings and imports them.
    manifest = MANIFEST.replace('"res-widgets"', f'"{ident}"')
    found = manifest_warning(sandbox, manifest, 'type="webcontent"', expected)
    assert "Moodle imports it" in found[0]
    assert validate_manifest_xsd(manifest.encode()) != []  # the XSD does reject it


def test_a_valid_xs_id_outside_our_own_convention_is_fine(sandbox: Path):
    # '_widgets' was an error ("outside the portable set") before issue 16: it is a valid xs:ID.
    manifest = MANIFEST.replace('"res-widgets"', '"_widgets"')
    assert validate_manifest_xsd(manifest.encode()) == []
    assert check(package(sandbox / "p.zip", manifest)) == []


def test_duplicate_identifiers_across_element_types(sandbox: Path):
    manifest = MANIFEST.replace('identifier="item-widgets"', 'identifier="org-widgets"')
    found = manifest_warning(
        sandbox, manifest, "<item ",
        "identifier 'org-widgets' of this <item> is also the identifier of the <organization> "
        f"on line {line_of(MANIFEST, '<organization ')}",
    )
    assert len(found) == 1


def test_sco_without_href(sandbox: Path):
    manifest = MANIFEST.replace(' href="index.html">', ">")
    manifest_problem(
        sandbox,
        manifest,
        "<resource ",
        "resource 'res-widgets' is a SCO but has no href (launch file)",
    )


# -- warnings: the package is valid but will cause trouble --------------------------------------


def test_periods_in_identifiers_are_a_warning(sandbox: Path):
    manifest = MANIFEST.replace('"res-widgets"', '"res.widgets"')
    zip_path = package(sandbox / "p.zip", manifest)
    (warning,) = warnings_of(check(zip_path))
    assert "identifier 'res.widgets' contains periods, which some LMSs hang on" in warning


def test_unlisted_files_warn_and_empty_folders_are_harmless(sandbox: Path):
    # Before issue 16 the empty folder got a warning claiming Moodle rejects it; it does not
    # (Moodle only looks for imsmanifest.xml at the root, and Captivate ships empty folders).
    zip_path = package(sandbox / "p.zip", **{"notes.txt": b"x", "old/": b""})
    assert warnings_of(check(zip_path)) == [
        f"{zip_path}: warning: file 'notes.txt' is not listed in the manifest "
        "(list every file under its <resource>; some LMSs and content repositories drop "
        "unlisted files)",
    ]


def test_xsds_at_the_root_need_not_be_listed(sandbox: Path):
    zip_path = package(sandbox / "p.zip", **{"imscp_rootv1p1p2.xsd": b"<x/>"})
    assert check(zip_path) == []


def test_unlisted_file_warnings_are_capped(sandbox: Path):
    zip_path = package(sandbox / "p.zip", **{f"junk/{i:02}.txt": b"x" for i in range(25)})
    found = warnings_of(check(zip_path))
    assert len(found) == 21
    assert found[-1] == f"{zip_path}: warning: ... and 5 more files not listed in the manifest"


def test_long_description(sandbox: Path):
    manifest = MANIFEST.replace("A short course about widgets.", "w" * 1001)
    found = warnings_of(check(package(sandbox / "p.zip", manifest)))
    assert any("description is 1001 characters; over 1,000 has broken" in w for w in found)


def test_more_than_one_sco(sandbox: Path):
    manifest = MANIFEST.replace(
        "      </item>\n",
        '      </item>\n      <item identifier="item-2" identifierref="res-2">'
        "<title>Two</title></item>\n",
        1,
    ).replace(
        "  </resources>",
        '    <resource identifier="res-2" type="webcontent" adlcp:scormtype="sco" '
        'href="index.html"/>\n  </resources>',
    )
    found = warnings_of(check(package(sandbox / "p.zip", manifest)))
    assert any("2 SCOs in one package; multi-SCO packages misbehave in Moodle" in w for w in found)


def test_the_sco_should_be_the_first_item(sandbox: Path):
    manifest = MANIFEST.replace(
        '      <item identifier="item-widgets"',
        '      <item identifier="item-intro" identifierref="res-intro">'
        "<title>Intro</title></item>\n"
        '      <item identifier="item-widgets"',
    ).replace(
        "  </resources>",
        '    <resource identifier="res-intro" type="webcontent" adlcp:scormtype="asset" '
        'href="index.html"/>\n  </resources>',
    )
    found = warnings_of(check(package(sandbox / "p.zip", manifest)))
    assert any(
        "the first item of the default organization ('item-intro') is not the SCO" in w
        for w in found
    )


# -- the XSD check itself -------------------------------------------------------------------------


def test_xsd_rejects_an_invalid_element():
    # Proves the XSD check can fail: an element IMS CP does not define, where it is not allowed.
    bad = MANIFEST.replace("<organizations ", "<widgets/>\n  <organizations ")
    errors = validate_manifest_xsd(bad.encode())
    assert errors, "the XSD check accepted an invalid manifest"
    assert f"line {line_of(bad, '<widgets/>')}" in errors[0]
    assert "widgets': This element is not expected" in errors[0]


def test_xsd_rejects_uppercase_sco():
    bad = MANIFEST.replace('scormtype="sco"', 'scormtype="SCO"')
    (error,) = validate_manifest_xsd(bad.encode())
    assert "The value 'SCO' is not an element of the set" in error


# -- error classes added by issue 16 --------------------------------------------------------------


def test_no_launchable_sco_is_an_error(sandbox: Path):
    manifest = MANIFEST.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"')
    problems = manifest_problem(
        sandbox, manifest, "<organization ",
        "no launchable SCO: the items of organization 'org-widgets' open only assets",
    )
    assert len(messages(problems)) == 1


def test_an_organization_without_items_has_nothing_to_launch(sandbox: Path):
    manifest = re.sub(r"\s*<item .*?</item>", "", MANIFEST, flags=re.DOTALL)
    manifest_problem(
        sandbox, manifest, "<organization ",
        "organization 'org-widgets' has no item that refers to a resource with an href: the "
        "LMS has nothing to launch",
    )
