"""The SCORM 1.2 manifest rules, on a parsed manifest (zip safety is checked before, elsewhere).

Errors are what stops an import or a launch in Moodle, Canvas and the CE platforms: a manifest
Moodle's parser breaks on, a SCO the LMS cannot see or launch, a file the manifest lists that is
missing. Everything the XSD forbids but LMSs import is a warning: identifiers that are not
xs:ID (Moodle stores identifiers as plain strings), a missing root ``<metadata>`` (optional in
the XSD, and Moodle assumes 1.2 without it), XSD order slips, periods in ids, unlisted files.
See ``shared/reference/scorm12.md`` for the LMS behaviour each rule rests on. The rules SCORM
2004 shares (root, CP child order, items, listed and launch files) are imscp/rules.py's.
"""

from __future__ import annotations

import re

from lxml import etree

from scormbuild.imscp.rules import CpChecks, CpResult
from scormbuild.pkgcheck.detect import declares_2004
from scormbuild.pkgcheck.order import NCNAME
from scormbuild.pkgcheck.xmlsafe import local
from scormbuild.scorm12.spec import ADLCP, IMSCP, XSI

_MASTERY = re.compile(r"[0-9]{1,3}")
SCORMTYPE = f"{{{ADLCP}}}scormtype"


class Scorm12Checks(CpChecks):
    """The SCORM 1.2 rules; problems go to ``report``."""

    standard = "SCORM 1.2"
    imscp = IMSCP
    adlcp = ADLCP
    xsi = XSI
    scormtype = SCORMTYPE
    remote_sco = ("resource {ident!r} is a SCO with a remote href {href!r}: the package is not "
                  "self-contained, and a SCO served from another site cannot reach the LMS's "
                  "API across origins (tracking fails in most LMSs)")

    def run(self) -> CpResult:
        if not self.check_root():
            return self.result
        self.check_namespaces()
        self.check_metadata()
        self.check_identifiers()
        self.check_cp_order()
        self.index_resources()
        self.check_items()
        self.check_resources()
        self.check_launchable()
        self.check_masteryscores()
        self.check_descriptions()
        self.warn_unlisted()
        return self.result

    def check_namespaces(self) -> None:
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            parent = el.getparent()
            inherited = parent.nsmap if parent is not None else {}
            for prefix, uri in el.nsmap.items():
                if inherited.get(prefix) == uri:
                    continue
                if uri == ADLCP and prefix != "adlcp":
                    shown = f"prefix {prefix!r}" if prefix else "the default namespace"
                    self.report.error(
                        el,
                        f"the ADL namespace is bound to {shown}; it must use the literal prefix "
                        "'adlcp' (xmlns:adlcp): Moodle is not namespace-aware, so the SCO "
                        "becomes an untracked asset and the mastery score is lost",
                        attr=f"xmlns:{prefix}=" if prefix else "xmlns=",
                    )
                if prefix == "adlcp" and uri != ADLCP:
                    self.report.error(
                        el,
                        f"the prefix 'adlcp' is bound to {uri}; it must be {ADLCP} "
                        "(LMSs that read namespaces then see no SCO)",
                        attr="xmlns:adlcp=",
                    )
            if etree.QName(el).namespace == IMSCP and el.prefix is not None:
                self.report.error(
                    el,
                    f"<{el.prefix}:{local(el)}>: IMS CP elements must be unprefixed (default "
                    "namespace); a prefixed manifest breaks Moodle's parser",
                )

    def check_metadata(self) -> None:
        meta = self.cp(self.root, "metadata")
        if not meta:
            self.report.warning(
                self.root,
                "no root <metadata> with <schema>ADL SCORM</schema> and <schemaversion>1.2"
                "</schemaversion>; optional in the SCORM 1.2 XSD and Moodle assumes 1.2 "
                "without it, but some LMSs use it to detect the version",
            )
            return
        for name, expected in (("schema", "ADL SCORM"), ("schemaversion", "1.2")):
            found = self.cp(meta[0], name)
            if not found:
                self.report.warning(
                    meta[0], f"<metadata> has no <{name}>{expected}</{name}>; some LMSs use it "
                    "to detect the version (Moodle assumes 1.2)"
                )
                continue
            value = found[0].text or ""
            if name == "schemaversion" and declares_2004(value):
                self.report.error(
                    found[0],
                    f"<schemaversion> is {value.strip()!r}, which declares SCORM 2004, but the "
                    "manifest uses the SCORM 1.2 namespaces: Moodle then runs it with the SCORM "
                    "2004 API, which a SCORM 1.2 SCO cannot find (expected '1.2')",
                )
            elif value.strip() != expected:
                self.report.warning(
                    found[0],
                    f"<{name}> is {value.strip()!r}, expected {expected!r}; Moodle reads the "
                    "package as SCORM 1.2 anyway, other LMSs may not",
                )
            elif value != expected:
                self.report.warning(
                    found[0], f"<{name}> has whitespace around {expected!r}; remove it"
                )

    def check_identifiers(self) -> None:
        seen: dict[str, etree._Element] = {}
        for el in self.root.iter(
            f"{{{IMSCP}}}manifest",
            f"{{{IMSCP}}}organization",
            f"{{{IMSCP}}}item",
            f"{{{IMSCP}}}resource",
        ):
            kind = local(el)
            ident = el.get("identifier")
            if ident is None:
                self.report.warning(
                    el, f"<{kind}> has no identifier attribute (required by the IMS CP XSD)"
                )
                continue
            if not NCNAME.fullmatch(ident):
                self.report.warning(
                    el,
                    f"<{kind}> identifier {ident!r} is not a valid xs:ID (an XML name: no "
                    "spaces, commas or colons, not starting with a digit, '.' or '-'); Moodle "
                    "imports it (identifiers are plain strings there), XSD-validating tools "
                    "reject it",
                )
            elif "." in ident:
                self.report.warning(
                    el,
                    f"<{kind}> identifier {ident!r} contains periods, which some LMSs hang "
                    "on; use [A-Za-z][A-Za-z0-9_-]*",
                )
            other = seen.get(ident)
            if other is None:
                seen[ident] = el
            elif local(other) == kind:
                self.report.warning(
                    el,
                    f"identifier {ident!r} is used by two <{kind}> elements (also on line "
                    f"{self.report.line(other)}); LMSs keep only one of them",
                )
            else:
                self.report.warning(
                    el,
                    f"identifier {ident!r} of this <{kind}> is also the identifier of the "
                    f"<{local(other)}> on line {self.report.line(other)}; the XSD requires "
                    "unique ids, Moodle imports it",
                )

    def chosen_organization(self) -> etree._Element | None:
        orgs = self.cp(self.root, "organizations")
        if not orgs:
            return None
        organizations = self.cp(orgs[0], "organization")
        if not organizations:
            return None
        if len(organizations) > 1:
            self.report.warning(
                orgs[0],
                f"{len(organizations)} organizations; LMSs show only the default one, and "
                "Moodle launches the first launchable item in file order",
            )
        default = orgs[0].get("default")
        by_id = {o.get("identifier"): o for o in organizations}
        if default is None:
            self.report.warning(
                orgs[0], "<organizations> has no default attribute; LMSs use the first one"
            )
        elif default not in by_id:
            self.report.warning(
                orgs[0],
                f"organizations default {default!r} names no <organization>; LMSs fall back "
                "to the first one",
            )
        else:
            return by_id[default]
        return organizations[0]

    def check_items(self) -> None:
        super().check_items()
        for dep in self.root.iter(f"{{{IMSCP}}}dependency"):
            ref = dep.get("identifierref")
            if ref is None:
                self.report.warning(dep, "<dependency> has no identifierref")
            elif ref not in self.resources:
                self.report.warning(
                    dep, f"<dependency> identifierref {ref!r} names no <resource>"
                )

    def check_launchable(self) -> None:
        """Errors when the LMS has no SCO to launch; the launch file as Moodle resolves it."""
        if not self.cp(self.root, "resources"):
            self.report.error(self.root, "no <resources> element: the LMS has nothing to launch")
        org = self.chosen_organization()
        if org is None:
            self.report.error(
                self.root, "no <organizations> with an <organization>: the LMS has nothing to "
                "launch (Moodle: no launchable item)"
            )
            return
        launchable = self.launchable(org)
        scos = self.scos(launchable)
        if not launchable:
            self.report.error(
                org,
                f"organization {org.get('identifier')!r} has no item that refers to a resource "
                "with an href: the LMS has nothing to launch",
            )
            return
        if not scos:
            self.report.error(
                org,
                f"no launchable SCO: the items of organization {org.get('identifier')!r} open "
                'only assets (no adlcp:scormtype="sco"), so the LMS tracks nothing: no '
                "completion, no score",
            )
            return
        first_item, first_res = launchable[0]
        if first_res.get(SCORMTYPE) != "sco":
            self.report.warning(
                first_item,
                f"the first item of the default organization ({first_item.get('identifier')!r}) "
                "is not the SCO; Moodle launches the first launchable item, so put the SCO first",
            )
        if self.result.scos > 1:
            self.report.warning(
                scos[1][1],
                f"{self.result.scos} SCOs in one package; multi-SCO packages misbehave in Moodle "
                "and some LMSs refuse them: prefer one SCO",
            )

    def check_resources(self) -> None:
        for res in self.root.iter(f"{{{IMSCP}}}resource"):
            ident = res.get("identifier")
            if res.get("type") is None:
                self.report.warning(
                    res, f"resource {ident!r} has no type attribute (webcontent; required by "
                    "the IMS CP XSD)"
                )
            misspelt = self.check_scormtype_spelling(res, ident)
            kind = res.get(SCORMTYPE)
            if kind is None and not misspelt:
                self.report.warning(
                    res,
                    f"resource {ident!r} has no adlcp:scormtype; LMSs treat it as an asset "
                    "(no tracking)",
                )
            elif kind is not None and kind not in ("sco", "asset"):
                hint = f"found {kind!r}"
                if kind.strip().lower() in ("sco", "asset"):
                    hint = f"found {kind!r}: the value is case-sensitive, no spaces"
                self.report.warning(
                    res,
                    f"resource {ident!r}: adlcp:scormtype must be 'sco' or 'asset' in lower "
                    f"case ({hint}); LMSs then treat it as an untracked asset",
                )
            self.check_resource_files(res, ident, kind)
        self.check_locations()

    def check_scormtype_spelling(self, res: etree._Element, ident: str | None) -> bool:
        misspelt = self.misspelt_scormtypes(res)
        for qn in misspelt:
            if qn.namespace != ADLCP:
                # Moodle matches the literal name ADLCP:SCORMTYPE: anything else is ignored
                # and the SCO silently becomes an untracked asset.
                self.report.warning(
                    res,
                    f"resource {ident!r}: attribute {qn.localname!r} must be "
                    "adlcp:scormtype (in the ADL namespace); LMSs ignore it and treat the "
                    "resource as an untracked asset",
                )
            else:
                self.report.warning(
                    res,
                    f"resource {ident!r}: adlcp:{qn.localname} must be spelt "
                    "adlcp:scormtype (lower case; scormType is SCORM 2004); LMSs reading 1.2 "
                    "treat the resource as an untracked asset",
                )
        return bool(misspelt)

    def check_masteryscores(self) -> None:
        for ms in self.root.iter(f"{{{ADLCP}}}masteryscore"):
            parent = ms.getparent()
            if parent is None or parent.tag != f"{{{IMSCP}}}item":
                self.report.warning(
                    ms, "adlcp:masteryscore belongs inside an <item>; LMSs ignore it elsewhere"
                )
            value = ms.text or ""
            if value != value.strip():
                self.report.warning(
                    ms,
                    f"adlcp:masteryscore {value!r} has whitespace around it (Moodle keeps it "
                    "and the pass/fail comparison fails); write the bare integer",
                )
                value = value.strip()
                if _MASTERY.fullmatch(value) and int(value) <= 100:
                    continue
            if not _MASTERY.fullmatch(value) or int(value) > 100:
                self.report.warning(
                    ms, f"adlcp:masteryscore {value!r} must be an integer from 0 to 100 "
                    "(LMSs ignore it or compute pass/fail wrongly)"
                )

    def check_descriptions(self) -> None:
        for el in self.root.iter():
            if not isinstance(el.tag, str) or local(el) != "description":
                continue
            text = "".join(el.itertext()).strip()
            if len(text) > 1000:
                self.report.warning(
                    el,
                    f"description is {len(text)} characters; over 1,000 has broken some LMS "
                    "imports: keep it short",
                )
