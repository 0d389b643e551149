"""Reading a package's XML file (imsmanifest.xml, cmi5.xml, tincan.xml) as hostile input, and
reporting problems in it at the line an admin can open.

The parser loads no DTD, expands no entity, fetches nothing, and refuses huge trees; a DOCTYPE
that declares entities or names an external DTD is refused before lxml sees the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from scormbuild.problems import Problem

ENTITY_MESSAGE = (
    "the manifest declares a DOCTYPE with entities or an external DTD: "
    "entity expansion / external entities are not allowed"
)


@dataclass
class Reporter:
    """Collects the problems of one package: of the zip as a whole, or at a line of one file."""

    zip_where: str
    file_where: str = ""
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (line number, tag) -> does a start tag open on that line: a one-line manifest with many
    # problems must not be searched once per problem (that was quadratic).
    _opens: dict[tuple[int, str], bool] = field(default_factory=dict)

    def zip_error(self, message: str) -> None:
        self.problems.append(Problem(self.zip_where, 0, 0, message))

    def zip_warning(self, message: str) -> None:
        self.problems.append(Problem(self.zip_where, 0, 0, message, "warning"))

    def error(self, el: etree._Element | None, message: str, attr: str | None = None) -> None:
        self.problems.append(Problem(self.file_where, self.line(el, attr), 0, message))

    def warning(self, el: etree._Element | None, message: str, attr: str | None = None) -> None:
        line = self.line(el, attr)
        self.problems.append(Problem(self.file_where, line, 0, message, "warning"))

    def line(self, el: etree._Element | None, attr: str | None = None) -> int:
        """The line where el's start tag begins (or where ``attr`` sits inside it).

        libxml2 records the line where a start tag *ends*; a manifest's root tag often spans
        several lines of namespace declarations, and the admin should land on the tag itself.
        """
        if el is None or not el.sourceline:
            return 0
        end = el.sourceline
        lines = self.lines
        if not lines or end > len(lines):
            return end
        local = etree.QName(el).localname
        tag = f"{el.prefix}:{local}" if el.prefix else local
        opener = re.compile(rf"<{re.escape(tag)}(?=[\s/>]|$)")
        start = end
        for number in range(end, max(end - 200, 0), -1):
            key = (number, tag)
            if key not in self._opens:
                self._opens[key] = opener.search(lines[number - 1]) is not None
            if self._opens[key]:
                start = number
                break
        if attr is not None:
            for number in range(start, end + 1):
                if attr in lines[number - 1]:
                    return number
        return start


class XmlRefused(Exception):
    """The file cannot be read safely or is not well-formed; the problem is already reported."""


def hardened_parser() -> etree.XMLParser:
    """The parser for XML from a package, whoever made it: no entities resolved, no DTD, no
    network, no huge trees. Every reader of package XML uses it."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=False)


def parse_xml(data: bytes, report: Reporter) -> etree._Element:
    """Parse ``data`` with the hardened parser; report and raise XmlRefused if it cannot be."""
    if _declares_entities(data):
        # Refused before lxml sees it: even unexpanded, entity declarations are how
        # billion-laughs and XXE payloads arrive, and no package file needs one.
        report.error(None, ENTITY_MESSAGE)
        raise XmlRefused
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        message = exc.msg or str(exc)
        if "entit" in message.lower() and "amplification" in message.lower():
            report.error(None, ENTITY_MESSAGE)
            raise XmlRefused from exc
        # libxml2 appends ", line L, column C" to its messages; we print them in front.
        message = re.sub(r", line \d+, column \d+$", "", message)
        line, col = exc.position if exc.position else (0, 0)
        report.problems.append(
            Problem(report.file_where, line or 0, col or 0,
                    f"not well-formed XML: {message} (no LMS can import it)")
        )
        raise XmlRefused from exc
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or (dtd is not None and any(True for _ in dtd.iterentities())):
        # The byte scan missed it (an exotic encoding): still refuse.
        report.error(None, ENTITY_MESSAGE)
        raise XmlRefused
    encoding = (docinfo.encoding or "utf-8").lower()
    try:
        report.lines = data.decode(encoding).splitlines()
    except (LookupError, UnicodeDecodeError):
        report.lines = []  # lines then come from libxml2 as they are
    if encoding.replace("-", "").startswith(("utf16", "ucs2", "utf32", "ucs4")):
        report.warning(
            None,
            f"the file is encoded as {docinfo.encoding}; LMS manifest parsers expect UTF-8 "
            "and some fail on anything else: save it as UTF-8",
        )
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


def local(el: etree._Element) -> str:
    return etree.QName(el).localname
