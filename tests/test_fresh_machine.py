"""The README's two commands, typed into a fresh Debian shell.

A fresh machine here means: a clean copy of this checkout (only the files git would clone), the
system ``/usr/bin/python3`` that Debian marks "externally managed" (PEP 668), no ``python``
command, an empty HOME (no pip or npm cache, no user config) and no inherited environment but
the machine's network settings (its CA bundle and proxies). The commands are read from the
README, so the test and the README cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from support.env import REPO_ROOT, missing_tool

SYSTEM_PYTHON = Path("/usr/bin/python3")
FRESH_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
# What a fresh machine's network needs (this workplace reaches the registries through its own CA
# bundle); nothing here says anything about Python, pip or npm.
NETWORK_VARS = ("SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "PIP_CERT",
                "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
                "http_proxy", "https_proxy", "no_proxy")


def readme_commands() -> list[str]:
    """The ```sh blocks of the README's first screen (before the first rule), in order."""
    first_screen = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("\n---\n")[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", first_screen, re.DOTALL)]


def clean_clone(dest: Path) -> Path:
    """The files a clone of this checkout would have: tracked plus new, never ignored ones
    (no .venv, node_modules, dist or caches), so what is tested is the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO_ROOT / name
        if source.is_file():  # deleted-but-tracked files are not in a clone either
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def fresh_env(home: Path) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": FRESH_PATH, "LANG": "C.UTF-8", "TERM": "dumb"}
    env.update({k: os.environ[k] for k in NETWORK_VARS if k in os.environ})
    if "CI" in os.environ:
        env["CI"] = os.environ["CI"]
    return env


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if not SYSTEM_PYTHON.exists():
        missing_tool(f"{SYSTEM_PYTHON} (a Debian system Python) not found")
    stdlib = subprocess.run([str(SYSTEM_PYTHON), "-c",
                             "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not (Path(stdlib) / "EXTERNALLY-MANAGED").exists():
        missing_tool(f"{SYSTEM_PYTHON} is not marked externally managed (not a Debian python3)")
    home = tmp_path_factory.mktemp("home")
    env = fresh_env(home)
    # The conditions of the issue, checked rather than assumed.
    assert shutil.which("python", path=FRESH_PATH) is None, "a `python` command is on PATH"
    assert shutil.which("python3", path=FRESH_PATH) == str(SYSTEM_PYTHON)
    assert list(home.iterdir()) == []
    return clean_clone(tmp_path_factory.mktemp("clone")), env


def run_shell(command: str, cwd: Path, env: dict[str, str], timeout: float) -> str:
    proc = subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, (
        f"`{command}` failed with exit {proc.returncode}:\n{proc.stdout[-3000:]}\n"
        f"{proc.stderr[-3000:]}"
    )
    return proc.stdout + proc.stderr


def test_the_readme_gives_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2, commands
    install, tests = commands
    assert "scormbuild build" in install
    assert "pytest" in tests
    # CI runs exactly the README's test command.
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_install_and_build_on_a_fresh_debian(fresh: tuple[Path, dict[str, str]]) -> None:
    clone, env = fresh
    install, _ = readme_commands()
    # The system pip refuses to install, which is why the command must not rely on it.
    refused = subprocess.run([str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "."],
                             cwd=clone, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    run_shell(install, clone, env, timeout=600)
    course = yaml.safe_load((clone / "course_src" / "course.yaml").read_text(encoding="utf-8"))
    package = clone / "dist" / f"{course['id']}-{course['version']}-scorm12.zip"
    assert package.is_file(), sorted(p.name for p in (clone / "dist").iterdir())
    with zipfile.ZipFile(package) as archive:
        assert "imsmanifest.xml" in archive.namelist()
        assert "index.html" in archive.namelist()


def test_test_command_on_a_fresh_debian(fresh: tuple[Path, dict[str, str]]) -> None:
    """The README's test command, run on one quick test file (running the whole suite from
    inside the suite would test nothing more and take as long again)."""
    clone, env = fresh
    _, tests = readme_commands()
    output = run_shell(f"{tests} -q -p no:cacheprovider tests/player/test_state_codec.py",
                       clone, env, timeout=1200)
    assert re.search(r"\b[1-9][0-9]* passed\b", output), output[-2000:]
    assert " skipped" not in output, output[-2000:]
    venv_python = clone / ".venv" / "bin" / "python"
    where = subprocess.run(
        [str(venv_python), "-c", "import scormbuild, playwright; print(scormbuild.__file__)"],
        cwd="/", env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(clone.resolve())  # editable, this clone's code
