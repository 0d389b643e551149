"""Issue 9, `scormbuild validate`: time and memory are bounded before the central directory is
read, the end record is the one Python's zipfile uses, NUL bytes in names are seen, the
missing-reference check is linear, and UTF-16 manifests, remote SCOs and zips in zips are named.
"""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

from scormbuild.validate import validate
from tests.validate.helpers import (
    CONTENT,
    MANIFEST,
    assert_error,
    check,
    make_zip,
    messages,
    package,
    warnings_of,
)

HIDDEN = "the zip comment hides a second end-of-central-directory record"


def _central_entry(name: bytes, comment_len: int = 0) -> bytes:
    return struct.pack(
        zipfile.structCentralDir, zipfile.stringCentralDir, 20, 3, 20, 0, 0, 0, 0, 0, 0, 0,
        0, len(name), 0, comment_len, 0, 0, 0, 0,
    ) + name


def hidden_end_record_zip(path: Path, fake_entries: int) -> int:
    """A real 3-file package whose zip comment hides a second end record.

    The second record points at ``fake_entries`` central-directory entries stored as the data
    of a member; the last of them has an entry comment that swallows the real directory and
    end record, so zipfile (which takes the LAST signature it finds) reads every fake entry.
    Returns the offset of the hidden record.
    """
    blob = _central_entry(b"x") * (fake_entries - 1) + _central_entry(b"y")
    comment_len = 22 + 4
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", MANIFEST)
        for name, data in CONTENT.items():
            zf.writestr(name, data)
        zf.writestr(zipfile.ZipInfo("player/data.bin"), blob, zipfile.ZIP_STORED)
        zf.comment = bytes(comment_len)
    data = bytearray(path.read_bytes())
    real_end = len(data) - 22 - comment_len
    hidden_at = real_end + 22
    blob_at = data.find(blob)
    last = blob_at + len(blob) - len(_central_entry(b"y"))
    # The last fake entry's comment runs up to the hidden record.
    data[last + 32 : last + 34] = struct.pack("<H", hidden_at - (blob_at + len(blob)))
    size_cd = hidden_at - blob_at
    count = min(fake_entries, 0xFFFF)
    hidden = struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, count, count,
                         size_cd, blob_at, 0)
    # Four bytes follow the hidden record although it declares no comment: only the real
    # record's comment length reaches the end of the file.
    data[hidden_at:] = hidden + b"PAD!"
    path.write_bytes(bytes(data))
    return hidden_at


def test_python_zipfile_reads_the_hidden_record_and_validate_refuses_it_fast(sandbox: Path):
    zip_path = sandbox / "hidden.zip"
    hidden_at = hidden_end_record_zip(zip_path, 100_000)
    # The premise: zipfile itself uses the hidden record and lists every fake entry.
    with zip_path.open("rb") as fh:
        assert zipfile._EndRecData(fh)[zipfile._ECD_LOCATION] == hidden_at
    with zipfile.ZipFile(zip_path) as zf:
        assert len(zf.infolist()) == 100_000
    started = time.perf_counter()
    problems = check(zip_path)
    elapsed = time.perf_counter() - started
    assert messages(problems) == [f"{zip_path}: {HIDDEN}: unzip tools disagree on what this "
                                  "zip holds (a disguised or damaged zip); refused"]
    assert elapsed < 0.5, elapsed


def test_a_zip_comment_without_a_second_record_is_fine(sandbox: Path):
    zip_path = package(sandbox / "comment.zip")
    with zipfile.ZipFile(zip_path, "a") as zf:
        zf.comment = b"made by a tool that writes a comment"
    assert check(zip_path) == []


def test_a_declared_count_that_cannot_fit_is_refused_before_reading(sandbox: Path):
    zip_path = package(sandbox / "count.zip")
    data = bytearray(zip_path.read_bytes())
    end = len(data) - 22
    # 1000 entries declared in a directory of a few hundred bytes.
    data[end + 8 : end + 12] = struct.pack("<HH", 1000, 1000)
    zip_path.write_bytes(bytes(data))
    (message,) = messages(check(zip_path))
    assert "1000 entries cannot fit in a" in message


