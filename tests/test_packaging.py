"""A plain (non-editable) install ships the templates: the wheel works away from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO, SAMPLE


def test_wheel_ships_templates_and_builds_a_course(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("scormbuild-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    assert (site / "scormbuild" / "templates" / "player" / "player.js").is_file()
    # Run from an unrelated folder with only the installed copy importable.
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = [sys.executable, "-c", "from scormbuild.commands.cli import main; main()"]
    probe = subprocess.run([sys.executable, "-c", "import scormbuild; print(scormbuild.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(site))
    init = subprocess.run([*run, "init", "course"], env=env, cwd=tmp_path, capture_output=True,
                          text=True)
    assert init.returncode == 0, init.stderr
    built = subprocess.run([*run, "build", str(SAMPLE), "-o", "dist"], env=env, cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "dist" / "sample-course-2.1.0-scorm12.zip").is_file()
