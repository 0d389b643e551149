"""The SCORM 2004 manifest rules, on a parsed manifest (zip safety is checked before, elsewhere).

As for SCORM 1.2 (scorm12/rules.py), an error is what stops an import or a launch or tracking in
the LMSs we name: no SCO the LMS can launch, a launch file or listed file missing, a
schemaversion that makes Moodle run the SCO with the SCORM 1.2 API. What the XSDs forbid but
LMSs import is a warning (child order, xs:ID names, scormType spelling), and so are the
sequencing defaults that bite (shared/reference/scorm2004.md): without
``completionSetByContent``/``objectiveSetByContent`` the LMS may mark the SCO completed and
satisfied on launch; without ``flow`` on its parent, an LMS starting the course by flow has
nothing to deliver; ``satisfiedByMeasure`` without ``minNormalizedMeasure`` asks for 100 %.
The rules SCORM 1.2 shares (root, CP child order, items, listed and launch files) are
imscp/rules.py's.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

from scormbuild.imscp.rules import CpChecks, CpResult
from scormbuild.pkgcheck.detect import declares_2004
from scormbuild.pkgcheck.order import NCNAME, check_order
from scormbuild.pkgcheck.xmlsafe import local
from scormbuild.scorm2004.spec import ADLCP, IMSCP, IMSSS, SCHEMA, XSI

SCORMTYPE = f"{{{ADLCP}}}scormType"
EDITIONS = ("2004 3rd Edition", "2004 4th Edition")

# Children of the IMS SS elements in XSD order (imsss_v1p0*.xsd); every model ends with "any
# element of another namespace". The CP elements' are imscp/rules.py's.
SS_MODELS: dict[str, tuple[str, ...]] = {
    "sequencing": ("controlMode", "sequencingRules", "limitConditions", "auxiliaryResources",
                   "rollupRules", "objectives", "randomizationControls", "deliveryControls"),
    "objectives": ("primaryObjective", "objective"),
    "primaryObjective": ("minNormalizedMeasure", "mapInfo"),
    "objective": ("minNormalizedMeasure", "mapInfo"),
    "sequencingCollection": ("sequencing",),
}
SS_REPEATS = {"objective", "mapInfo", "sequencing"}


def _true(el: etree._Element | None, attr: str) -> bool:
    """An xs:boolean attribute that is true ("true" or "1"; absent means the default, false)."""
    return el is not None and (el.get(attr) or "").strip() in ("true", "1")


def _ss(el: etree._Element | None, name: str) -> etree._Element | None:
    """The first imsss child ``name`` of ``el``."""
    return None if el is None else el.find(f"{{{IMSSS}}}{name}")


class Scorm2004Checks(CpChecks):
    """The SCORM 2004 rules; problems go to ``report``."""

    standard = "SCORM 2004"
    imscp = IMSCP
    adlcp = ADLCP
    xsi = XSI
    scormtype = SCORMTYPE
    remote_sco = ("resource {ident!r} is a SCO with a remote href {href!r}: a SCO served from "
                  "another site cannot reach the LMS's API across origins")

    def run(self) -> CpResult:
        if not self.check_root():
            return self.result
        self.check_metadata()
        self.check_identifiers()
        self.check_cp_order()
        check_order(self.root, self.report, IMSSS, SS_MODELS, SS_REPEATS, "IMS SS")
        self.index_resources()
        self.check_items()
        self.check_resources()
        for item in self.check_launchable():
            self.check_sequencing(item)
        self.warn_unlisted()
        return self.result

    def check_metadata(self) -> None:
        meta = self.cp(self.root, "metadata")
        version = self.cp(meta[0], "schemaversion") if meta else []
        if not version:
            self.report.error(
                meta[0] if meta else self.root,
                "no <schemaversion> in the root <metadata>: Moodle then runs the package with "
                "the SCORM 1.2 API, where a SCORM 2004 SCO finds no API_1484_11 (write "
                f"<schemaversion>{EDITIONS[1]}</schemaversion>)")
        else:
            self.check_schemaversion(version[0])
        schema = self.cp(meta[0], "schema") if meta else []
        if meta and not schema:
            self.report.warning(meta[0], f"<metadata> has no <schema>{SCHEMA}</schema>")
        elif schema and (schema[0].text or "").strip() != SCHEMA:
            self.report.warning(schema[0], f"<schema> is {(schema[0].text or '').strip()!r}, "
                                f"expected {SCHEMA!r}")

    def check_schemaversion(self, el: etree._Element) -> None:
        value = el.text or ""
        text = value.strip()
        if not declares_2004(text):
            self.report.error(
                el, f"<schemaversion> is {text!r}, but the manifest uses the SCORM 2004 "
                "namespaces: Moodle runs it with the SCORM 1.2 API, namespace-aware LMSs with "
                "the SCORM 2004 one, so one of them offers an API the SCO does not look for "
                f"(expected {EDITIONS[1]!r} or {EDITIONS[0]!r})")
        elif text not in EDITIONS:
            self.report.warning(
                el, f"<schemaversion> is {text!r}: LMSs run it as SCORM 2004, but an edition "
                "before the 3rd has other sequencing rules and some LMSs refuse it; declare "
                f"{EDITIONS[1]!r} or {EDITIONS[0]!r}")
        elif value != text:
            self.report.warning(el, f"<schemaversion> has whitespace around {text!r}; remove it")

    def check_identifiers(self) -> None:
        seen: dict[str, etree._Element] = {}
        for el in self.root.iter(f"{{{IMSCP}}}manifest", f"{{{IMSCP}}}organization",
                                 f"{{{IMSCP}}}item", f"{{{IMSCP}}}resource"):
            ident = el.get("identifier")
            if ident is None:
                self.report.warning(el, f"<{local(el)}> has no identifier attribute (required "
                                    "by the IMS CP XSD)")
                continue
            if not NCNAME.fullmatch(ident):
                self.report.warning(
                    el, f"<{local(el)}> identifier {ident!r} is not a valid xs:ID (an XML name: "
                    "no spaces, commas or colons, not starting with a digit, '.' or '-'); "
                    "XSD-validating LMSs reject it")
            if ident in seen:
                self.report.warning(
                    el, f"identifier {ident!r} is also used on line "
                    f"{self.report.line(seen[ident])}; the XSD requires unique ids and LMSs "
                    "keep only one of them")
            seen.setdefault(ident, el)

    def check_resources(self) -> None:
        for res in self.root.iter(f"{{{IMSCP}}}resource"):
            ident = res.get("identifier")
            misspelt = self.check_scormtype_spelling(res, ident)
            kind = res.get(SCORMTYPE)
            if kind is None and not misspelt:
                self.report.warning(
                    res, f"resource {ident!r} has no adlcp:scormType (required by the SCORM "
                    "2004 XSD); LMSs treat it as an asset (no tracking)")
            elif kind is not None and kind not in ("sco", "asset"):
                hint = (": the value is case-sensitive, no spaces"
                        if kind.strip().lower() in ("sco", "asset") else "")
                self.report.warning(
                    res, f"resource {ident!r}: adlcp:scormType must be 'sco' or 'asset' (found "
                    f"{kind!r}{hint}); LMSs then treat it as an untracked asset")
            self.check_resource_files(res, ident, kind)
        self.check_locations()

    def check_scormtype_spelling(self, res: etree._Element, ident: str | None) -> bool:
        misspelt = self.misspelt_scormtypes(res)
        for qn in misspelt:
            where = "in the SCORM 2004 ADL namespace" if qn.namespace != ADLCP else "camel case"
            self.report.warning(
                res, f"resource {ident!r}: attribute {qn.localname!r} must be adlcp:scormType "
                f"({where}, {ADLCP}; 'scormtype' is SCORM 1.2's spelling); LMSs reading 2004 "
                "treat the resource as an untracked asset")
        return bool(misspelt)

    def chosen_organization(self) -> etree._Element | None:
        orgs = self.cp(self.root, "organizations")
        organizations = self.cp(orgs[0], "organization") if orgs else []
        if not organizations:
            return None
        default = orgs[0].get("default")
        by_id = {o.get("identifier"): o for o in organizations}
        if default in by_id:
            return by_id[default]
        self.report.warning(
            orgs[0], f"organizations default {default!r} names no <organization>; LMSs fall "
            "back to the first one" if default is not None
            else "<organizations> has no default attribute (required in SCORM 2004); LMSs use "
            "the first organization")
        return organizations[0]

    def check_launchable(self) -> list[etree._Element]:
        """Errors when the LMS has no SCO to launch; the launch file as Moodle resolves it.
        Returns the items that launch a SCO."""
        if not self.cp(self.root, "resources"):
            self.report.error(self.root, "no <resources> element: the LMS has nothing to launch")
        org = self.chosen_organization()
        if org is None:
            self.report.error(self.root, "no <organizations> with an <organization>: the LMS "
                              "has nothing to launch")
            return []
        launchable = self.launchable(org)
        if not launchable:
            self.report.error(org, f"organization {org.get('identifier')!r} has no item that "
                              "refers to a resource with an href: the LMS has nothing to launch")
            return []
        scos = self.scos(launchable)
        if not scos:
            self.report.error(
                org, f"no launchable SCO: the items of organization {org.get('identifier')!r} "
                'open only assets (no adlcp:scormType="sco"), so the LMS tracks nothing: no '
                "completion, no score")
        elif self.result.scos > 1:
            self.report.warning(
                scos[1][1], f"{self.result.scos} SCOs in one package; multi-SCO packages "
                "depend on the LMS's sequencing (Moodle has none) and some LMSs refuse them: "
                "prefer one SCO")
        return [i for i, _ in scos]

    def sequencing(self, el: etree._Element, name: str) -> etree._Element | None:
        """``name`` in el's <imsss:sequencing>, or in the sequencingCollection entry its IDRef
        names (the element on the activity wins, as the specification says)."""
        seq = _ss(el, "sequencing")
        found = _ss(seq, name)
        if found is None and seq is not None and seq.get("IDRef"):
            for shared in self.root.iter(f"{{{IMSSS}}}sequencingCollection"):
                for entry in shared:
                    if entry.get("ID") == seq.get("IDRef"):
                        found = _ss(entry, name)
        return found

    def check_sequencing(self, item: etree._Element) -> None:
        ident = item.get("identifier")
        delivery = self.sequencing(item, "deliveryControls")
        where = delivery if delivery is not None else item
        if not _true(delivery, "completionSetByContent"):
            self.report.warning(
                where, f"item {ident!r}: completionSetByContent is not \"true\" (the default "
                "is false): the LMS may mark the SCO completed as soon as it launches, whatever "
                'the learner does; add <imsss:deliveryControls completionSetByContent="true"/>')
        if not _true(delivery, "objectiveSetByContent"):
            self.report.warning(
                where, f"item {ident!r}: objectiveSetByContent is not \"true\" (the default is "
                "false): the LMS may mark the SCO satisfied (passed) as soon as it launches; add "
                '<imsss:deliveryControls objectiveSetByContent="true"/>')
        parent = item.getparent()
        control = self.sequencing(parent, "controlMode") if parent is not None else None
        if parent is not None and not _true(control, "flow"):
            self.report.warning(
                control if control is not None else parent,
                f"the parent of item {ident!r} has flow off (the default): an LMS that starts "
                "the course by flow has nothing to deliver and shows a menu or a blank page; add "
                '<imsss:controlMode flow="true"/> to its <imsss:sequencing>')
        objectives = self.sequencing(item, "objectives")
        primary = _ss(objectives, "primaryObjective")
        if _true(primary, "satisfiedByMeasure"):
            self.check_measure(primary, ident)

    def check_measure(self, primary: etree._Element, ident: str | None) -> None:
        measure = _ss(primary, "minNormalizedMeasure")
        if measure is None:
            self.report.warning(
                primary, f"item {ident!r}: satisfiedByMeasure without <imsss:minNormalizedMeasure>"
                ": the default is 1.0, so only a score of 100 % passes")
            return
        try:
            value = Decimal((measure.text or "").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not -1 <= value <= 1:
            self.report.warning(
                measure, f"minNormalizedMeasure {(measure.text or '').strip()!r} must be a "
                "decimal from -1 to 1 (the pass mark / 100); LMSs ignore it or judge mastery "
                "wrongly")
