"""Markdown to HTML for pages, prompts and feedback (markdown-it-py, CommonMark + tables).

Raw HTML is escaped, never passed through: the player runs inside LMS frames and must
stay safe and accessible. Relative links and images are checked here, because only here
is the link target known, and rewritten to their place inside the package.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from scormbuild.problems import Problem
from scormbuild.render.cache import RenderCache, Rendered, link_ok

EXTERNAL = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
ANY_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
CITE_OPEN = "[@"
SECTION_CHARS = 256 * 1024  # larger Markdown texts are rendered in pieces of about this size
FENCE = re.compile(r"^ {0,3}(```|~~~)")
WORD = re.compile(r"\S+")
HEADING = re.compile(r"^#{1,6}(\s|$)")
# Characters that can start inline Markdown (or an entity, or a hard break); text without
# any of them renders to itself, escaped.
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]!<>&~]|  \n|https?:")


@dataclass
class RenderEnv:
    """What rendering one piece of Markdown needs to know, and what it found."""

    source: Path  # the Markdown (or YAML) file, for messages and relative links
    root: Path  # the course folder: links must stay inside it
    first_line: int  # line of the text's first line in ``source``
    references: dict[str, str]  # citation key -> in-text form
    problems: list[Problem]
    assets: dict[str, Path] = field(default_factory=dict)  # package path -> source file
    # links to course files: [source, target, line, is_image, result] (see resolve_link)
    links: list[list] = field(default_factory=list)


def package_path_for(file: Path, root: Path) -> str:
    """Where a course file goes inside the package: under assets/, keeping its path."""
    rel = PurePosixPath(file.resolve().relative_to(root.resolve()).as_posix())
    if rel.parts and rel.parts[0] == "assets":
        return str(rel)
    return str(PurePosixPath("assets") / rel)


def _container(kind: str):
    def render(self, tokens: list[Token], idx: int, options, env) -> str:  # noqa: ANN001
        token = tokens[idx]
        if token.nesting == 1:
            info = token.info.strip()[len(kind):].strip()
            if kind == "reflect":
                return '<aside class="sb-reflect" aria-label="Reflect"><h3>Reflect</h3>\n'
            if kind == "model-response":
                return ('<details class="sb-model-response"><summary>Show a model response'
                        "</summary>\n")
            if kind == "tool":
                title = html.escape(info or "Practice tool")
                return f'<section class="sb-tool"><h3>{title}</h3>\n'
            return '<aside class="sb-note" aria-label="Note">\n'
        return {"reflect": "</aside>\n", "model-response": "</details>\n",
                "tool": "</section>\n"}.get(kind, "</aside>\n")

    return render


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith(CITE_OPEN, state.pos):
        return False
    end = state.src.find("]", state.pos)
    if end < 0:
        return False
    keys = [k.strip()[1:].strip() for k in state.src[state.pos + 1 : end].split(";")]
    if not keys or not all(keys):
        return False
    if not silent:
        token = state.push("citation", "cite", 0)
        token.meta = {"keys": keys}
    state.pos = end + 1
    return True


def _render_citation(self, tokens: list[Token], idx: int, options, env) -> str:  # noqa: ANN001
    ctx = env.get("ctx")
    refs: dict[str, str] = ctx.references if isinstance(ctx, RenderEnv) else {}
    parts = [html.escape(refs.get(k, k)) for k in tokens[idx].meta["keys"]]
    return f'<cite class="sb-cite">({"; ".join(parts)})</cite>'


def _resolve_links(state) -> None:  # noqa: ANN001
    env = state.env.get("ctx")
    if not isinstance(env, RenderEnv):
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = env.first_line + (block.map[0] if block.map else 0)
        for token in block.children:
            attr = {"link_open": "href", "image": "src"}.get(token.type)
            if attr is None:
                continue
            target = str(token.attrGet(attr) or "")
            is_image = token.type == "image"
            new = resolve_link(target, env, line, is_image)
            if new is not None:
                token.attrSet(attr, new)
            if not is_image and new is None and EXTERNAL.match(target):
                token.attrSet("target", "_blank")
                token.attrSet("rel", "noopener")


def resolve_link(target: str, env: RenderEnv, line: int, is_image: bool) -> str | None:
    """The new attribute value for a link or image target (None: keep it as written).

    Records problems and the linked course file in ``env``. Links that depend on the file
    system are also recorded in ``env.links`` with their result, so a cached rendering can
    be checked against the files as they are now (see MarkdownRenderer._cached).
    """
    what = "image" if is_image else "link"

    def problem(message: str) -> str:
        env.problems.append(Problem(str(env.source), line, 1, message))
        return "#"

    if not target or (target.startswith("#") and not is_image):
        return None
    if EXTERNAL.match(target) or ANY_SCHEME.match(target):
        if is_image:
            # A package must work offline and the player requests nothing but the LMS/LRS.
            return problem(f"image '{_short(target)}' is not a file in the course: a package "
                           "must be self-contained; save the image under assets/ and link it "
                           "by its relative path")
        if EXTERNAL.match(target):
            return None
        return problem(f"link '{_short(target)}' uses a scheme that is not allowed: only "
                       "http:, https:, mailto: and relative file links are")
    result = _course_file(target, env, line, what, problem)
    env.links.append([str(env.source), target, line, is_image, result])
    return result


def _course_file(target: str, env: RenderEnv, line: int, what: str, problem) -> str:  # noqa: ANN001
    # markdown-it percent-encodes link targets ("my pic.png" -> "my%20pic.png"); file names
    # are the decoded form.
    path_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
    file = (env.source.parent / path_part).resolve()
    try:
        file.relative_to(env.root.resolve())
    except ValueError:
        return problem(f"{what} '{_short(target)}' points outside the course folder; keep "
                       "files under assets/")
    if not file.exists():
        return problem(f"{what} '{_short(target)}' names a missing file (looked for {file})")
    if not file.is_file():
        return problem(f"{what} '{_short(target)}' names {file}, which is not a regular file")
    if not os.access(file, os.R_OK):
        return problem(f"{what} '{_short(target)}' names {file}, which cannot be read")
    if file.suffix == ".md":
        return problem(f"link '{_short(target)}' points at a page's Markdown; links between "
                       "pages are not supported, name the page in the text instead")
    package_path = package_path_for(file, env.root)
    env.assets[package_path] = file
    return quote(package_path, safe="/")


def replay_links(links: object, root: Path) -> dict[str, Path] | None:
    """The assets that recorded links name now (package path -> file), or None when any link
    is malformed or resolves differently than when it was recorded."""
    if not isinstance(links, list) or not all(link_ok(link) for link in links):
        return None
    env = RenderEnv(source=root, root=root, first_line=0, references={}, problems=[])
    for source, target, line, is_image, result in links:
        env.source = Path(source)
        if resolve_link(target, env, line, is_image) != result:
            return None
    return env.assets


def _short(target: str) -> str:
    """A link target as shown in a message (a data: URL can be megabytes long)."""
    return target if len(target) <= 80 else target[:77] + "..."


def sections(text: str) -> Iterator[tuple[int, str]]:
    """``text`` cut before top-level ATX headings into pieces of about SECTION_CHARS.

    A heading at the start of a line after a blank line, outside a fenced code block or a
    ``:::`` block, always starts a new block in CommonMark, so the pieces render to the same
    HTML as the whole (except that a reference-style link definition applies only within its
    own piece). Yields (line offset, piece) pairs.
    """
    start = start_line = number = 0
    fence = ""
    containers = 0
    previous_blank = True
    pos = 0
    while pos < len(text):
        line_end = text.find("\n", pos) + 1 or len(text)
        line = text[pos:line_end]
        stripped = line.strip()
        opening = FENCE.match(line)
        if fence:
            if re.fullmatch(r"`{3,}|~{3,}", stripped) and stripped[0] == fence:
                fence = ""
        elif opening:
            fence = opening.group(1)[0]
        elif stripped.startswith(":::"):
            containers = max(containers + (1 if stripped != ":::" else -1), 0)
        elif (pos - start >= SECTION_CHARS and previous_blank and not containers
              and HEADING.match(line)):
            yield start_line, text[start:pos]
            start, start_line = pos, number
        previous_blank = not stripped
        number += 1
        pos = line_end
    yield start_line, text[start:]


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    for kind in ("reflect", "model-response", "tool", "note"):
        md.use(container_plugin, name=kind, render=_container(kind))
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    md.core.ruler.push("resolve_links", _resolve_links)
    # markdown-it drops links with javascript:, vbscript:, file: or data: targets and shows
    # them as text; accept every target so resolve_link reports them as errors instead.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class MarkdownRenderer:
    """One configured parser, reused for every page (building it is the slow part)."""

    def __init__(self, cache: RenderCache | None = None) -> None:
        self.md = make_markdown()
        self.cache = cache or RenderCache(file=None)

    def block(self, text: str, env: RenderEnv) -> str:
        if len(text) <= SECTION_CHARS:
            return self._cached("block", text, env)
        # markdown-it holds a token object for every element of the text at once (about 90
        # times the text's size); a very large page is rendered a section at a time instead.
        parts = []
        for offset, section in sections(text):
            section_env = replace(env, first_line=env.first_line + offset)
            parts.append(self._cached("block", section, section_env))
        return "".join(parts)

    def inline(self, text: str, env: RenderEnv) -> str:
        """Short texts (prompts, choices, feedback) without a wrapping paragraph."""
        if not MARKDOWN_SYNTAX.search(text):
            # Most choice and feedback texts are plain; escaping gives the same HTML faster.
            return escapeHtml(text)
        return self._cached("inline", text, env)

    def _cached(self, mode: str, text: str, env: RenderEnv) -> str:
        """Render through the cache; a hit replays its problems and links into ``env``."""
        key = self.cache.key(mode, text, str(env.source), env.first_line, str(env.root),
                             sorted(env.references.items()))
        own = RenderEnv(source=env.source, root=env.root, first_line=env.first_line,
                        references=env.references, problems=[])
        cached = self.cache.get(key)
        if cached is not None:
            # Resolve every file link again: the files (and so the assets and any problem)
            # come from the course folder as it is now.
            if all(source == str(env.source)
                   and resolve_link(target, own, line, is_image) == result
                   for source, target, line, is_image, result in cached.links):
                env.problems.extend(cached.problems)
                env.assets.update(own.assets)
                env.links.extend(cached.links)
                return cached.html
            self.cache.drop(key)
            own = RenderEnv(source=env.source, root=env.root, first_line=env.first_line,
                            references=env.references, problems=[])
        render = self.md.render if mode == "block" else self.md.renderInline
        html = render(text, {"ctx": own})
        self.cache.put(key, Rendered(html=html, problems=own.problems, links=own.links))
        env.problems.extend(own.problems)
        env.assets.update(own.assets)
        env.links.extend(own.links)
        return html


def text_words(rendered_html: str) -> int:
    """Words a learner reads in rendered HTML (tags dropped, whitespace-separated)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", rendered_html))
    # Counted without building the list of words (a large page has millions); \S is the
    # complement of what str.split() splits on.
    return sum(1 for _ in WORD.finditer(text))
