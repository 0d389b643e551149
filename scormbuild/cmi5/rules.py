"""The cmi5 course-structure rules ``scormbuild validate`` applies to a parsed cmi5.xml.

The Quartz ``CourseStructure.xsd`` is not shipped with scormbuild (its licence asks for the
notice to travel with it, and validate must work offline), so what it requires is checked
here in Python: the root and namespace, each element's children in the XSD's order and
counts, the required attributes and their value spaces (moveOn, masteryScore, launchMethod).
Every such violation is an error: the spec obliges an LMS only to import structures that
conform to the XSD. Beyond the XSD: every id is a fully qualified IRI and unique (section
13.1), each relative AU url is a file in the zip, and an objective reference names a declared
objective (a warning). ``xsd`` (``validate --cmi5-xsd``) adds the real XSD on top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from scormbuild.cmi5.spec import LAUNCH_METHODS, MASTERY_PLACES, MOVE_ON, NAMESPACE
from scormbuild.pkgcheck.files import FileIndex, standard_path
from scormbuild.pkgcheck.xmlsafe import Reporter, hardened_parser
from scormbuild.problems import Problem

# An absolute IRI: a scheme, then no whitespace (RFC 3987 is far wider; what matters to an
# LMS and an LRS is that the id is fully qualified, as cmi5 section 3 requires).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")

# Content models of the XSD: (child names, min, max) in order; None = unbounded. Elements of
# another namespace may follow them (xs:any ##other); title/description of an objective may
# come in either order (xs:all), checked apart.
_TEXT = (("title",), 1, 1), (("description",), 1, 1)
MODELS: dict[str, tuple[tuple[tuple[str, ...], int, int | None], ...]] = {
    "courseStructure": ((("course",), 1, 1), (("objectives",), 0, 1),
                        (("au", "block"), 1, None)),
    "course": _TEXT,
    "block": (*_TEXT, (("objectives",), 0, 1), (("au", "block"), 1, None)),
    "au": (*_TEXT, (("objectives",), 0, 1), (("url",), 1, 1),
           (("launchParameters",), 0, 1), (("entitlementKey",), 0, 1)),
    "objectives": ((("objective",), 1, None),),
    "langs": ((("langstring",), 1, None),),
}


@dataclass
class Cmi5Result:
    """What the summary line reports."""

    launch: str | None = None
    aus: int = 0


@dataclass
class Cmi5Checks:
    root: etree._Element
    report: Reporter
    files: FileIndex
    result: Cmi5Result = field(default_factory=Cmi5Result)
    ids: dict[str, etree._Element] = field(default_factory=dict)
    objectives: set[str] = field(default_factory=set)
    references: list[etree._Element] = field(default_factory=list)

    def run(self) -> Cmi5Result:
        root = self.root
        if etree.QName(root).namespace != NAMESPACE or _local(root) != "courseStructure":
            self.report.error(root, f"the root element is {_shown(root)}, not <courseStructure> "
                              f"in the namespace {NAMESPACE}: no cmi5 LMS imports it")
            return self.result
        self.foreign_attributes(root)
        self.sequence(root, "courseStructure", "<courseStructure>")
        for child in _children(root):
            name = _local(child)
            if name == "course":
                self.text_holder(child, "<course>")
                self.identified(child, "<course>")
                self.foreign_attributes(child, "id")
            elif name == "objectives":
                self.declared_objectives(child)
            elif name in ("au", "block"):
                self.node(child)
        for ref in self.references:
            idref = ref.get("idref") or ""
            if idref not in self.objectives:
                self.report.warning(ref, f"objective idref {idref!r} names no objective of "
                                    "<courseStructure><objectives>", "idref")
        return self.result

    # ---- structure (what the XSD requires) ----
    def sequence(self, el: etree._Element, model: str, what: str) -> None:
        """Children of ``el`` in the cmi5 namespace against MODELS[model]."""
        kids = _children(el)
        for kid in el:
            if isinstance(kid.tag, str) and etree.QName(kid).namespace is None:
                self.report.error(kid, f"<{_local(kid)}> inside {what} has no namespace: "
                                  f"cmi5 elements are in {NAMESPACE}, others need their own")
        at = 0
        for names, low, high in MODELS[model]:
            count = 0
            while at < len(kids) and _local(kids[at]) in names and (high is None or count < high):
                count += 1
                at += 1
            if count < low:
                self.report.error(el, f"{what} has no <{'> or <'.join(names)}>"
                                  + ("" if at >= len(kids) else
                                     f" where {_shown(kids[at])} is"))
        for kid in kids[at:]:
            self.report.error(kid, f"{_shown(kid)} is not allowed here inside {what} "
                              "(the cmi5 XSD's order: " + ", ".join(
                                  "/".join(n) for n, _, _ in MODELS[model]) + ")")

    def text_holder(self, el: etree._Element, what: str) -> None:
        for kid in _children(el):
            if _local(kid) in ("title", "description"):
                self.langstrings(kid, f"{what} <{_local(kid)}>")

    def langstrings(self, el: etree._Element, what: str) -> None:
        self.sequence(el, "langs", what)
        for s in _children(el):
            lang = s.get("lang")
            if _local(s) == "langstring" and lang is not None and not _LANGUAGE.fullmatch(lang):
                self.report.error(s, f"{what}: lang {lang!r} is not a language tag (en-US)",
                                  "lang")

    def identified(self, el: etree._Element, what: str, attr: str = "id") -> str | None:
        value = el.get(attr)
        if value is None:
            self.report.error(el, f"{what} has no {attr} attribute (required: an IRI)")
            return None
        if not _IRI.fullmatch(value.strip()):
            self.report.error(el, f"{what} {attr} {value!r} is not an IRI: cmi5 ids must be "
                              "fully qualified (https://example.org/...)", attr)
        elif value.strip() in self.ids:
            self.report.error(el, f"{what} {attr} {value!r} is also the id of another "
                              "course, block, AU or objective: ids must be unique", attr)
        self.ids.setdefault(value.strip(), el)
        return value.strip()

    def foreign_attributes(self, el: etree._Element, *allowed: str) -> None:
        for name in el.attrib:
            if etree.QName(name).namespace is None and name not in allowed:
                self.report.error(el, f"{_shown(el)} has an attribute {name!r} the cmi5 XSD "
                                  "does not define", name)

    # ---- parts ----
    def declared_objectives(self, el: etree._Element) -> None:
        self.sequence(el, "objectives", "<objectives>")
        self.foreign_attributes(el)
        for obj in _children(el):
            if _local(obj) != "objective":
                continue
            ident = self.identified(obj, "<objective>")
            if ident:
                self.objectives.add(ident)
            names = [_local(k) for k in _children(obj)]
            for part in ("title", "description"):
                if names.count(part) != 1:
                    self.report.error(obj, f"<objective> needs exactly one <{part}>")
            for kid in _children(obj):
                if _local(kid) in ("title", "description"):
                    self.langstrings(kid, f"<objective> <{_local(kid)}>")
                else:
                    self.report.error(kid, f"{_shown(kid)} is not allowed inside <objective>")

    def referenced_objectives(self, el: etree._Element) -> None:
        self.sequence(el, "objectives", "<objectives> of an AU or block")
        for ref in _children(el):
            if _local(ref) == "objective":
                self.references.append(ref)

    def node(self, el: etree._Element) -> None:
        name = _local(el)
        what = f"<{name}>"
        ident = self.identified(el, what)
        label = f"{name.upper() if name == 'au' else name} {ident!r}" if ident else what
        self.sequence(el, name, label)
        self.text_holder(el, label)
        for kid in _children(el):
            if _local(kid) == "objectives":
                self.referenced_objectives(kid)
            elif _local(kid) in ("au", "block") and name == "block":
                self.node(kid)
        if name == "block":
            self.foreign_attributes(el, "id")
            return
        self.foreign_attributes(el, "id", "moveOn", "masteryScore", "launchMethod",
                                "activityType")
        self.au_attributes(el, label)
        self.result.aus += 1
        urls = [k for k in _children(el) if _local(k) == "url"]
        if urls:
            self.url(urls[0], label)

    def au_attributes(self, el: etree._Element, label: str) -> None:
        move_on = el.get("moveOn")
        if move_on is not None and move_on not in MOVE_ON:
            self.report.error(el, f"{label}: moveOn {move_on!r} is not one of "
                              f"{', '.join(MOVE_ON)}", "moveOn")
        method = el.get("launchMethod")
        if method is not None and method not in LAUNCH_METHODS:
            self.report.error(el, f"{label}: launchMethod {method!r} is not one of "
                              f"{', '.join(LAUNCH_METHODS)}", "launchMethod")
        mastery = el.get("masteryScore")
        if mastery is None:
            return
        try:
            value = Decimal(mastery.strip())
            ok = value.is_finite() and 0 <= value <= 1
        except InvalidOperation:
            ok = False
        if not ok:
            self.report.error(el, f"{label}: masteryScore {mastery!r} is not a decimal from 0 "
                              "to 1 (0.8 for 80%)", "masteryScore")
        elif -value.as_tuple().exponent > MASTERY_PLACES:  # type: ignore[operator]
            self.report.warning(el, f"{label}: masteryScore {mastery!r} has more than "
                                f"{MASTERY_PLACES} decimal places (cmi5 section 10)",
                                "masteryScore")

    def url(self, el: etree._Element, label: str) -> None:
        text = (el.text or "").strip()
        if not text:
            self.report.error(el, f"{label} has an empty <url>: the LMS has nothing to launch")
            return
        # The LMS appends the launch parameters; a query string of the AU's own is kept.
        ref = standard_path(el, text)
        self.files.check(self.report, el, ref, f"{label} url")
        self.result.launch = self.result.launch or ref.path or text


def check_cmi5(root: etree._Element, report: Reporter, files: FileIndex,
               xsd: etree.XMLSchema | None = None) -> Cmi5Result:
    """Every rule above; with ``xsd`` (see load_xsd), the file is also validated against it."""
    result = Cmi5Checks(root, report, files).run()
    if xsd is not None and not xsd.validate(root):
        for e in xsd.error_log:
            report.problems.append(Problem(report.file_where, e.line, 0, f"XSD: {e.message}"))
    return result


def load_xsd(path: Path) -> etree.XMLSchema:
    """The schema at ``path`` (a copy of CourseStructure.xsd), read without network access;
    ValueError with one line saying why it cannot be used."""
    try:
        return etree.XMLSchema(etree.parse(str(path), hardened_parser()))
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise ValueError(f"{path}: not a usable XML schema ({exc})") from exc


def _children(el: etree._Element) -> list[etree._Element]:
    return [k for k in el if isinstance(k.tag, str) and etree.QName(k).namespace == NAMESPACE]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _shown(el: etree._Element) -> str:
    return f"<{_local(el)}>"
