"""Validate any SCORM 1.2 zip, from any tool, the way an LMS admin needs it checked.

``validate_package(zip_path)`` returns every problem found (errors and warnings); an empty list
means the package is valid. The package is treated as hostile input:

* nothing is ever extracted: members are streamed into memory with hard caps, so path
  traversal, absolute paths and symlinks can only be *reported*, never followed;
* sizes declared in zip headers are checked first (cheap rejection) and then enforced again on
  the bytes actually decompressed, because headers can lie;
* the manifest is parsed by a hardened lxml parser (no DTD loading, no entity resolution, no
  network, no huge trees), and a DOCTYPE that declares entities is refused before parsing.

Then the manifest is checked against the SCORM 1.2 rules that matter for real LMSs (see
``shared/reference/scorm12.md``), including the ones the official XSDs cannot express.
"""

from __future__ import annotations

import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from scormbuild.problems import Problem

IMSCP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# SCORM 2004 uses the later IMS CP namespace; recognising it lets us say *why* it is refused.
SCORM2004_CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"

MANIFEST = "imsmanifest.xml"

ENTITY_MESSAGE = (
    "the manifest declares a DOCTYPE with entities or an external DTD: "
    "entity expansion / external entities are not allowed"
)


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile zip from exhausting memory, disk or time.

    The defaults are far above any real course (a large SCORM package is a few hundred MB and a
    few thousand files) and far below what would hurt the machine running the validator.
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

# XML 1.0 NCName, which is what xs:ID requires (no colon, no leading digit, '.', or '-').
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")
_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_SAFE_ID_WITH_PERIODS = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_MASTERY = re.compile(r"[0-9]{1,3}")
_DRIVE = re.compile(r"[A-Za-z]:")

_METHOD_NAMES = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}


