"""Zip hazards, checked the same way for every standard's package (SCORM 1.2, 2004, cmi5, xAPI).

``scan_zip(path, limits, keep)`` reads a zip the way a careful LMS should, without extracting
anything, and returns what it holds plus every safety problem:

* the end-of-central-directory record is chosen exactly as Python's ``zipfile`` chooses it, and
  a zip whose comment hides a second record (so that tools disagree on what the zip holds) is
  refused; the declared entry count and directory size are checked against the limits and the
  file size *before* the central directory is read, and the directory is then walked here,
  bounded, so ``zipfile`` never builds millions of entries;
* entry names are read raw, so a NUL byte (which ``zipfile`` silently cuts at) is seen;
* traversal, absolute paths, backslashes, symlinks, duplicates, encryption and exotic methods
  are reported, never followed;
* every member is decompressed into a counter with caps on the real bytes (headers can lie),
  and only the members named in ``keep`` (the manifest) are kept in memory.

Nothing here knows any e-learning standard: it only says whether the zip is safe to open.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from scormbuild.problems import Problem


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile zip from exhausting memory, disk or time.

    The defaults are far above any real course (a large package is a few hundred MB and a few
    thousand files) and far below what would hurt the machine running the validator.
    """

    max_entries: int = 20_000
    max_central_directory_bytes: int = 16 * 1024 * 1024
    max_entry_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    # Text and HTML compress 5-20x; 100x on a member bigger than ratio_floor is a bomb signature.
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024
    max_manifest_bytes: int = 16 * 1024 * 1024
    # Listing every unlisted file of a sloppy package would drown the real problems.
    max_listed_warnings: int = 20


DEFAULT_LIMITS = Limits()

_CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"
_ZIP64_EOCD_SIZE = 56
_CENTRAL = b"PK\x01\x02"
_CENTRAL_SIZE = 46
_DRIVE = re.compile(r"[A-Za-z]:")

_METHOD_NAMES = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}


def quote(name: str) -> str:
    """An entry name for a message: repr() escapes control characters and quotes, so a hostile
    name cannot rewrite the admin's terminal or fake extra output lines."""
    return repr(name)


@dataclass
class ZipScan:
    """What a zip holds, by entry name (as stored, never normalised into a path)."""

    problems: list[Problem] = field(default_factory=list)
    opened: bool = False  # False: not a zip, or refused before its entries could be listed
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    # Members that failed a safety check or the read: never trust or report them as "present".
    unreadable: set[str] = field(default_factory=set)
    kept: dict[str, bytes] = field(default_factory=dict)


class _Stop(Exception):
    """The zip cannot be examined further."""


@dataclass(frozen=True)
class _EndRecord:
    at: int  # file offset of the (classic) end record
    entries: int
    cd_size: int
    cd_start: int  # where zipfile will read the central directory


def scan_zip(path: Path, limits: Limits = DEFAULT_LIMITS,
             keep: Collection[str] = ()) -> ZipScan:
    """Check the zip at ``path``; keep the bytes of the members named in ``keep``."""
    return _Scanner(Path(path), limits, frozenset(keep)).run()


