"""The certificate in xAPI, end to end: the real player in Chromium against the real LRS.

Walk the sample course to a pass with the evaluation: the course ``completed`` goes out (no
certificate yet, the attestation is missing); the attestation then issues the certificate,
which goes out as Tin Can ``earned`` on the course with ``<course IRI>/extension/certificate``
= the id and the date the certificate shows; every statement passes
@learninglocker/xapi-validation; and ``scormbuild xapi records`` reports that registration
with the certificate. With neither evaluation nor attestation required, passing issues the
certificate and completes the course at once: the certificate is then a result extension of
the one ``completed``, and no ``earned`` follows.
The package, LRS, proxy and launch helpers are those of tests/browser/test_xapi_player.py.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.env import require_module

# Playwright missing: skipped locally, a failure when CI is set (support.env).
require_module("playwright.sync_api")

from playwright.sync_api import BrowserContext  # noqa: E402
from support.env import REPO_ROOT, SAMPLE_COURSE  # noqa: E402
from support.server import StaticServer  # noqa: E402

import tests.browser.test_xapi_player as xp  # noqa: E402
from scormbuild.xapi.vocabulary import EARNED  # noqa: E402
from tests.helpers import run_cli  # noqa: E402
from tests.xapi.conftest import LrsServer  # noqa: E402

xapi_zip, package, proxy, context, base_iri = (xp.xapi_zip, xp.package, xp.proxy, xp.context,
                                               xp.base_iri)

pytestmark = pytest.mark.browser


def _verb(s: dict[str, Any]) -> str:
    return str(s["verb"]["id"]).rsplit("/", 1)[-1]


def _certificate_then_statements(walker: Any, learner: Any, lrs: Any, registration: str,
                                 xapi_validate: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """Read the shown certificate, leave, and return every statement of the registration
    once the LRS has them all (each checked by the reference validator)."""
    cert = walker.loc("[data-certificate-id]").first
    cert.wait_for(timeout=10_000)
    cert_id = cert.get_attribute("data-certificate-id")
    issued = walker.loc("[data-certificate] [data-date]").first.get_attribute("data-date")
    assert cert_id and issued
    learner.exit()
    learner.wait_drained(20)
    got = xp.wait_for_statements(lrs, registration, lambda g: any(
        _verb(s) == "terminated" for s in g))
    learner.assert_clean()
    warnings = xapi_validate(got)
    assert {s["id"]: w for s, w in zip(got, warnings, strict=True) if w} == {}
    return cert_id, issued, got


def test_certificate_is_sent_as_earned_and_read_by_records(
    context: BrowserContext,
    package: StaticServer,
    lrs: LrsServer,
    proxy: Any,
    sample_outline: dict[str, Any],
    base_iri: str,
    xapi_validate: Any,
    tmp_path: Path,
) -> None:
    registration = str(uuid.uuid4())
    learner = xp.Learner(context, sample_outline).open(
        xp.launch_url(package, proxy.url("xAPI/"), registration))
    walker = learner.walker
    assert walker.walk_course() == "passed"
    walker.goto("course:completion")
    walker.loc("input[data-attestation]").check()
    cert_id, issued, got = _certificate_then_statements(walker, learner, lrs, registration,
                                                        xapi_validate)
    key = f"{base_iri}/extension/certificate"
    completed = [s for s in got if _verb(s) == "completed" and s["object"]["id"] == base_iri]
    assert len(completed) == 1  # the completion is sent once, before the certificate
    assert key not in (completed[0]["result"].get("extensions") or {})
    (earned,) = [s for s in got if s["verb"]["id"] == EARNED]
    assert earned["object"]["id"] == base_iri
    assert earned["verb"]["display"] == {"en-US": "earned"}
    assert earned["result"]["extensions"][key] == {"id": cert_id, "issued": issued}
    assert earned["context"]["registration"] == registration

    out = tmp_path / "roster.csv"
    result = run_cli("xapi", "records", "--activity", base_iri, "--endpoint", lrs.endpoint,
                     "--user", "test", "--password", "test", "-o", out)
    assert result.returncode == 0, result.stderr
    (row,) = [r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
              if r["registration"] == registration]
    assert (row["name"], row["identifier"]) == (xp.ACTOR["name"], xp.ACTOR["mbox"])
    assert (row["passed"], row["attempts"], row["evaluation_done"]) == ("yes", "1", "yes")
    assert (row["certificate_id"], row["certificate_issued"]) == (cert_id, issued)
    assert row["start"] and row["completion"] and row["seat_time"]


@pytest.fixture(scope="module")
def lenient_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course with neither evaluation nor attestation required, built as xAPI."""
    work = tmp_path_factory.mktemp("lenient")
    src = Path(shutil.copytree(SAMPLE_COURSE, work / "course"))
    data = yaml.safe_load((src / "course.yaml").read_text(encoding="utf-8"))
    data["completion"] = {"evaluation_required": False, "attestation_required": False}
    (src / "course.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scormbuild", "build", str(src), "-o",
                           str(work / "dist"), "--target", "xapi"], cwd=REPO_ROOT,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (zip_path,) = (work / "dist").glob("*-xapi.zip")
    with zipfile.ZipFile(zip_path) as zf:
        assert b"course:certificate" in zf.read("player/player.js")
    return zip_path


def test_certificate_issued_with_the_completion_rides_on_it(
    context: BrowserContext,
    lenient_zip: Path,
    unpack: Callable[[Path], Path],
    static_server: Callable[..., StaticServer],
    lrs: LrsServer,
    proxy: Any,
    sample_outline: dict[str, Any],
    base_iri: str,
    xapi_validate: Any,
) -> None:
    served = static_server(unpack(lenient_zip))
    registration = str(uuid.uuid4())
    learner = xp.Learner(context, sample_outline).open(
        xp.launch_url(served, proxy.url("xAPI/"), registration))
    walker = learner.walker
    assert walker.walk_course(evaluate=False) == "passed"
    walker.goto("course:completion")
    cert_id, issued, got = _certificate_then_statements(walker, learner, lrs, registration,
                                                        xapi_validate)
    (completed,) = [s for s in got if _verb(s) == "completed" and s["object"]["id"] == base_iri]
    assert completed["result"]["extensions"][f"{base_iri}/extension/certificate"] == {
        "id": cert_id, "issued": issued}
    assert completed["result"]["success"] is True
    assert not [s for s in got if s["verb"]["id"] == EARNED]