def test_a_count_that_disagrees_with_the_directory_is_an_error(sandbox: Path):
    zip_path = package(sandbox / "count.zip")
    data = bytearray(zip_path.read_bytes())
    end = len(data) - 22
    data[end + 8 : end + 12] = struct.pack("<HH", 2, 2)
    zip_path.write_bytes(bytes(data))
    assert_error(check(zip_path), "the end record declares 2 entries but the central directory "
                 "holds 3")


def test_a_nul_byte_in_a_name_is_seen_in_the_raw_name(sandbox: Path):
    # zipfile cuts names at NUL, so 'index.html\0.exe' reads as a second 'index.html'.
    zip_path = package(sandbox / "nul.zip", **{"index.htmlZ.exe": b"MZ"})
    data = zip_path.read_bytes().replace(b"index.htmlZ.exe", b"index.html\0.exe")
    zip_path.write_bytes(data)
    with zipfile.ZipFile(zip_path) as zf:
        assert zf.namelist().count("index.html") == 2  # what a name-based check would see
    assert_error(
        check(zip_path),
        "entry 'index.html': contains a NUL byte (the full name is 'index.html\\x00.exe')",
    )


def test_a_utf16_manifest_is_a_warning(sandbox: Path):
    text = MANIFEST.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    zip_path = make_zip(sandbox / "u16.zip", {"imsmanifest.xml": text.encode("utf-16"), **CONTENT})
    (warning,) = warnings_of(check(zip_path))
    assert "the file is encoded as UTF-16; LMS manifest parsers expect UTF-8" in warning


def test_a_sco_with_a_remote_href_is_a_warning(sandbox: Path):
    manifest = MANIFEST.replace('href="index.html">', 'href="https://example.invalid/x.html">')
    zip_path = package(sandbox / "remote.zip", manifest)
    found = warnings_of(check(zip_path))
    assert any("is a SCO with a remote href 'https://example.invalid/x.html'" in w for w in found)


def test_a_zip_holding_only_a_zip_gets_a_hint(sandbox: Path):
    inner = package(sandbox / "inner.zip")
    outer = make_zip(sandbox / "outer.zip", {"course-scorm12.zip": inner.read_bytes(),
                                             "__MACOSX/._course-scorm12.zip": b"x"})
    (message,) = messages(check(outer))
    assert message.endswith(
        "it holds only 'course-scorm12.zip': did you upload the outer archive? "
        "Validate the zip inside it"
    )


def _missing_refs_package(path: Path, files: int) -> Path:
    """``files`` files in the zip, and as many listed files that are missing."""
    listed = "".join(f'<file href="a/{i}.html"/><file href="gone/{i}.html"/>'
                     for i in range(files))
    manifest = MANIFEST.replace('<file href="index.html"/>', f'<file href="index.html"/>{listed}')
    entries = {"imsmanifest.xml": manifest.encode(), **CONTENT}
    entries.update({f"a/{i}.html": b"" for i in range(files)})
    return make_zip(path, entries)


def test_the_missing_reference_check_is_linear(sandbox: Path):
    # Before: the case-folded index was rebuilt per missing reference (O(files x refs)); 8x the
    # files and missing refs then cost 64x. Ratios in one run, so machine speed cancels out.
    small = _missing_refs_package(sandbox / "small.zip", 1_000)
    large = _missing_refs_package(sandbox / "large.zip", 8_000)

    def best_of_three(path: Path) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = validate(path)
            times.append(time.perf_counter() - started)
        assert report.errors > 0
        return min(times)

    ratio = best_of_three(large) / best_of_three(small)
    print(f"missing-reference check: 8x the size takes {ratio:.1f}x the time")
    assert ratio < 20, ratio


def test_the_zip64_end_record_gives_the_real_count(sandbox: Path):
    # Over 65,535 entries zipfile writes a zip64 end record; the classic record then says
    # 0xFFFF. The count refused must be the real one, read before the directory is.
    zip_path = sandbox / "many.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(70_000):
            zf.writestr(f"{i}", b"")
    assert messages(check(zip_path)) == [
        f"{zip_path}: too many entries (70000; at most 20000 are accepted): possible zip bomb"
    ]
