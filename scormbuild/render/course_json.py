"""The course model rendered for the player: one JSON-able dict (see docs/internals.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scormbuild.problems import PLACEHOLDER, PLACEHOLDER_REMAINS, Problem
from scormbuild.render.cache import RenderCache
from scormbuild.render.markdown import MarkdownRenderer, RenderEnv, package_path_for, text_words
from scormbuild.source.model import CE, Choice, Course, Page, Question

CERT_PLACEHOLDERS = f"{PLACEHOLDER_REMAINS} on the certificate"  # the warning's opening

FORMAT_VERSION = 1


@dataclass
class RenderedCourse:
    data: dict  # the course data the player reads
    assets: dict[str, Path] = field(default_factory=dict)  # package path -> source file
    page_words: dict[str, int] = field(default_factory=dict)  # page id -> words
    problems: list[Problem] = field(default_factory=list)
    # every link to a course file, to check it again on a cached build (markdown.resolve_link)
    links: list[list] = field(default_factory=list)


class CourseRenderer:
    def __init__(self, course: Course, cache: RenderCache | None = None):
        self.course = course
        self.md = MarkdownRenderer(cache)
        self.references = {r.key: r.cite for r in course.references}
        self.problems: list[Problem] = []
        self.assets: dict[str, Path] = {}
        self.links: list[list] = []

    def env(self, source: Path, first_line: int) -> RenderEnv:
        return RenderEnv(source=source, root=self.course.root, first_line=first_line,
                         references=self.references, problems=self.problems, assets=self.assets,
                         links=self.links)

    def block(self, text: str, source: Path, line: int) -> str:
        return self.md.block(text, self.env(source, line)) if text else ""

    def inline(self, text: str, source: Path, line: int) -> str:
        return self.md.inline(text, self.env(source, line)) if text else ""

    def page(self, page: Page) -> dict:
        body = self.block(page.body, page.mark.path, page.body_line)
        if page.include_references and self.course.references:
            items = "".join(
                f"<li>{self.inline(r.text, r.mark.path, r.mark.line)}</li>"
                for r in sorted(self.course.references, key=lambda r: r.text.lower())
            )
            body += f'<section class="sb-references"><h2>References</h2><ul>{items}</ul></section>'
        return {"id": page.id, "title": page.title, "kind": page.kind, "html": body}

    def choice(self, choice: Choice, q: Question, scored: bool) -> dict:
        line = q.mark.line
        return {"id": choice.id, "html": self.inline(choice.text, q.mark.path, line),
                "feedback_html": "" if scored else self.inline(choice.feedback, q.mark.path, line)}

    def question(self, q: Question, scored: bool) -> dict:
        path, line = q.mark.path, q.mark.line
        return {
            "id": q.id,
            "type": q.type,
            "objective": q.objective,
            "prompt_html": self.inline(q.prompt, path, line),
            "choices": [self.choice(c, q, scored) for c in q.choices],
            "sources": [{"id": c.id, "html": self.inline(c.text, path, line)} for c in q.sources],
            "targets": [{"id": c.id, "html": self.inline(c.text, path, line)} for c in q.targets],
            "correct": list(q.correct),
            "rationale_html": "" if scored else self.inline(q.rationale, path, line),
        }

    def certificate(self, ce: CE) -> dict:
        """ce.certificate for the player; a certificate that would still show a placeholder is
        marked not for issue (the player watermarks it) and the build warns (--strict refuses)."""
        cert = ce.certificate
        logo = ""
        if cert.logo is not None:
            logo = package_path_for(cert.logo, self.course.root)
            self.assets[logo] = cert.logo
        shown = {"title": self.course.title, "ce.format": ce.format,
                 "ce.credit_type": ce.credit_type, "ce.course_number": ce.course_number,
                 "ce.provider.name": ce.provider.name, "ce.provider.contact": ce.provider.contact,
                 "ce.certificate.signer.name": cert.signer_name,
                 "ce.certificate.signer.title": cert.signer_title}
        for i, a in enumerate(ce.approvals, 1):
            for key in ("body", "statement", "provider_number", "period"):
                shown[f"ce.approvals[{i}].{key}"] = getattr(a, key)
        for i, au in enumerate(self.course.authors, 1):
            if au.role != "reviewer":
                shown[f"authors[{i}].name"] = au.name
                shown[f"authors[{i}].credentials"] = au.credentials
        held = [key for key, text in shown.items() if PLACEHOLDER in text]
        if held:
            mark = cert.mark
            where = (str(mark.path), mark.line, mark.col) if mark else (
                str(self.course.root / "course.yaml"), 1, 1)
            listed = ", ".join(held[:6]) + (f" and {len(held) - 6} more" if len(held) > 6 else "")
            self.problems.append(Problem(
                *where, f"{CERT_PLACEHOLDERS} ({listed}): the package's "
                "certificate is watermarked 'not for issue'; build --strict refuses to build it",
                "warning"))
        return {"orientation": cert.orientation, "logo": logo, "signer_name": cert.signer_name,
                "signer_title": cert.signer_title, "not_for_issue": bool(held)}

    def render(self) -> RenderedCourse:
        c = self.course
        page_words: dict[str, int] = {}
        modules = []
        for m in c.modules:
            pages = []
            for p in m.pages:
                rendered = self.page(p)
                page_words[p.id] = text_words(rendered["html"])
                pages.append(rendered)
            modules.append({"id": m.id, "title": m.title, "pages": pages,
                            "knowledge_check": [self.question(q, False)
                                                for q in m.knowledge_check]})
        assessment = None
        if c.assessment:
            a = c.assessment
            assessment = {
                "id": a.id, "title": a.title,
                "instructions_html": self.block(a.instructions, a.mark.path, a.mark.line),
                "pass_mark": a.policy.pass_mark, "attempts": a.policy.attempts,
                "reporting": a.policy.reporting,
                "questions": [self.question(q, True) for q in a.questions],
            }
        evaluation = None
        if c.evaluation:
            e = c.evaluation
            evaluation = {
                "id": e.id, "title": e.title,
                "instructions_html": self.block(e.instructions, e.mark.path, e.mark.line),
                "items": [{"id": i.id, "type": i.type, "objective": i.objective,
                           "prompt_html": self.inline(i.prompt, i.mark.path, i.mark.line),
                           "scale": list(i.scale), "required": i.required} for i in e.items],
            }
        ce = None
        if c.ce:
            ce = {
                "hours": c.ce.hours, "format": c.ce.format, "level": c.ce.level,
                "credit_type": c.ce.credit_type, "course_number": c.ce.course_number,
                "provider": {"name": c.ce.provider.name, "contact": c.ce.provider.contact},
                "approvals": [{"body": a.body, "statement": a.statement,
                               "provider_number": a.provider_number, "period": a.period}
                              for a in c.ce.approvals],
                "certificate": self.certificate(c.ce),
            }
        rules = c.completion
        completion = {
            "evaluation_required": rules.evaluation_required and c.evaluation is not None,
            "attestation_required": rules.attestation_required,
            "attestation_text": rules.attestation_text,
            "min_seat_minutes": rules.min_seat_minutes,
            "idle_minutes": rules.idle_minutes,
        }
        theme = None
        if c.theme:
            logo = ""
            if c.theme.logo is not None:
                logo = package_path_for(c.theme.logo, c.root)
                self.assets[logo] = c.theme.logo
            theme = {"primary": c.theme.primary, "accent": c.theme.accent, "font": c.theme.font,
                     "logo": logo}
        data = {
            "format": FORMAT_VERSION,
            "id": c.id, "title": c.title, "version": c.version, "language": c.language,
            "objectives": [{"id": o.id, "text": o.text} for o in c.objectives],
            "authors": [{"name": a.name, "credentials": a.credentials, "role": a.role}
                        for a in c.authors],
            "ce": ce,
            "modules": modules,
            "assessment": assessment,
            "evaluation": evaluation,
            "completion": completion,
            "theme": theme,
        }
        return RenderedCourse(data=data, assets=dict(sorted(self.assets.items())),
                              page_words=page_words, problems=self.problems, links=self.links)


def render_course(course: Course, cache: RenderCache | None = None) -> RenderedCourse:
    return CourseRenderer(course, cache).render()
