"""Shared by the validator tests: a good SCORM 1.2 manifest, zip builders, and ``check``.

Every zip is built with zipfile. Each validation runs inside ``nothing_written``, which proves the
validator wrote nothing at all: a Python audit hook records every file opened for writing, every
folder made and every rename/link/removal during the call, and the whole test folder (holding
the working directory and the zip) is compared before and after.
"""

from __future__ import annotations

import os
import sys
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scormbuild.problems import Problem
from scormbuild.validate import Limits, has_errors, validate_package

MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com-example-course" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title><imsmd:langstring xml:lang="en">Widgets</imsmd:langstring></imsmd:title>
        <imsmd:description>
          <imsmd:langstring xml:lang="en">A short course about widgets.</imsmd:langstring>
        </imsmd:description>
      </imsmd:general>
    </imsmd:lom>
  </metadata>
  <organizations default="org-widgets">
    <organization identifier="org-widgets">
      <title>Widgets</title>
      <item identifier="item-widgets" identifierref="res-widgets">
        <title>Widgets</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-widgets" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="player/player.js"/>
    </resource>
  </resources>
</manifest>
"""

CONTENT = {"index.html": b"<!doctype html><title>Widgets</title>", "player/player.js": b"1;"}


def make_zip(path: Path, entries: dict[str, bytes] | list[tuple[str | zipfile.ZipInfo, bytes]]):
    items = list(entries.items()) if isinstance(entries, dict) else entries
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we build
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in items:
                zf.writestr(name, data)
    return path


def package(path: Path, manifest: str = MANIFEST, **extra: bytes) -> Path:
    """A package with the given manifest text and the default content files."""
    return make_zip(path, {"imsmanifest.xml": manifest.encode(), **CONTENT, **extra})


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


# -- proving nothing is written -----------------------------------------------------------------

_WRITE_EVENTS = {
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.symlink",
    "os.link",
    "os.remove",
    "os.rmdir",
    "os.truncate",
    "os.chmod",
    "shutil.copyfile",
    "shutil.move",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
}
_recorded: list[tuple[str, tuple[object, ...]]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _recorded is None:
        return
    if event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        if str(path).endswith(".pyc"):
            return  # the interpreter's own bytecode cache, not the validator
        writes = isinstance(mode, str) and any(c in mode for c in "wax+")
        if mode is None and isinstance(flags, int):
            writes = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
        if writes:
            _recorded.append((event, args))
    elif event in _WRITE_EVENTS:
        _recorded.append((event, args))


# Audit hooks cannot be removed, so one hook is installed per process and switched on and off.
sys.addaudithook(_audit)


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@contextmanager
def nothing_written(folder: Path, *elsewhere: Path) -> Iterator[None]:
    global _recorded
    before = _tree(folder)
    _recorded = []
    try:
        yield
        writes = list(_recorded)
    finally:
        _recorded = None
    assert writes == [], f"the validator wrote: {writes}"
    assert _tree(folder) == before
    for path in elsewhere:
        assert not path.exists(), path


def check(zip_path: Path, *elsewhere: Path, limits: Limits | None = None) -> list[Problem]:
    with nothing_written(zip_path.parent, *elsewhere):
        if limits is None:
            return validate_package(zip_path)
        return validate_package(zip_path, limits)


def messages(problems: list[Problem], severity: str = "error") -> list[str]:
    return [str(p) for p in problems if p.severity == severity]


def assert_error(problems: list[Problem], expected: str) -> None:
    errors = messages(problems)
    assert any(expected in m for m in errors), f"{expected!r} not in {errors}"




def warnings_of(problems: list[Problem]) -> list[str]:
    assert not has_errors(problems), messages(problems)
    return messages(problems, "warning")
