"""Files named by a package's XML file: present in the zip, resolved the way LMSs resolve them.

Two resolutions of an IMS CP ``href`` matter:

* the standard's: ``xml:base`` on ``<manifest>``, ``<resources>`` and ``<resource>`` each apply
  in turn, as URI references (RFC 3986: a base without a trailing ``/`` names a file, so
  ``xml:base="content"`` contributes nothing to a relative href);
* Moodle's: the launch URL is the resource's OWN ``xml:base`` glued to ``href`` as text, and
  ``xml:base`` on ``<manifest>`` and ``<resources>`` is ignored.

Every lookup is a dict access; the case-folded index is built once, so checking N references
against M files costs O(N + M).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from scormbuild.pkgcheck.xmlsafe import Reporter
from scormbuild.zipsafety import ZipScan, quote

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True)
class Ref:
    """A reference resolved to a package path ('' when it is not a package file)."""

    href: str
    path: str
    remote: bool = False
    problem: str = ""  # why it can never be a package file (": ..." or " ...", after the href)


def _folder(base: str) -> str:
    """The folder part of a URI reference: everything up to and including the last '/'."""
    return base[: base.rfind("/") + 1]


def standard_path(el: etree._Element, href: str) -> Ref:
    """``href`` on ``el`` resolved through every xml:base above it, as the standard says."""
    bases = [a.get(XML_BASE, "") for a in [el, *el.iterancestors()] if a.get(XML_BASE)]
    joined = ""
    for base in reversed(bases):
        # An absolute base replaces what came before; a relative one is merged into it.
        absolute = urlsplit(base).scheme or base.startswith("/")
        joined = base if absolute else _folder(joined) + base
    return _to_path(href, _folder(joined) + href if joined else href)


def moodle_path(resource: etree._Element, href: str) -> Ref:
    """What Moodle launches: the resource's own xml:base and href, concatenated as text."""
    return _to_path(href, resource.get(XML_BASE, "") + href)


def _to_path(href: str, ref: str) -> Ref:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in ("http", "https"):
            return Ref(href, "", remote=True)
        return Ref(href, "", problem=": only relative paths belong in a package")
    if parts.path.startswith("/") or "\\" in parts.path:
        return Ref(href, "", problem=": must be a relative path with forward slashes")
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if path == ".." or path.startswith("../"):
        return Ref(href, "", problem=" points outside the package")
    return Ref(href, "" if path == "." else path)


@dataclass
class FileIndex:
    """The zip's files, looked up by exact name and by letter case; records what is listed."""

    scan: ZipScan
    listed: set[str] = field(default_factory=set)
    _folded: dict[str, str] | None = None

    def has(self, path: str) -> bool:
        return path in self.scan.files

    def unreadable(self, path: str) -> bool:
        return path in self.scan.unreadable

    def case_twin(self, path: str) -> str | None:
        if self._folded is None:
            # Built once, on the first miss: one pass over the files, never one per reference.
            self._folded = {}
            for name in self.scan.files:
                self._folded.setdefault(name.lower(), name)
        return self._folded.get(path.lower())

    def check(self, report: Reporter, el: etree._Element, ref: Ref, what: str) -> bool:
        """Report a listed file that is absent; True when the file is in the zip."""
        if ref.remote:
            return False
        if ref.problem:
            report.error(el, f"{what} {ref.href!r}{ref.problem}")
            return False
        if self.has(ref.path):
            self.listed.add(ref.path)
            return True
        if self.unreadable(ref.path) or not ref.path:
            return False  # already reported as unsafe or corrupt
        shown = f"{ref.href!r}" if ref.path == ref.href else f"{ref.href!r} ({ref.path!r})"
        near = self.case_twin(ref.path)
        if near is not None:
            self.listed.add(near)
            report.error(
                el,
                f"{what} {shown}: not in the zip; {near!r} differs only in letter case "
                "(LMS servers are case-sensitive)",
            )
        else:
            report.error(el, f"{what} {shown}: file is listed but missing from the zip")
        return False

    def unlisted(self, exempt: set[str]) -> list[str]:
        return [
            n
            for n in sorted(self.scan.files)
            if n not in self.listed
            and n not in exempt
            and not ("/" not in n and n.lower().endswith((".xsd", ".dtd")))
        ]

    def warn_unlisted(self, report: Reporter, exempt: set[str], cap: int) -> None:
        unlisted = self.unlisted(exempt)
        for n in unlisted[:cap]:
            report.zip_warning(
                f"file {quote(n)} is not listed in the manifest (list every file under its "
                "<resource>; some LMSs and content repositories drop unlisted files)"
            )
        if len(unlisted) > cap:
            report.zip_warning(
                f"... and {len(unlisted) - cap} more files not listed in the manifest"
            )


def check_launch(report: Reporter, files: FileIndex, resource: etree._Element,
                 what: str) -> str | None:
    """Compare Moodle's launch path with the standard's; return the path Moodle opens.

    A missing file under Moodle's resolution is an error (Moodle launches a missing page);
    when both resolutions find a file but not the same one, LMSs disagree: a warning.
    """
    href = resource.get("href") or ""
    standard = standard_path(resource, href)
    moodle = moodle_path(resource, href)
    if standard.remote or moodle.remote or standard.problem or moodle.problem:
        return moodle.path or None
    if moodle.path == standard.path:
        return moodle.path
    if not files.has(moodle.path):
        if files.unreadable(moodle.path):
            return moodle.path
        base = resource.get(XML_BASE, "")
        hint = f"; end xml:base {base!r} with '/'" if base and not base.endswith("/") else ""
        report.error(
            resource,
            f"{what}: Moodle launches {moodle.path!r} (the resource's own xml:base + href; "
            "it ignores xml:base on <manifest> and <resources>), which is not in the zip; "
            f"the standard resolution gives {standard.path!r}{hint}",
        )
    elif files.has(standard.path):
        report.warning(
            resource,
            f"{what}: Moodle launches {moodle.path!r} (the resource's own xml:base + href) "
            f"but the standard resolution gives {standard.path!r}; both files exist, so LMSs "
            "will open different pages",
        )
    return moodle.path
