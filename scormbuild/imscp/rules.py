"""The manifest rules SCORM 1.2 and SCORM 2004 share, as IMS content packages: the root
element, the XSD's child order of the CP elements, items that name no resource, the files a
resource lists, the launch files of the default organization, unlisted files. Each standard's
checks (scorm12/rules.py, scorm2004/rules.py) subclass ``CpChecks``, set its class variables
from their spec.py, and keep what they judge differently (identifiers, scormtype, the
organization chosen, metadata, mastery, sequencing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from lxml import etree

from scormbuild.pkgcheck import order
from scormbuild.pkgcheck.files import FileIndex, check_launch, standard_path
from scormbuild.pkgcheck.xmlsafe import Reporter, local

MANIFEST = "imsmanifest.xml"

# The CP elements' children in XSD order, the same in IMS CP 1.1.2 (imscp_rootv1p1p2.xsd,
# SCORM 1.2) and 1.1.4 (imscp_v1p1.xsd, SCORM 2004); every model ends with "any element of
# another namespace". Names in CP_REPEATS may occur more than once. LMSs ignore order, so a
# slip is a warning: a <metadata> inside <resources> (some tools put one there), or an ADL
# element before an item's <metadata>.
CP_MODELS: dict[str, tuple[str, ...]] = {
    "manifest": ("metadata", "organizations", "resources", "manifest"),
    "metadata": ("schema", "schemaversion"),
    "organizations": ("organization",),
    "organization": ("title", "item", "metadata"),
    "item": ("title", "item", "metadata"),
    "resources": ("resource",),
    "resource": ("metadata", "file", "dependency"),
    "file": ("metadata",),
    "dependency": (),
}
CP_REPEATS = {"organization", "item", "resource", "file", "dependency", "manifest"}


@dataclass
class CpResult:
    """What the summary line reports."""

    launch: str | None = None
    scos: int = 0


@dataclass
class CpChecks:
    """The rules on one parsed manifest; problems go to ``report``. A subclass sets the class
    variables and writes ``run``."""

    standard: ClassVar[str] = ""  # "SCORM 1.2", as messages name it
    imscp: ClassVar[str] = ""
    adlcp: ClassVar[str] = ""
    xsi: ClassVar[str] = ""
    scormtype: ClassVar[str] = ""  # Clark name of the resource's scormtype attribute
    # The warning for a SCO whose href is a URL, with {ident} and {href}.
    remote_sco: ClassVar[str] = ""

    root: etree._Element
    report: Reporter
    files: FileIndex
    max_listed_warnings: int
    resources: dict[str, etree._Element] = field(default_factory=dict)
    result: CpResult = field(default_factory=CpResult)

    def cp(self, el: etree._Element, name: str) -> list[etree._Element]:
        """The IMS CP children ``name`` of ``el``."""
        return [c for c in el if isinstance(c.tag, str) and c.tag == f"{{{self.imscp}}}{name}"]

    def check_root(self) -> bool:
        """False (after an error) when the root is no CP <manifest>: nothing else to check."""
        root = self.root
        if local(root) != "manifest":
            self.report.error(root, f"the root element is <{local(root)}>, expected <manifest>: "
                              "LMSs cannot import it")
            return False
        ns = etree.QName(root).namespace
        if ns != self.imscp:
            self.report.error(
                root, f"<manifest> is in namespace {ns or '(none)'}; a {self.standard} manifest "
                f'has the default namespace xmlns="{self.imscp}" (LMSs that read namespaces '
                "find no course)")
            return False
        return True

    def check_cp_order(self) -> None:
        order.check_order(self.root, self.report, self.imscp, CP_MODELS, CP_REPEATS, "IMS CP")

    def index_resources(self) -> None:
        """``resources`` by identifier (the first of a repeated one)."""
        for res in self.root.iter(f"{{{self.imscp}}}resource"):
            ident = res.get("identifier")
            if ident and ident not in self.resources:
                self.resources[ident] = res

    def check_items(self) -> None:
        for item in self.root.iter(f"{{{self.imscp}}}item"):
            ref = item.get("identifierref")
            if ref is not None and ref not in self.resources:
                self.report.error(
                    item, f"item {item.get('identifier')!r}: identifierref {ref!r} names no "
                    "<resource>: the LMS has nothing to launch for this item")

    def misspelt_scormtypes(self, res: etree._Element) -> list[etree.QName]:
        """The attributes of ``res`` named scormtype in another case or namespace than the
        standard's own spelling: LMSs ignore them and the resource becomes an asset."""
        return [qn for key in res.attrib
                if (qn := etree.QName(key)).localname.lower() == "scormtype"
                and qn.text != self.scormtype]

    def check_resource_files(self, res: etree._Element, ident: str | None,
                             kind: str | None) -> None:
        """A resource's href (a SCO must have one) and the files it lists."""
        href = res.get("href")
        if kind == "sco" and not href:
            self.report.error(res, f"resource {ident!r} is a SCO but has no href (launch "
                              "file): the LMS cannot launch it")
        if href:
            ref = standard_path(res, href)
            if ref.remote and kind == "sco":
                self.report.warning(res, self.remote_sco.format(ident=ident, href=href))
            self.files.check(self.report, res, ref, f"resource {ident!r} href")
        for f in self.cp(res, "file"):
            fhref = f.get("href")
            if fhref:
                self.files.check(self.report, f, standard_path(f, fhref), "<file> href")
            else:
                self.report.warning(f, f"<file> in resource {ident!r} has no href")

    def check_locations(self) -> None:
        """Metadata files referenced with adlcp:location are part of the package too."""
        for loc in self.root.iter(f"{{{self.adlcp}}}location"):
            text = (loc.text or "").strip()
            if text:
                self.files.check(self.report, loc, standard_path(loc, text), "adlcp:location")

    def launchable(self, org: etree._Element) -> list[tuple[etree._Element, etree._Element]]:
        """The items of ``org`` that launch a resource with an href, with that resource; each
        launch file as Moodle resolves it checked, the first one reported."""
        found = [
            (item, self.resources[ref])
            for item in org.iter(f"{{{self.imscp}}}item")
            if (ref := item.get("identifierref")) in self.resources
            and self.resources[ref].get("href")
        ]
        for item, res in found:
            what = (f"resource {res.get('identifier')!r} (launched by item "
                    f"{item.get('identifier')!r})")
            path = check_launch(self.report, self.files, res, what)
            if self.result.launch is None:
                self.result.launch = path or res.get("href")
        return found

    def scos(self, launchable: list[tuple[etree._Element, etree._Element]],
             ) -> list[tuple[etree._Element, etree._Element]]:
        """The launchable items whose resource is a SCO; their count is reported."""
        scos = [(i, r) for i, r in launchable if r.get(self.scormtype) == "sco"]
        self.result.scos = len({id(r) for _, r in scos})
        return scos

    def warn_unlisted(self) -> None:
        """Files of the zip the manifest does not list (but for the manifest and the XSDs its
        schemaLocation names)."""
        exempt = {MANIFEST, *self.root.get(f"{{{self.xsi}}}schemaLocation", "").split()[1::2]}
        self.files.warn_unlisted(self.report, exempt, self.max_listed_warnings)
