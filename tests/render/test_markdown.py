"""Markdown rendering: safe HTML, course blocks, citations, and the plain-text fast path."""

from __future__ import annotations

from pathlib import Path

import pytest

from scormbuild.render.markdown import MarkdownRenderer, RenderEnv


@pytest.fixture()
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def env(tmp_path: Path, refs: dict[str, str] | None = None) -> RenderEnv:
    (tmp_path / "assets").mkdir(exist_ok=True)
    (tmp_path / "assets" / "pic.png").write_bytes(b"png")
    return RenderEnv(source=tmp_path / "page.md", root=tmp_path, first_line=5,
                     references=refs or {}, problems=[])


def test_raw_html_is_escaped(renderer: MarkdownRenderer, tmp_path: Path):
    out = renderer.block("<script>alert(1)</script> <img src=x onerror=alert(1)>", env(tmp_path))
    assert "<script>" not in out and "<img src=x" not in out
    assert "&lt;script&gt;" in out


def test_blocks_render_as_documented(renderer: MarkdownRenderer, tmp_path: Path):
    text = ("::: reflect\n- Why?\n:::\n\n::: model-response\nBecause.\n:::\n\n"
            "::: tool Intake form\nName:\n:::\n\n::: note\nA note.\n:::\n")
    out = renderer.block(text, env(tmp_path))
    assert '<aside class="sb-reflect" aria-label="Reflect">' in out
    assert '<details class="sb-model-response"><summary>' in out
    assert '<section class="sb-tool"><h3>Intake form</h3>' in out
    assert '<aside class="sb-note" aria-label="Note">' in out


def test_citations_use_the_in_text_form(renderer: MarkdownRenderer, tmp_path: Path):
    e = env(tmp_path, {"a2020": "Smith, 2020", "b2019": "Jones & Lee, 2019"})
    out = renderer.block("As shown [@a2020; @b2019].", e)
    assert '<cite class="sb-cite">(Smith, 2020; Jones &amp; Lee, 2019)</cite>' in out


def test_assets_are_collected_and_rewritten(renderer: MarkdownRenderer, tmp_path: Path):
    e = env(tmp_path)
    out = renderer.block("![A picture](assets/pic.png)", e)
    assert 'src="assets/pic.png"' in out
    assert e.assets == {"assets/pic.png": tmp_path / "assets" / "pic.png"}
    assert e.problems == []


def test_bad_links_are_problems_on_their_line(renderer: MarkdownRenderer, tmp_path: Path):
    e = env(tmp_path)
    renderer.block("text\n\n[x](missing.pdf)\n\n[y](../../outside.txt)", e)
    assert [(p.line, "missing" in p.message or "outside" in p.message) for p in e.problems] == [
        (7, True), (9, True)]


@pytest.mark.parametrize("text", [
    'Plain "quoted" text, it\'s fine.', "x < y & z", "**bold**", "a_b_c", "1. not a list",
    "# not a heading", "see https://example.org", "line  \nbreak", "tab\tand ~tilde~",
])
def test_plain_text_fast_path_matches_markdown(renderer: MarkdownRenderer, tmp_path: Path,
                                               text: str):
    e = env(tmp_path)
    assert renderer.inline(text, e) == renderer.md.renderInline(text, {"ctx": e})


def test_a_large_text_renders_in_sections_to_the_same_html(tmp_path: Path, monkeypatch):
    """Pages over SECTION_CHARS render a section at a time (bounded memory); the HTML and the
    problem lines must be those of rendering the whole text at once."""
    import scormbuild.render.markdown as markdown

    part = ("## Part {n}\n\nSome *text* [@a2020].\n\n- one\n- two\n\n```\n## not a heading\n"
            "```\n\n::: note\n# inside a note\n:::\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")
    text = "".join(part.format(n=n) for n in range(400)) + "[gone](missing.txt)\n"
    refs = {"a2020": "Smith, 2020"}
    monkeypatch.setattr(markdown, "SECTION_CHARS", 2000)
    pieces = list(markdown.sections(text))
    assert len(pieces) > 10 and "".join(p for _, p in pieces) == text
    assert all(p.startswith("## Part") for _, p in pieces)
    sectioned = env(tmp_path, refs)
    html = MarkdownRenderer().block(text, sectioned)
    monkeypatch.setattr(markdown, "SECTION_CHARS", 10**9)
    whole = env(tmp_path, refs)
    assert MarkdownRenderer().block(text, whole) == html
    assert [p.line for p in sectioned.problems] == [p.line for p in whole.problems] == [
        5 + text.count("\n") - 1]


def test_link_targets_are_percent_decoded_to_find_files(renderer: MarkdownRenderer,
                                                        tmp_path: Path):
    e = env(tmp_path)
    (tmp_path / "assets" / "my pic.png").write_bytes(b"png")
    out = renderer.block("![a](<assets/my pic.png>) ![b](assets/my%20pic.png)", e)
    assert out.count('src="assets/my%20pic.png"') == 2
    assert e.assets == {"assets/my pic.png": tmp_path / "assets" / "my pic.png"}
    assert e.problems == []
