"""Exports for CE approvers, checked against the course source (not against our own output)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import yaml

from tests.helpers import SAMPLE, run_cli


def _source_questions() -> list[dict]:
    post = yaml.safe_load((SAMPLE / "posttest.yaml").read_text())["questions"]
    course = yaml.safe_load((SAMPLE / "course.yaml").read_text())
    kc = []
    for folder in course["modules"]:
        module = yaml.safe_load((SAMPLE / "modules" / folder / "module.yaml").read_text())
        kc += module.get("knowledge_check", [])
    return post + kc


def _expected_key(q: dict) -> str:
    if q["type"] == "true-false":
        return "True" if q["correct"] is True else "False"
    if q["type"] == "matching":
        src = {c["id"]: c["text"] for c in q["sources"]}
        tgt = {c["id"]: c["text"] for c in q["targets"]}
        return "; ".join(f"{src[s]} -> {tgt[t]}" for s, t in q["correct"].items())
    letters = {c["id"]: (chr(65 + i), c["text"]) for i, c in enumerate(q["choices"])}
    correct = q["correct"] if isinstance(q["correct"], list) else [q["correct"]]
    joiner = " then " if q["type"] == "sequencing" else "; "
    return joiner.join(f"{letters[c][0]}. {letters[c][1]}" for c in correct)


def test_answer_key_csv_has_every_question_with_key_rationale_and_objective():
    result = run_cli("export", "answer-key", SAMPLE, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    source = _source_questions()
    assert sorted(rows) == sorted(q["id"] for q in source)
    for q in source:
        row = rows[q["id"]]
        assert row["key"] == _expected_key(q), q["id"]
        assert row["rationale"] == q["rationale"]
        assert row["objective"] == q["objective"]
        assert row["prompt"] == q["prompt"]


def test_answer_key_markdown_lists_each_question_once():
    result = run_cli("export", "answer-key", SAMPLE)
    assert result.returncode == 0
    for q in _source_questions():
        assert result.stdout.count(f"id `{q['id']}`") == 1
        assert f"**Key:** {_expected_key(q)}" in result.stdout


def test_course_text_has_every_page_word_counts_and_embedded_images(tmp_path: Path):
    out = tmp_path / "course.html"
    result = run_cli("export", "course-text", SAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    for page in SAMPLE.rglob("*.md"):
        title = yaml.safe_load(page.read_text().split("---")[1])["title"]
        assert title.replace("'", "&#39;") in html, title
    outline = yaml.safe_load(run_cli("outline", SAMPLE, "--json").stdout)
    for module in outline["modules"]:
        assert f"{module['words']:,} words" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert not re.search(r'src="assets/', html)