class _Scanner:
    def __init__(self, path: Path, limits: Limits, keep: frozenset[str]):
        self.path = path
        self.where = str(path)
        self.limits = limits
        self.keep = keep
        self.scan = ZipScan()

    def error(self, message: str) -> None:
        self.scan.problems.append(Problem(self.where, 0, 0, message))

    def warning(self, message: str) -> None:
        self.scan.problems.append(Problem(self.where, 0, 0, message, "warning"))

    def run(self) -> ZipScan:
        try:
            with self.path.open("rb") as fh:
                raw_names = self.check_directory(fh)
                try:
                    zf = zipfile.ZipFile(fh)
                except zipfile.BadZipFile as exc:
                    self.error(f"not a zip file, or a corrupt one ({exc})")
                    raise _Stop from exc
                except (OSError, ValueError, NotImplementedError, EOFError,
                        UnicodeDecodeError) as exc:
                    self.error(f"not a readable zip file ({exc})")
                    raise _Stop from exc
                with zf:
                    self.scan.opened = True
                    self.check_entries(zf.infolist(), raw_names)
                    self.read_members(zf)
        except FileNotFoundError:
            self.error("no such file")
        except IsADirectoryError:
            self.error("is a folder, not a zip file")
        except PermissionError:
            self.error("cannot read the file: permission denied")
        except _Stop:
            pass
        return self.scan

    # -- before zipfile reads anything ---------------------------------------------------------

    def end_record(self, fh: BinaryIO, size: int) -> _EndRecord:
        """The end record Python's zipfile will use, refused if another tool would pick another.

        zipfile takes the record in the last 22 bytes when it has no comment, else the LAST
        signature in the final 64 KiB, trusting that the comment never holds one. Careful unzip
        tools take the record whose comment length reaches the end of the file. A zip that
        hides a second record in its comment makes the two disagree: one tool sees a small
        course, another millions of entries. Both are computed and must agree.
        """
        tail_start = max(size - (1 << 16) - _EOCD_SIZE, 0)
        fh.seek(tail_start)
        tail = fh.read()
        at = -1
        if len(tail) >= _EOCD_SIZE and tail[-_EOCD_SIZE:-18] == _EOCD and tail[-2:] == b"\0\0":
            at = len(tail) - _EOCD_SIZE  # zipfile's first try: no comment at all
        else:
            at = tail.rfind(_EOCD)
            if at >= 0 and len(tail) - at < _EOCD_SIZE:
                at = -1  # a truncated record: zipfile gives up too
        if at < 0:
            self.error("not a zip file (no end-of-central-directory record)")
            raise _Stop
        strict = tail.rfind(_EOCD)
        while strict >= 0:
            if len(tail) - strict >= _EOCD_SIZE:
                (comment_len,) = struct.unpack("<H", tail[strict + 20 : strict + 22])
                if strict + _EOCD_SIZE + comment_len == len(tail):
                    break
            strict = tail.rfind(_EOCD, 0, strict)
        if strict != at:
            self.error(
                "the zip comment hides a second end-of-central-directory record: unzip tools "
                "disagree on what this zip holds (a disguised or damaged zip); refused"
            )
            raise _Stop
        # sig, disk, disk with the directory, entries here, entries, size, offset, comment
        _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4HIIH", tail[at : at + _EOCD_SIZE])
        record_at = tail_start + at
        cd_end = record_at
        locator_at = record_at - _ZIP64_LOCATOR_SIZE
        if locator_at >= 0:
            fh.seek(locator_at)
            locator = fh.read(_ZIP64_LOCATOR_SIZE)
            if locator[:4] == _ZIP64_LOCATOR:
                _, diskno, _, disks = struct.unpack("<4sIQI", locator)
                if diskno != 0 or disks > 1:
                    self.error("a multi-disk (split) zip: join the parts into one zip first")
                    raise _Stop
                # zipfile assumes no zip64 extensible data: the record sits right before.
                rec_at = locator_at - _ZIP64_EOCD_SIZE
                if rec_at >= 0:
                    fh.seek(rec_at)
                    rec = fh.read(_ZIP64_EOCD_SIZE)
                    if rec[:4] == _ZIP64_EOCD:
                        entries, cd_size = struct.unpack("<QQ", rec[32:48])
                        cd_end = rec_at
        # zipfile reads the directory right before the end record(s), whatever offset is
        # stored (it allows for data prepended to the zip), so the same place is used here.
        return _EndRecord(record_at, entries, cd_size, cd_end - cd_size)

    def check_directory(self, fh: BinaryIO) -> list[bytes]:
        """Bound the central directory, then walk it ourselves; return the raw entry names.

        Everything is checked against the limits and the file size before a byte of the
        directory is read, and the walk stops at the entry limit, so neither time nor memory
        depends on what the headers claim.
        """
        fh.seek(0, 2)
        size = fh.tell()
        end = self.end_record(fh, size)
        limits = self.limits
        if end.entries > limits.max_entries:
            self.error(
                f"too many entries ({end.entries}; at most {limits.max_entries} are accepted): "
                "possible zip bomb"
            )
            raise _Stop
        if end.cd_size > limits.max_central_directory_bytes:
            self.error(f"central directory too large ({end.cd_size} bytes): possible zip bomb")
            raise _Stop
        if end.cd_start < 0 or end.cd_size > size:
            self.error(
                f"not a zip file, or a corrupt one (the central directory of {end.cd_size} "
                f"bytes does not fit in the {size}-byte file)"
            )
            raise _Stop
        if end.cd_size < end.entries * _CENTRAL_SIZE:
            self.error(
                f"not a zip file, or a corrupt one ({end.entries} entries cannot fit in a "
                f"{end.cd_size}-byte central directory)"
            )
            raise _Stop
        fh.seek(end.cd_start)
        directory = fh.read(end.cd_size)
        names: list[bytes] = []
        at = 0
        while at < len(directory):
            header = directory[at : at + _CENTRAL_SIZE]
            if len(header) < _CENTRAL_SIZE or header[:4] != _CENTRAL:
                return names  # zipfile reports the damage in its own words
            name_len, extra_len, comment_len = struct.unpack("<HHH", header[28:34])
            names.append(directory[at + _CENTRAL_SIZE : at + _CENTRAL_SIZE + name_len])
            at += _CENTRAL_SIZE + name_len + extra_len + comment_len
            if len(names) > limits.max_entries:
                self.error(
                    f"too many entries (over {limits.max_entries} in the central directory, "
                    f"{end.entries} declared): possible zip bomb"
                )
                raise _Stop
        if len(names) != end.entries:
            self.error(
                f"the end record declares {end.entries} entries but the central directory "
                f"holds {len(names)}: a damaged zip (unzip tools disagree on its contents)"
            )
        return names

    # -- entries -------------------------------------------------------------------------------

    def check_entries(self, infos: list[zipfile.ZipInfo], raw_names: list[bytes]) -> None:
        """Names, types and declared sizes; nothing is decompressed yet."""
        scan = self.scan
        seen: set[str] = set()
        folded: dict[str, str] = {}
        declared_total = 0
        for index, info in enumerate(infos):
            name = info.filename
            raw = raw_names[index] if index < len(raw_names) else b""
            problems = name_problems(name)
            if b"\0" in raw:
                # zipfile cuts the name at the NUL; other unzip tools keep the rest or fail.
                shown = raw.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
                problems.append(
                    f"contains a NUL byte (the full name is {quote(shown)}); unzip tools "
                    "disagree on where such a name ends"
                )
            for message in problems:
                self.error(f"entry {quote(name)}: {message}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                # Unzip tools recreate these as symlinks; a link to /etc or ../.. lets later
                # entries write anywhere. An LMS package never needs one.
                self.error(f"entry {quote(name)}: is a symbolic link (not allowed in a package)")
                problems.append("symlink")
            if name in seen:
                self.error(
                    f"entry {quote(name)}: duplicate name (unzip tools disagree on which one wins)"
                )
                problems.append("duplicate")
            seen.add(name)
            lowered = name.lower()
            if lowered in folded and folded[lowered] != name:
                self.warning(
                    f"entries {quote(folded[lowered])} and {quote(name)} differ only in letter "
                    "case: they collide on Windows and macOS servers"
                )
            folded.setdefault(lowered, name)
            if info.flag_bits & 0x1:
                self.error(f"entry {quote(name)}: is encrypted (an LMS cannot open it)")
                problems.append("encrypted")
            if not name.endswith("/") and info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                method = _METHOD_NAMES.get(info.compress_type, str(info.compress_type))
                # Only stored and deflate are read here: other decompressors in the standard
                # library cannot cap their output per call, and many LMS unzippers lack them.
                self.error(
                    f"entry {quote(name)}: uses compression method {method}; "
                    "use deflate (or stored), which every LMS can read"
                )
                problems.append("method")
            if info.file_size > self.limits.max_entry_bytes:
                self.error(
                    f"entry {quote(name)}: declares {info.file_size} bytes uncompressed, over "
                    f"the {self.limits.max_entry_bytes}-byte limit: possible zip bomb"
                )
                problems.append("size")
            declared_total += info.file_size
            if problems:
                scan.unreadable.add(name)
            elif name.endswith("/"):
                scan.dirs.add(name.rstrip("/"))
            else:
                scan.files[name] = info
        if declared_total > self.limits.max_total_bytes:
            self.error(
                f"declares {declared_total} bytes uncompressed in total, over the "
                f"{self.limits.max_total_bytes}-byte limit: possible zip bomb"
            )
            raise _Stop

    def read_members(self, zf: zipfile.ZipFile) -> None:
        """Decompress every regular member into nothing but a counter (``keep`` is kept).

        Reading everything is the only way to enforce size caps on real bytes (headers can lie)
        and to catch corrupt members (bad CRC) that would break the LMS's own unzip.
        """
        scan = self.scan
        limits = self.limits
        total = 0
        for name, info in sorted(scan.files.items()):
            keep = name in self.keep
            cap = limits.max_manifest_bytes if keep else limits.max_entry_bytes
            chunks: list[bytes] = []
            got = 0
            try:
                with zf.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        got += len(chunk)
                        total += len(chunk)
                        if keep:
                            chunks.append(chunk)
                        if got > cap:
                            what = "manifest" if keep else "entry"
                            self.error(
                                f"entry {quote(name)}: {what} is over the {cap}-byte limit "
                                "when decompressed: possible zip bomb"
                            )
                            scan.unreadable.add(name)
                            break
                        if got > limits.ratio_floor and got > limits.max_ratio * max(
                            info.compress_size, 1
                        ):
                            self.error(
                                f"entry {quote(name)}: compression ratio over "
                                f"{limits.max_ratio}:1 ({info.compress_size} bytes expand "
                                f"to more than {got}): zip bomb"
                            )
                            scan.unreadable.add(name)
                            break
                        if total > limits.max_total_bytes:
                            self.error(
                                f"more than {limits.max_total_bytes} bytes uncompressed in "
                                "total: possible zip bomb"
                            )
                            scan.unreadable.add(name)
                            raise _Stop
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError,
                    EOFError) as exc:
                self.error(f"entry {quote(name)}: corrupt ({exc})")
                scan.unreadable.add(name)
                continue
            except NotImplementedError as exc:
                self.error(f"entry {quote(name)}: cannot be read ({exc})")
                scan.unreadable.add(name)
                continue
            if keep and name not in scan.unreadable:
                scan.kept[name] = b"".join(chunks)
        for name in scan.unreadable:
            scan.files.pop(name, None)


def name_problems(name: str) -> list[str]:
    """What makes an entry name unsafe to unzip anywhere (empty list: safe)."""
    problems: list[str] = []
    if not name:
        return ["empty name"]
    if "\\" in name:
        # Windows unzippers (and some PHP ones) treat a backslash as a folder separator, so
        # 'a\..\..\x' is a traversal there even though it is one odd name here.
        problems.append("contains a backslash; zip paths must use forward slashes")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        problems.append("is an absolute path; package paths must be relative")
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        problems.append("has a '..' component, which escapes the package folder")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        problems.append("contains control characters")
    return problems
