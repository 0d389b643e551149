"""Build courses with the real CLI (as an author would), and unpack the result."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The build prints the worst-case learner state it computed; tests compare it with what the
# player really writes. Matched loosely (any wording around "largest ... state ... N") so a
# reworded message only breaks this if the number disappears.
_LARGEST_RE = re.compile(r"largest[^\n]*?state[^\n]*?:\s*([0-9][0-9,]*)", re.IGNORECASE)


REPO = Path(__file__).resolve().parents[2]


def cli() -> list[str]:
    """The real command line of THIS checkout: ``python -m scormbuild`` with the checkout first
    on PYTHONPATH (see ``cli_env``), whatever copy of scormbuild is installed. The installed
    console script itself is tested in tests/test_packaging.py."""
    return [sys.executable, "-m", "scormbuild"]


def cli_env() -> dict[str, str]:
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


@dataclass(frozen=True)
class Built:
    zip_path: Path
    stdout: str
    stderr: str
    largest_state: int | None  # the build's own worst-case suspend_data length, if printed


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cli(), *args], capture_output=True, text=True, timeout=timeout, check=False,
        env=cli_env(),
    )


def build_course(src: Path, out: Path, *extra: str) -> Built:
    """``scormbuild build SRC -o OUT``; returns the one SCORM 1.2 zip it wrote."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.zip"))
    proc = run_cli("build", str(src), "-o", str(out), *extra)
    if proc.returncode != 0:
        raise AssertionError(
            f"scormbuild build {src} failed with exit {proc.returncode}:\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    zips = sorted(set(out.glob("*scorm12*.zip")) - before) or sorted(out.glob("*scorm12*.zip"))
    if len(zips) != 1:
        raise AssertionError(f"expected one SCORM 1.2 zip in {out}, found {zips}")
    m = _LARGEST_RE.search(proc.stdout + "\n" + proc.stderr)
    largest = int(m.group(1).replace(",", "")) if m else None
    return Built(zips[0], proc.stdout, proc.stderr, largest)


def outline(src: Path) -> dict[str, Any]:
    """``scormbuild outline SRC --json``: the course key and structure the walker follows."""
    proc = run_cli("outline", str(src), "--json")
    if proc.returncode != 0:
        raise AssertionError(f"scormbuild outline failed:\n{proc.stdout}\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def unzip(zip_path: Path, dest: Path) -> Path:
    """Extract a package we built ourselves (trusted) into ``dest``; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = (dest / info.filename).resolve()
            # Even our own zips get the traversal check: a bug must not write outside tmp.
            if dest.resolve() not in target.parents and target != dest.resolve():
                raise AssertionError(f"zip entry escapes the folder: {info.filename}")
        zf.extractall(dest)
    return dest


def mastery_score(sco_dir: Path) -> str | None:
    """adlcp:masteryscore from the unpacked manifest: an LMS hands it to the SCO as
    cmi.student_data.mastery_score, so the harness must too."""
    from lxml import etree  # runtime dependency of scormbuild itself

    tree = etree.parse(str(sco_dir / "imsmanifest.xml"))
    adlcp = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    values = tree.xpath("//adlcp:masteryscore/text()", namespaces={"adlcp": adlcp})
    return str(values[0]).strip() if values else None


def assert_build_refused(src: Path, out: Path, expected: str) -> None:
    """``scormbuild build SRC -o OUT`` fails with a message matching the regex ``expected``,
    no traceback, and no package written."""
    proc = run_cli("build", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert re.search(expected, proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.iterdir())