def validate_package(zip_path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Check a SCORM 1.2 zip; return its problems (errors and warnings), empty if valid."""
    try:
        return _Validator(Path(zip_path), limits).run()
    except (MemoryError, RecursionError) as exc:
        # A crafted package that still got past the caps: a clear refusal, not a traceback.
        name = type(exc).__name__
        return [Problem(str(zip_path), 0, 0, f"cannot be validated safely ({name})")]


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (warnings alone leave a package valid)."""
    return any(p.severity == "error" for p in problems)


class _Stop(Exception):
    """The package cannot be examined further (not a zip, unreadable manifest, ...)."""


def _q(name: str) -> str:
    # repr() escapes control characters and quotes, so a hostile entry name cannot rewrite the
    # admin's terminal or fake extra output lines.
    return repr(name)


@dataclass
class _Entries:
    """What the zip holds, by entry name (as stored, never normalised into a path)."""

    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    # Members that failed the safety read: never trust or report them as "present".
    unreadable: set[str] = field(default_factory=set)


class _Validator:
    def __init__(self, zip_path: Path, limits: Limits):
        self.zip_path = zip_path
        self.where = str(zip_path)
        self.manifest_where = f"{zip_path}/{MANIFEST}"
        self.manifest_lines: list[str] = []
        self.limits = limits
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------

    def zip_error(self, message: str) -> None:
        self.problems.append(Problem(self.where, 0, 0, message))

    def zip_warning(self, message: str) -> None:
        self.problems.append(Problem(self.where, 0, 0, message, "warning"))

    def error(self, el: etree._Element | None, message: str, attr: str | None = None) -> None:
        self.problems.append(Problem(self.manifest_where, self.line(el, attr), 0, message))

    def warning(self, el: etree._Element | None, message: str, attr: str | None = None) -> None:
        line = self.line(el, attr)
        self.problems.append(Problem(self.manifest_where, line, 0, message, "warning"))

    def line(self, el: etree._Element | None, attr: str | None = None) -> int:
        """The line where el's start tag begins (or where ``attr`` sits inside it).

        libxml2 records the line where a start tag *ends*; a manifest's root tag often spans
        several lines of namespace declarations, and the admin should land on the tag itself.
        """
        if el is None or not el.sourceline:
            return 0
        end = el.sourceline
        lines = self.manifest_lines
        if not lines or end > len(lines):
            return end
        local = etree.QName(el).localname
        tag = f"{el.prefix}:{local}" if el.prefix else local
        opener = re.compile(rf"<{re.escape(tag)}(?=[\s/>]|$)")
        start = end
        for number in range(end, max(end - 200, 0), -1):
            if opener.search(lines[number - 1]):
                start = number
                break
        if attr is not None:
            for number in range(start, end + 1):
                if attr in lines[number - 1]:
                    return number
        return start

    # -- driver ----------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        try:
            entries, manifest_bytes = self.check_zip()
            if manifest_bytes is not None:
                root = self.parse_manifest(manifest_bytes)
                _ManifestChecks(self, root, entries).run()
        except _Stop:
            pass
        zip_level = [p for p in self.problems if p.path == self.where]
        # Manifest problems in line order read like the file; sorted() is stable, so problems on
        # the same line keep the order in which the checks found them.
        in_manifest = sorted(
            (p for p in self.problems if p.path != self.where), key=lambda p: p.line
        )
        return zip_level + in_manifest

    # -- the zip -----------------------------------------------------------------------------

    def check_zip(self) -> tuple[_Entries, bytes | None]:
        try:
            with self.zip_path.open("rb") as fh:
                self.precheck_central_directory(fh)
                try:
                    zf = zipfile.ZipFile(fh)
                except zipfile.BadZipFile as exc:
                    self.zip_error(f"not a zip file, or a corrupt one ({exc})")
                    raise _Stop from exc
                except (OSError, ValueError, NotImplementedError, EOFError) as exc:
                    self.zip_error(f"not a readable zip file ({exc})")
                    raise _Stop from exc
                with zf:
                    entries = self.check_entries(zf.infolist())
                    manifest = self.read_members(zf, entries)
        except FileNotFoundError as exc:
            self.zip_error("no such file")
            raise _Stop from exc
        except IsADirectoryError as exc:
            self.zip_error("is a folder, not a zip file")
            raise _Stop from exc
        except PermissionError as exc:
            self.zip_error("cannot read the file: permission denied")
            raise _Stop from exc
        return entries, manifest

    def precheck_central_directory(self, fh: BinaryIO) -> None:
        """Refuse an absurd entry count before zipfile builds a ZipInfo for every entry.

        zipfile.ZipFile reads the whole central directory into memory at once; a crafted one
        with millions of entries would cost gigabytes before any per-entry check could run.
        """
        fh.seek(0, 2)
        size = fh.tell()
        tail_len = min(size, 65535 + 22)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        # The record is the last one whose comment length reaches exactly to the end of the
        # file; the signature bytes may also occur inside the zip comment itself.
        at = tail.rfind(b"PK\x05\x06")
        while at >= 0:
            if len(tail) - at >= 22:
                (comment_len,) = struct.unpack("<H", tail[at + 20 : at + 22])
                if at + 22 + comment_len == len(tail):
                    break
            at = tail.rfind(b"PK\x05\x06", 0, at)
        if at < 0:
            self.zip_error("not a zip file (no end-of-central-directory record)")
            raise _Stop
        _, _, _, entries, cd_size, _, _ = struct.unpack("<4HIIH", tail[at + 4 : at + 22])
        locator = at - 20
        zip64 = entries == 0xFFFF or cd_size == 0xFFFFFFFF
        if zip64 and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
            # Zip64: the real counts live in the zip64 end record the locator points to.
            (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
            if offset < size:
                fh.seek(offset)
                rec = fh.read(56)
                if len(rec) == 56 and rec[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack("<QQ", rec[32:48])
        if entries > self.limits.max_entries:
            self.zip_error(
                f"too many entries ({entries}; at most {self.limits.max_entries} are accepted): "
                "possible zip bomb"
            )
            raise _Stop
        if cd_size > self.limits.max_central_directory_bytes:
            self.zip_error(f"central directory too large ({cd_size} bytes): possible zip bomb")
            raise _Stop

    def check_entries(self, infos: list[zipfile.ZipInfo]) -> _Entries:
        """Names, types and declared sizes; nothing is read yet."""
        entries = _Entries()
        seen: set[str] = set()
        folded: dict[str, str] = {}
        if len(infos) > self.limits.max_entries:
            self.zip_error(f"too many entries ({len(infos)}): possible zip bomb")
            raise _Stop
        declared_total = 0
        for info in infos:
            name = info.filename
            problems = self.name_problems(name)
            for message in problems:
                self.zip_error(f"entry {_q(name)}: {message}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                # Unzip tools recreate these as symlinks; a link to /etc or ../.. lets later
                # entries write anywhere. An LMS package never needs one.
                self.zip_error(f"entry {_q(name)}: is a symbolic link (not allowed in a package)")
                problems.append("symlink")
            if name in seen:
                self.zip_error(
                    f"entry {_q(name)}: duplicate name (unzip tools disagree on which one wins)"
                )
                problems.append("duplicate")
            seen.add(name)
            lowered = name.lower()
            if lowered in folded and folded[lowered] != name:
                self.zip_warning(
                    f"entries {_q(folded[lowered])} and {_q(name)} differ only in letter case: "
                    "they collide on Windows and macOS servers"
                )
            folded.setdefault(lowered, name)
            if info.flag_bits & 0x1:
                self.zip_error(f"entry {_q(name)}: is encrypted (an LMS cannot open it)")
                problems.append("encrypted")
            if not name.endswith("/") and info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                method = _METHOD_NAMES.get(info.compress_type, str(info.compress_type))
                # Only stored and deflate are read here: other decompressors in the standard
                # library cannot cap their output per call, and many LMS unzippers lack them.
                self.zip_error(
                    f"entry {_q(name)}: uses compression method {method}; "
                    "use deflate (or stored), which every LMS can read"
                )
                problems.append("method")
            if info.file_size > self.limits.max_entry_bytes:
                self.zip_error(
                    f"entry {_q(name)}: declares {info.file_size} bytes uncompressed, over the "
                    f"{self.limits.max_entry_bytes}-byte limit: possible zip bomb"
                )
                problems.append("size")
            declared_total += info.file_size
            if problems:
                entries.unreadable.add(name)
                continue
            if name.endswith("/"):
                entries.dirs.add(name.rstrip("/"))
            else:
                entries.files[name] = info
        if declared_total > self.limits.max_total_bytes:
            self.zip_error(
                f"declares {declared_total} bytes uncompressed in total, over the "
                f"{self.limits.max_total_bytes}-byte limit: possible zip bomb"
            )
            raise _Stop
        return entries

    @staticmethod
    def name_problems(name: str) -> list[str]:
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
        if "\x00" in name or any(ord(c) < 0x20 for c in name):
            problems.append("contains control characters")
        return problems

    def read_members(self, zf: zipfile.ZipFile, entries: _Entries) -> bytes | None:
        """Decompress every regular member into nothing but a counter (the manifest is kept).

        Reading everything is the only way to enforce size caps on real bytes (headers can lie)
        and to catch corrupt members (bad CRC) that would break the LMS's own unzip.
        """
        total = 0
        manifest: bytes | None = None
        for name, info in sorted(entries.files.items()):
            keep = name == MANIFEST
            cap = self.limits.max_manifest_bytes if keep else self.limits.max_entry_bytes
            chunks: list[bytes] = []
            got = 0
            try:
                with zf.open(info) as member:
                    while True:
                        chunk = member.read(_CHUNK)
                        if not chunk:
                            break
                        got += len(chunk)
                        total += len(chunk)
                        if keep:
                            chunks.append(chunk)
                        if got > cap:
                            what = "manifest" if keep else "entry"
                            self.zip_error(
                                f"entry {_q(name)}: {what} is over the {cap}-byte limit "
                                "when decompressed: possible zip bomb"
                            )
                            entries.unreadable.add(name)
                            break
                        if got > self.limits.ratio_floor and got > self.limits.max_ratio * max(
                            info.compress_size, 1
                        ):
                            self.zip_error(
                                f"entry {_q(name)}: compression ratio over "
                                f"{self.limits.max_ratio}:1 ({info.compress_size} bytes expand "
                                f"to more than {got}): zip bomb"
                            )
                            entries.unreadable.add(name)
                            break
                        if total > self.limits.max_total_bytes:
                            self.zip_error(
                                f"more than {self.limits.max_total_bytes} bytes uncompressed in "
                                "total: possible zip bomb"
                            )
                            entries.unreadable.add(name)
                            raise _Stop
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
                self.zip_error(f"entry {_q(name)}: corrupt ({exc})")
                entries.unreadable.add(name)
                continue
            except NotImplementedError as exc:
                self.zip_error(f"entry {_q(name)}: cannot be read ({exc})")
                entries.unreadable.add(name)
                continue
            if keep and name not in entries.unreadable:
                manifest = b"".join(chunks)
        for name in entries.unreadable:
            entries.files.pop(name, None)
        if manifest is None and MANIFEST not in entries.unreadable:
            self.report_missing_manifest(entries)
        return manifest

    def report_missing_manifest(self, entries: _Entries) -> None:
        names = list(entries.files)
        nested = sorted(
            (n for n in names if n.lower().endswith("/" + MANIFEST)),
            key=lambda n: (n.count("/"), n),
        )
        at_root_other_case = [n for n in names if n.lower() == MANIFEST]
        if at_root_other_case:
            self.zip_error(
                f"the manifest is named {_q(at_root_other_case[0])}; it must be exactly "
                f"'{MANIFEST}' (lower case): LMS servers are case-sensitive"
            )
        elif nested:
            folder = nested[0][: -len(MANIFEST)]
            self.zip_error(
                f"{MANIFEST} is in the sub-folder {_q(folder)}, not at the zip root "
                "(Moodle: badimsmanifestlocation); zip the contents of that folder, "
                "not the folder itself"
            )
        else:
            self.zip_error(
                f"no {MANIFEST} in the package: not a SCORM package (Moodle: nomanifest)"
            )

    # -- the manifest XML --------------------------------------------------------------------

    def parse_manifest(self, data: bytes) -> etree._Element:
        if _declares_entities(data):
            # Refused before lxml sees it: even unexpanded, entity declarations are how
            # billion-laughs and XXE payloads arrive, and no SCORM manifest needs one.
            self.error(None, ENTITY_MESSAGE)
            raise _Stop
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
        )
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            message = exc.msg or str(exc)
            if "entit" in message.lower() and "amplification" in message.lower():
                self.error(None, ENTITY_MESSAGE)
                raise _Stop from exc
            # libxml2 appends ", line L, column C" to its messages; we print them in front.
            message = re.sub(r", line \d+, column \d+$", "", message)
            line, col = exc.position if exc.position else (0, 0)
            self.problems.append(
                Problem(self.manifest_where, line or 0, col or 0, f"not well-formed XML: {message}")
            )
            raise _Stop from exc
        docinfo = root.getroottree().docinfo
        dtd = docinfo.internalDTD
        if docinfo.system_url or (dtd is not None and any(True for _ in dtd.iterentities())):
            # The byte scan above missed it (an exotic encoding): still refuse.
            self.error(None, ENTITY_MESSAGE)
            raise _Stop
        encoding = root.getroottree().docinfo.encoding or "utf-8"
        try:
            self.manifest_lines = data.decode(encoding).splitlines()
        except (LookupError, UnicodeDecodeError):
            self.manifest_lines = []  # lines then come from libxml2 as they are
        return root


def _declares_entities(data: bytes) -> bool:
    """True if the prolog has a DOCTYPE with an entity declaration or an external DTD."""
    head = data[: 1024 * 1024]
    text: str
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16-le" if head[:1] in (b"\xff", b"<") else "utf-16-be"
        text = head.decode(codec, errors="ignore")
    else:
        text = head.decode("latin-1")
    upper = text.upper()
    at = upper.find("<!DOCTYPE")
    if at < 0:
        return False
    if "<!ENTITY" in upper:
        return True
    # An external DTD (SYSTEM or PUBLIC id) is where external entities would come from.
    end = upper.find(">", at)
    decl = upper[at : end if end >= 0 else len(upper)]
    decl = decl.split("[", 1)[0]
    return " SYSTEM" in decl or " PUBLIC" in decl


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


class _ManifestChecks:
    """The SCORM 1.2 rules, on a parsed manifest; problems go to the validator."""

    def __init__(self, v: _Validator, root: etree._Element, entries: _Entries):
        self.v = v
        self.root = root
        self.entries = entries
        self.resources: dict[str, etree._Element] = {}
        self.listed: set[str] = set()

    def cp(self, el: etree._Element, name: str) -> list[etree._Element]:
        return [c for c in el if isinstance(c.tag, str) and c.tag == f"{{{IMSCP_NS}}}{name}"]

    def run(self) -> None:
        if not self.check_root():
            return
        self.check_namespaces()
        self.check_metadata()
        self.check_identifiers()
        resources_el = self.cp(self.root, "resources")
        orgs_el = self.cp(self.root, "organizations")
        if not orgs_el:
            self.v.error(self.root, "no <organizations> element (required by IMS CP)")
        if not resources_el:
            self.v.error(self.root, "no <resources> element (required by IMS CP)")
        self.collect_resources()
        if orgs_el:
            self.check_organizations(orgs_el[0])
        self.check_resources()
        self.check_masteryscores()
        self.check_descriptions()
        self.check_unlisted_and_empty()

    def check_root(self) -> bool:
        root = self.root
        ns = etree.QName(root).namespace
        if _local(root) != "manifest":
            self.v.error(root, f"the root element is <{_local(root)}>, expected <manifest>")
            return False
        if ns == SCORM2004_CP_NS:
            self.v.error(
                root,
                f"namespace {ns} is IMS CP 1.1.4 (SCORM 2004); "
                f"a SCORM 1.2 manifest uses {IMSCP_NS}",
            )
            return False
        if ns != IMSCP_NS:
            self.v.error(
                root,
                f"<manifest> is in namespace {ns or '(none)'}; a SCORM 1.2 manifest has the "
                f'default namespace xmlns="{IMSCP_NS}"',
            )
            return False
        return True

    def check_namespaces(self) -> None:
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            parent = el.getparent()
            inherited = parent.nsmap if parent is not None else {}
            for prefix, uri in el.nsmap.items():
                if inherited.get(prefix) == uri:
                    continue
                if uri == ADLCP_NS and prefix != "adlcp":
                    shown = f"prefix {prefix!r}" if prefix else "the default namespace"
                    self.v.error(
                        el,
                        f"the ADL namespace is bound to {shown}; it must use the literal prefix "
                        "'adlcp' (xmlns:adlcp): Moodle is not namespace-aware, so the SCO "
                        "becomes an untracked asset and the mastery score is lost",
                        attr=f"xmlns:{prefix}=" if prefix else "xmlns=",
                    )
                if prefix == "adlcp" and uri != ADLCP_NS:
                    self.v.error(
                        el,
                        f"the prefix 'adlcp' is bound to {uri}; it must be {ADLCP_NS}",
                        attr="xmlns:adlcp=",
                    )
            if etree.QName(el).namespace == IMSCP_NS and el.prefix is not None:
                self.v.error(
                    el,
                    f"<{el.prefix}:{_local(el)}>: IMS CP elements must be unprefixed (default "
                    "namespace); a prefixed manifest breaks Moodle's parser",
                )

    def check_metadata(self) -> None:
        meta = self.cp(self.root, "metadata")
        if not meta:
            self.v.error(
                self.root,
                "no <metadata> with <schema>ADL SCORM</schema> and "
                "<schemaversion>1.2</schemaversion>",
            )
            return
        for name, expected in (("schema", "ADL SCORM"), ("schemaversion", "1.2")):
            found = self.cp(meta[0], name)
            if not found:
                self.v.error(meta[0], f"<metadata> has no <{name}>{expected}</{name}>")
                continue
            value = found[0].text or ""
            if value.strip() != expected:
                hint = ""
                if name == "schemaversion":
                    hint = " (this validator checks SCORM 1.2 packages)"
                self.v.error(
                    found[0], f"<{name}> is {value.strip()!r}, expected {expected!r}{hint}"
                )
            elif value != expected:
                self.v.warning(found[0], f"<{name}> has whitespace around {expected!r}; remove it")

    def check_identifiers(self) -> None:
        seen: dict[str, etree._Element] = {}
        for el in self.root.iter(
            f"{{{IMSCP_NS}}}manifest",
            f"{{{IMSCP_NS}}}organization",
            f"{{{IMSCP_NS}}}item",
            f"{{{IMSCP_NS}}}resource",
        ):
            kind = _local(el)
            ident = el.get("identifier")
            if ident is None:
                self.v.error(el, f"<{kind}> has no identifier attribute")
                continue
            if not _NCNAME.fullmatch(ident):
                self.v.error(
                    el,
                    f"<{kind}> identifier {ident!r} is not a valid xs:ID (an XML name: no "
                    "spaces or colons, not starting with a digit, '.' or '-'); "
                    "use [A-Za-z][A-Za-z0-9_-]*",
                )
            elif _SAFE_ID_WITH_PERIODS.fullmatch(ident) and not _SAFE_ID.fullmatch(ident):
                self.v.warning(
                    el,
                    f"<{kind}> identifier {ident!r} contains periods, which some LMSs hang "
                    "on; use [A-Za-z][A-Za-z0-9_-]*",
                )
            elif not _SAFE_ID.fullmatch(ident):
                self.v.error(
                    el,
                    f"<{kind}> identifier {ident!r} is outside the portable set "
                    "[A-Za-z][A-Za-z0-9_-]* (ASCII letter first; letters, digits, '_' and '-')",
                )
            if ident in seen:
                self.v.error(
                    el,
                    f"identifier {ident!r} is used twice (also on line {seen[ident].sourceline}); "
                    "identifiers must be unique",
                )
            else:
                seen[ident] = el

    def collect_resources(self) -> None:
        for res in self.root.iter(f"{{{IMSCP_NS}}}resource"):
            ident = res.get("identifier")
            if ident and ident not in self.resources:
                self.resources[ident] = res

    def scormtype(self, res: etree._Element) -> str | None:
        return res.get(f"{{{ADLCP_NS}}}scormtype")

    def check_organizations(self, orgs: etree._Element) -> None:
        organizations = self.cp(orgs, "organization")
        if not organizations:
            self.v.error(orgs, "no <organization>: the LMS has nothing to launch")
            return
        if len(organizations) > 1:
            self.v.warning(
                orgs,
                f"{len(organizations)} organizations; LMSs show only the default one, and "
                "Moodle launches the first launchable item in file order",
            )
        by_id = {o.get("identifier"): o for o in organizations}
        default = orgs.get("default")
        chosen = organizations[0]
        if default is None:
            self.v.warning(
                orgs, "<organizations> has no default attribute; LMSs will use the first one"
            )
        elif default not in by_id:
            self.v.error(orgs, f"organizations default {default!r} names no <organization>")
        else:
            chosen = by_id[default]

        for item in self.root.iter(f"{{{IMSCP_NS}}}item"):
            ref = item.get("identifierref")
            if ref is None:
                continue
            if ref not in self.resources:
                self.v.error(
                    item,
                    f"item {item.get('identifier')!r}: identifierref {ref!r} names no <resource>",
                )
        for dep in self.root.iter(f"{{{IMSCP_NS}}}dependency"):
            ref = dep.get("identifierref")
            if ref is None:
                self.v.error(dep, "<dependency> has no identifierref")
            elif ref not in self.resources:
                self.v.error(dep, f"<dependency> identifierref {ref!r} names no <resource>")

        launchable = [
            i for i in chosen.iter(f"{{{IMSCP_NS}}}item") if i.get("identifierref") is not None
        ]
        if not launchable:
            self.v.error(
                chosen,
                f"organization {chosen.get('identifier')!r} has no item that refers to a "
                "resource: the LMS has nothing to launch",
            )
            return
        first = launchable[0]
        res = self.resources.get(first.get("identifierref", ""))
        sco_items = [
            i
            for i in launchable
            if (r := self.resources.get(i.get("identifierref", ""))) is not None
            and self.scormtype(r) == "sco"
        ]
        if res is not None and self.scormtype(res) != "sco" and sco_items:
            self.v.warning(
                first,
                f"the first item of the default organization ({first.get('identifier')!r}) "
                "is not the SCO; Moodle launches the first launchable item, so put the SCO "
                "first",
            )

    def check_resources(self) -> None:
        scos: list[etree._Element] = []
        for res in self.root.iter(f"{{{IMSCP_NS}}}resource"):
            ident = res.get("identifier")
            if res.get("type") is None:
                self.v.error(res, f"resource {ident!r} has no type attribute (webcontent)")
            misspelt = False
            for key in res.attrib:
                qn = etree.QName(key)
                if qn.localname.lower() != "scormtype" or qn.text == f"{{{ADLCP_NS}}}scormtype":
                    continue
                misspelt = True
                if qn.namespace != ADLCP_NS:
                    # Moodle matches the literal name ADLCP:SCORMTYPE: anything else is ignored
                    # and the SCO silently becomes an untracked asset.
                    self.v.error(
                        res,
                        f"resource {ident!r}: attribute {qn.localname!r} must be "
                        "adlcp:scormtype (in the ADL namespace)",
                    )
                else:
                    self.v.error(
                        res,
                        f"resource {ident!r}: adlcp:{qn.localname} must be spelt "
                        "adlcp:scormtype (lower case)",
                    )
            kind = self.scormtype(res)
            if kind is None:
                if not misspelt:
                    self.v.warning(
                        res,
                        f"resource {ident!r} has no adlcp:scormtype; LMSs treat it as an asset "
                        "(no tracking)",
                    )
            elif kind == "sco":
                scos.append(res)
            elif kind != "asset":
                hint = ""
                if kind.strip().lower() in ("sco", "asset"):
                    hint = f" (found {kind!r}: the value is case-sensitive, no spaces)"
                self.v.error(
                    res,
                    f"resource {ident!r}: adlcp:scormtype must be 'sco' or 'asset' in lower "
                    f"case{hint or f', found {kind!r}'}",
                )
            href = res.get("href")
            if kind == "sco" and not href:
                self.v.error(res, f"resource {ident!r} is a SCO but has no href (launch file)")
            base = self.base_of(res)
            if href:
                self.check_file_ref(res, base, href, f"resource {ident!r} href")
            for f in self.cp(res, "file"):
                fhref = f.get("href")
                if not fhref:
                    self.v.error(f, f"<file> in resource {ident!r} has no href")
                    continue
                self.check_file_ref(f, self.base_of(f), fhref, "<file> href")
            # Metadata files referenced with adlcp:location are part of the package too.
        for loc in self.root.iter(f"{{{ADLCP_NS}}}location"):
            if loc.text and loc.text.strip():
                self.check_file_ref(loc, self.base_of(loc), loc.text.strip(), "adlcp:location")
        if len(scos) > 1:
            self.v.warning(
                scos[1],
                f"{len(scos)} SCOs in one package; multi-SCO packages misbehave in Moodle "
                "and some LMSs refuse them: prefer one SCO",
            )
        elif not scos:
            self.v.warning(
                self.root,
                'no resource has adlcp:scormtype="sco": the LMS will track nothing',
            )

    def base_of(self, el: etree._Element) -> str:
        """The xml:base in force for el, as a package-relative folder ('' at the root)."""
        bases = [
            a.get(f"{{{XML_NS}}}base", "")
            for a in [el, *el.iterancestors()]
            if a.get(f"{{{XML_NS}}}base")
        ]
        path = ""
        for b in reversed(bases):
            path = posixpath.join(path, b)
        return path

    def check_file_ref(self, el: etree._Element, base: str, href: str, what: str) -> None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            # An absolute URL is not a package file; LMSs may block it, but it is not missing.
            if parts.scheme.lower() not in ("http", "https"):
                self.v.error(el, f"{what} {href!r}: only relative paths belong in a package")
            return
        ref = posixpath.join(base, parts.path) if base else parts.path
        if ref.startswith("/") or "\\" in ref:
            self.v.error(el, f"{what} {href!r}: must be a relative path with forward slashes")
            return
        norm = posixpath.normpath(ref)
        if norm == ".." or norm.startswith("../"):
            self.v.error(el, f"{what} {href!r} points outside the package")
            return
        candidates = {norm, posixpath.normpath(unquote(ref))}
        present = [c for c in candidates if c in self.entries.files]
        if present:
            self.listed.update(present)
            return
        if any(c in self.entries.unreadable for c in candidates):
            return  # already reported as unsafe or corrupt
        shown = f"{href!r}" if norm == href else f"{href!r} ({norm!r})"
        lower = {n.lower(): n for n in self.entries.files}
        near = next((lower[c.lower()] for c in candidates if c.lower() in lower), None)
        if near is not None:
            self.listed.add(near)
            self.v.error(
                el,
                f"{what} {shown}: not in the zip; {near!r} differs only in letter case "
                "(LMS servers are case-sensitive)",
            )
        else:
            self.v.error(el, f"{what} {shown}: file is listed but missing from the zip")

    def check_masteryscores(self) -> None:
        for ms in self.root.iter(f"{{{ADLCP_NS}}}masteryscore"):
            parent = ms.getparent()
            if parent is None or parent.tag != f"{{{IMSCP_NS}}}item":
                self.v.error(ms, "adlcp:masteryscore belongs inside an <item>")
            value = ms.text or ""
            if value != value.strip():
                self.v.error(
                    ms,
                    f"adlcp:masteryscore {value!r} has whitespace around it (Moodle keeps it "
                    "and the score comparison fails); write the bare integer",
                )
                value = value.strip()
                if _MASTERY.fullmatch(value) and int(value) <= 100:
                    continue
            if not _MASTERY.fullmatch(value) or int(value) > 100:
                self.v.error(ms, f"adlcp:masteryscore {value!r} must be an integer from 0 to 100")

    def check_descriptions(self) -> None:
        for el in self.root.iter():
            if not isinstance(el.tag, str) or _local(el) != "description":
                continue
            text = "".join(el.itertext()).strip()
            if len(text) > 1000:
                self.v.warning(
                    el,
                    f"description is {len(text)} characters; over 1,000 has broken some LMS "
                    "imports: keep it short",
                )

    def check_unlisted_and_empty(self) -> None:
        exempt = {MANIFEST}
        # Files named in xsi:schemaLocation (the XSDs shipped at the root) are not content.
        loc = self.root.get(f"{{{XSI_NS}}}schemaLocation", "")
        tokens = loc.split()
        exempt.update(tokens[1::2])
        unlisted = [
            n
            for n in sorted(self.entries.files)
            if n not in self.listed
            and n not in exempt
            and not ("/" not in n and n.lower().endswith((".xsd", ".dtd")))
        ]
        cap = self.v.limits.max_listed_warnings
        for n in unlisted[:cap]:
            self.v.zip_warning(
                f"file {_q(n)} is not listed in the manifest (list every file under its <resource>)"
            )
        if len(unlisted) > cap:
            self.v.zip_warning(
                f"... and {len(unlisted) - cap} more files not listed in the manifest"
            )
        # Every folder that has something under it, from the parents of every entry name.
        occupied: set[str] = set()
        for n in [*self.entries.files, *self.entries.dirs, *self.entries.unreadable]:
            parent = posixpath.dirname(n.rstrip("/"))
            while parent and parent not in occupied:
                occupied.add(parent)
                parent = posixpath.dirname(parent)
        for d in sorted(self.entries.dirs - occupied):
            self.v.zip_warning(
                f"empty folder {_q(d + '/')} (Moodle's unzip check rejects empty folders)"
            )
