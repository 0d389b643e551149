"""The preview's SCORM 1.2 runtime answers like scorm-again plus Moodle's rules (the oracle).

lms12_oracle.mjs feeds the same call sequences, valid and invalid, to scorm-again's
Scorm12API (from tests/tools/node_modules) and to templates/preview/lms12.js and reports every
call where the error codes differ; the deliberate differences (scorm-again more lenient than
SCORM 1.2 itself) are listed there with both answers.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.env import REPO_ROOT, node

ORACLE = Path(__file__).with_name("lms12_oracle.mjs")
RUNTIME = REPO_ROOT / "templates" / "preview" / "lms12.js"


@pytest.fixture(scope="module")
def report(npm_tools: Path) -> dict[str, Any]:
    proc = subprocess.run([node(), str(ORACLE), str(npm_tools), str(RUNTIME)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_same_error_codes_as_scorm_again_with_moodle_rules(report: dict[str, Any]) -> None:
    assert report["calls"] > 100
    assert not report["mismatches"], json.dumps(report["mismatches"], indent=1)


def test_documented_deviations_still_hold(report: dict[str, Any]) -> None:
    wrong = [d for d in report["deviations"] if d["expected"] != d["got"]]
    assert not wrong, json.dumps(wrong, indent=1)


def test_limits_are_the_real_ones(report: dict[str, Any]) -> None:
    """The runtime refuses what Moodle refuses, with the reason in the diagnostic."""
    script = """
      const L = require(process.argv[1]);
      const s = L.session({});
      s.api.LMSInitialize('');
      const out = [];
      for (const [k, v] of [['cmi.suspend_data', 'x'.repeat(4096)],
                            ['cmi.suspend_data', 'x'.repeat(4097)],
                            ['cmi.core.lesson_location', 'x'.repeat(256)],
                            ['cmi.core.session_time', '1:01:23'],
                            ['cmi.core.session_time', '0001:01:23.5']]) {
        const ret = s.api.LMSSetValue(k, v);
        out.push([k, v.length, ret, s.api.LMSGetLastError(), s.api.LMSGetDiagnostic('')]);
      }
      console.log(JSON.stringify(out));
    """
    proc = subprocess.run([node(), "-e", script, str(RUNTIME)], capture_output=True, text=True,
                          timeout=30, check=True)
    rows = json.loads(proc.stdout)
    assert [r[2:4] for r in rows] == [["true", "0"], ["false", "405"], ["false", "405"],
                                      ["false", "405"], ["true", "0"]]
    assert "4,097 characters, the limit is 4,096" in rows[1][4]
    assert "CMITimespan" in rows[3][4]
