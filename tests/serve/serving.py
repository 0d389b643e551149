"""Run `scormbuild serve` as a real subprocess of this checkout and read what it prints."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.build import cli, cli_env

URL_RE = re.compile(r"serving .* at (http://\S+/) ")


@dataclass
class Serve:
    """One `scormbuild serve` process; ``lines`` collects stdout and stderr as they come."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    output: list[str] = field(default_factory=list)
    url: str = ""

    @classmethod
    def start(cls, *args: str, cache_dir: Path, wait_url: bool = True) -> Serve:
        env = {**cli_env(), "SCORMBUILD_CACHE_DIR": str(cache_dir), "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen([*cli(), "serve", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=env)
        serve = cls(proc)
        threading.Thread(target=serve._read, daemon=True).start()
        if wait_url:
            line = serve.wait_for(URL_RE, timeout=30)
            serve.url = URL_RE.search(line).group(1)  # type: ignore[union-attr]
        return serve

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: re.Pattern[str] | str, timeout: float = 15) -> str:
        """The next printed line matching ``pattern`` (earlier lines are kept in ``output``)."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.output.append(line)
            if regex.search(line):
                return line
        raise AssertionError(f"serve never printed {regex.pattern!r}; output:\n"
                             + "\n".join(self.output))

    def drain(self) -> list[str]:
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return self.output

    def interrupt(self, timeout: float) -> tuple[int, float]:
        """Ctrl-C as a terminal sends it; (exit status, seconds it took to exit)."""
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - t0

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
