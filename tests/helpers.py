"""Small helpers shared by the tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "courses" / "sample"
REPO = Path(__file__).parent.parent


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as an author would."""
    return subprocess.run(
        [sys.executable, "-m", "scormbuild", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )


def build_package(src: Path, out: Path, target: str, *also: str) -> Path:
    """``scormbuild build SRC -o OUT -t TARGET [-t ALSO...]``: the TARGET zip it wrote."""
    args = [a for t in (target, *also) for a in ("-t", t)]
    result = run_cli("build", src, "-o", out, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    (zip_path,) = out.glob(f"*-{target}.zip")
    return zip_path


def copy_course(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (computed from the file itself)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}
