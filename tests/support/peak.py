"""Run a command and measure its own peak memory (RSS), independently of the test process.

ru_maxrss of a child forked straight from pytest starts at pytest's own size (Linux keeps the
forked copy's high-water mark across exec), so a large test session would be blamed on the
command. A small Python in between forks the command instead; its RUSAGE_CHILDREN is then
the command's own peak.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

_WRAPPER = (
    "import resource, subprocess, sys\n"
    "limit = int(sys.argv[2])\n"
    "cap = (lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))) if limit else None\n"
    "code = subprocess.run(sys.argv[3:], preexec_fn=cap).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_bytes: int


def run_measured(command: list[str], env: dict[str, str] | None = None, timeout: float = 120,
                 address_space: int = 0) -> Measured:
    """``command`` with stdin closed; ``address_space`` (bytes, 0: none) caps the command so
    that a regression fails as a MemoryError instead of exhausting the machine."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak"
        proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(report), str(address_space),
                               *command], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, env=env, timeout=timeout, check=False)
        peak_kib = int(report.read_text()) if report.exists() else 0
    return Measured(proc.returncode, proc.stdout, proc.stderr, peak_kib * 1024)
