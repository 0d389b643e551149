"""The certificate's design (issue 11, point 8): a framed page with an h1 title, the provider's
logo and the signer from ``ce.certificate``; portrait by default, landscape on request; and a
course whose certificate fields still hold placeholders gets a "not for issue" watermark and a
build warning, while ``build --strict`` refuses it. Real builds, real Chromium (standalone
player, printed with page.pdf).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page
from support.build import assert_build_refused, build_course, outline, run_cli, unzip
from support.env import SAMPLE_COURSE
from support.server import StaticServer
from support.walker import Walker
from ux_audit import axe_violations, flagship_copy

pytestmark = pytest.mark.browser

SIGNER = {"name": "Dr. Rowan Example", "title": "Director of Continuing Education"}


def sample_with(dest: Path, certificate: dict[str, Any] | None) -> Path:
    shutil.copytree(SAMPLE_COURSE, dest)
    path = dest / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if certificate is not None:
        data["ce"]["certificate"] = certificate
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Three packages: the sample in portrait (default) and landscape with logo and signer,
    and the flagship with its placeholders."""
    work = tmp_path_factory.mktemp("certificates")
    out: dict[str, Any] = {"servers": []}
    courses = {
        "portrait": sample_with(work / "portrait", {"logo": "assets/gear.svg", "signer": SIGNER}),
        "landscape": sample_with(work / "landscape", {"orientation": "landscape",
                                                      "logo": "assets/gear.svg",
                                                      "signer": SIGNER}),
        "draft": flagship_copy(work / "draft"),
    }
    for name, src in courses.items():
        built = build_course(src, work / f"dist-{name}")
        server = StaticServer(root=unzip(built.zip_path, work / f"sco-{name}"))
        out["servers"].append(server)
        out[name] = (server.url("/index.html"), outline(src), built)
    try:
        yield out
    finally:
        for server in out["servers"]:
            server.stop()


def issued(chromium: Browser, url: str, course: dict[str, Any], width: int = 1100) -> Page:
    page = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(url)
    walker = Walker(page, course, fast=True)
    walker.wait_ready()
    assert walker.walk_course() == "passed"
    page.check("input[data-attestation]")
    page.locator("input[data-learner-name]").fill("Jane Doe")
    page.wait_for_selector("[data-certificate]")
    return page


def media_box(pdf: bytes) -> tuple[float, float]:
    m = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", pdf)
    assert m, "no MediaBox in the PDF"
    return float(m.group(1)), float(m.group(2))


def test_certificate_has_a_title_logo_and_signer_and_prints_portrait_on_one_page(
        chromium: Browser, served: dict[str, Any]) -> None:
    url, course, built = served["portrait"]
    assert "placeholder" not in built.stderr.lower()
    page = issued(chromium, url, course)
    try:
        cert = page.locator("[data-certificate]")
        title = cert.get_by_role("heading", level=1)
        assert title.inner_text() == "Certificate of completion"
        logo = cert.locator("img")
        assert logo.get_attribute("src") == "assets/gear.svg"
        assert logo.get_attribute("alt") == "Example CE Provider"
        assert logo.evaluate("img => img.naturalWidth") > 0
        signer = cert.locator("[data-signer]").inner_text()
        assert SIGNER["name"] in signer and SIGNER["title"] in signer
        assert "Authorized signature" in signer
        assert cert.locator("[data-not-for-issue]").count() == 0
        assert axe_violations(page) == []
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
        w, h = media_box(pdf)
        assert h > w, "portrait by default"
        # The design fills the sheet: the printed certificate is most of the page's height.
        page.emulate_media(media="print")
        frac = page.evaluate("""() => document.querySelector('[data-certificate]')
            .getBoundingClientRect().height / window.innerHeight""")
        assert frac > 0.9, frac
    finally:
        page.context.close()


def test_landscape_is_an_option(chromium: Browser, served: dict[str, Any]) -> None:
    url, course, _ = served["landscape"]
    page = issued(chromium, url, course)
    try:
        assert page.get_attribute("[data-certificate]", "data-orientation") == "landscape"
        pdf = page.pdf(format="Letter", prefer_css_page_size=True)
        w, h = media_box(pdf)
        assert w > h, "ce.certificate.orientation: landscape prints landscape"
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    finally:
        page.context.close()


def test_placeholders_never_print_and_mark_the_certificate_not_for_issue(
        chromium: Browser, served: dict[str, Any]) -> None:
    url, course, built = served["draft"]
    assert "placeholder remains on the certificate" in built.stderr
    assert "not for issue" in built.stderr
    page = issued(chromium, url, course, width=375)
    try:
        cert = page.locator("[data-certificate]")
        text = cert.inner_text()
        assert "PLACEHOLDER" not in text and "[[" not in text
        assert cert.locator("[data-not-for-issue]").is_visible()
        assert "Not for issue" in cert.locator("[data-not-for-issue]").inner_text()
        mark = page.evaluate("""() => getComputedStyle(
            document.querySelector('[data-certificate]'), '::after').content""")
        assert "NOT FOR ISSUE" in mark
        page.emulate_media(media="print")
        assert cert.locator("[data-not-for-issue]").is_visible()
    finally:
        page.context.close()


def test_strict_build_refuses_a_certificate_with_placeholders(tmp_path: Path) -> None:
    src = flagship_copy(tmp_path / "course")
    out = tmp_path / "dist"
    proc = run_cli("build", str(src), "-o", str(out), "--strict")
    assert proc.returncode == 1
    assert re.search(r"course\.yaml:\d+:\d+: placeholder remains on the certificate",
                     proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.iterdir())
    # The sample (no placeholders) builds with --strict.
    ok = run_cli("build", str(SAMPLE_COURSE), "-o", str(out), "--strict")
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("certificate,expected", [
    ({"logo": "assets/none.png"}, r"course\.yaml:\d+:\d+: logo 'assets/none.png' names a missing"),
    ({"logo": "../outside.png"}, r"course\.yaml:\d+:\d+: logo '../outside.png' points outside"),
    ({"logo": "assets/care-sheet.txt"}, r"course\.yaml:\d+:\d+: logo .* must be an image"),
    ({"orientation": "sideways"}, r"course\.yaml:\d+:\d+: 'orientation' in ce.certificate must "
                                  r"be one of portrait, landscape"),
    ({"signer": {"title": "Director"}}, r"course\.yaml:\d+:\d+: ce.certificate.signer is "
                                        r"missing 'name'"),
])
def test_bad_certificate_keys_are_named_with_their_place(
        tmp_path: Path, certificate: dict[str, Any], expected: str) -> None:
    assert_build_refused(sample_with(tmp_path / "course", certificate), tmp_path / "dist",
                         expected)
