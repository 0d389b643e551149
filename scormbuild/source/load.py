"""Read a course folder into the model, recording every problem with its file:line:col.

Shape problems (a missing key, a wrong type, a correct answer naming no choice) are
found here, where the YAML marks are; problems across files (duplicate ids, unknown
objectives, citations) are left to ``checks``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scormbuild.problems import PLACEHOLDER, PLACEHOLDER_REMAINS, Problem
from scormbuild.source.certificate import read_certificate
from scormbuild.source.fields import Fields, add, id_problem, type_name
from scormbuild.source.files import SourceFiles
from scormbuild.source.lint import read_waiver
from scormbuild.source.model import (
    CE,
    CE_LEVELS,
    DEFAULT_ATTESTATION,
    PAGE_KINDS,
    QUESTION_TYPES,
    REPORTING_MODES,
    SURVEY_ITEM_TYPES,
    Approval,
    Assessment,
    AssessmentPolicy,
    Author,
    Choice,
    CompletionRules,
    Course,
    Mark,
    Module,
    Objective,
    Page,
    Provider,
    Question,
    Reference,
    Survey,
    SurveyItem,
)
from scormbuild.source.theme import read_theme
from scormbuild.source.yamlnodes import YMap, YSeq, parse_yaml

COURSE_KEYS = ("id", "title", "version", "language", "description", "keywords", "xapi_base",
               "authors", "objectives", "ce", "assessment", "completion", "modules", "theme")
MODULE_KEYS = ("id", "title", "objectives", "pages", "knowledge_check")
PAGE_KEYS = ("id", "title", "kind", "objectives", "include_references")
QUESTION_KEYS = ("id", "type", "objective", "prompt", "choices", "sources", "targets",
                 "correct", "rationale", "feedback", "lint")
CHOICE_KEYS = ("id", "text", "feedback")
POSTTEST_KEYS = ("id", "title", "instructions", "questions")
EVALUATION_KEYS = ("id", "title", "instructions", "scales", "items")
SURVEY_ITEM_KEYS = ("id", "type", "prompt", "scale", "objective", "required")
REFERENCE_KEYS = ("key", "cite", "text")
CE_KEYS = ("hours", "format", "level", "credit_type", "course_number", "provider", "approvals",
           "credit_category", "release_date", "review_date",
           "certificate")
ASSESSMENT_KEYS = ("pass_mark", "attempts", "reporting")
COMPLETION_KEYS = ("evaluation_required", "attestation_required", "attestation_text",
                   "min_seat_minutes", "idle_minutes")
ATTESTATION_MAX = 500  # characters: it is printed next to a checkbox and on the certificate
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The version is part of the package file name: no separators, no leading dot or hyphen.
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")
FRONT_MATTER_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


class SourceReader:
    """Reads one course folder. ``shown_root`` is the folder as the user named it."""

    def __init__(self, root: Path, problems: list[Problem], files: SourceFiles | None = None):
        self.root = root
        self.problems = problems
        self.files = files or SourceFiles()  # every file-system question goes through it
        self.references_unreadable = False

    def read_text(self, path: Path, what: str, where: Mark | None = None) -> str | None:
        try:
            text = self.files.read_text(path)
        except FileNotFoundError:
            add(self.problems, where or Mark(path), f"{what} not found: {path}")
            return None
        except UnicodeDecodeError as err:
            add(self.problems, Mark(path), f"{what} is not UTF-8 text ({err.reason})")
            return None
        except OSError as err:
            add(self.problems, where or Mark(path), f"cannot read {what}: {err.strerror}")
            return None
        self.warn_placeholders(path, text)
        return text

    def warn_placeholders(self, path: Path, text: str) -> None:
        if PLACEHOLDER not in text:  # a fast test first: pages can be megabytes
            return
        for number, line in enumerate(text.splitlines(), start=1):
            col = line.find(PLACEHOLDER)
            if col >= 0:
                end = line.find("]]", col)
                shown = line[col : end + 2] if end > 0 else line[col:].strip()
                add(self.problems, Mark(path, number, col + 1),
                    f"{PLACEHOLDER_REMAINS}: {shown}", "warning")

    def read_yaml(self, path: Path, what: str, where: Mark | None = None) -> tuple[Any, bool]:
        """(data, usable). Missing optional files are the caller's business. A file that is not
        valid YAML is reported once, by the parser, and is not usable either: its reader stops
        there rather than adding "empty" and "missing 'id'" problems that are not the cause."""
        text = self.read_text(path, what, where)
        if text is None:
            return None, False
        known = len(self.problems)
        data = parse_yaml(text, path, self.problems)
        return data, not (data is None and len(self.problems) > known)

    # -- course ---------------------------------------------------------------------------

    def course(self) -> Course | None:
        path = self.root / "course.yaml"
        if not self.files.is_dir(self.root):
            add(self.problems, Mark(self.root, 0, 0),
                "course folder not found; pass the folder that holds course.yaml as SRC")
            return None
        data, found = self.read_yaml(path, "course.yaml")
        if not found:
            return None
        f = Fields(data, Mark(path), "course.yaml", COURSE_KEYS, self.problems)
        description = f.text("description")
        if len(description) > 1000:
            add(self.problems, f.at("description"),
                f"description is {len(description)} characters: keep it to 1,000 or fewer "
                "(longer descriptions have broken LMS imports)")
        language = f.text("language", required=False, default="en")
        if language and not LANGUAGE_TAG.match(language):
            add(self.problems, f.at("language"),
                f"'{language}' is not a language tag such as 'en' or 'en-US'")
        xapi_base = f.text("xapi_base", required=False)
        if xapi_base and not re.match(r"^https?://[^\s/]+(/\S*)?$", xapi_base):
            add(self.problems, f.at("xapi_base"),
                f"xapi_base must be an http(s) IRI such as https://example.org/courses/x, "
                f"not '{xapi_base}'")
        course = Course(
            id=f.ident("id"),
            title=f.text("title"),
            version=self.version(f),
            language=language,
            description=description,
            keywords=f.text_list("keywords"),
            authors=self.authors(f),
            objectives=self.objectives(f),
            ce=self.ce(f),
            modules=[],
            assessment=None,
            evaluation=None,
            references=[],
            root=self.root,
            mark=f.mark,
            xapi_base=xapi_base.rstrip("/"),
            theme=read_theme(f, self.root, self.problems, self.files),
        )
        policy = self.policy(f)
        course.modules = self.modules(f)
        course.assessment = self.assessment(policy, assessment_given=f.has("assessment"))
        course.evaluation = self.evaluation()
        course.completion = self.completion(f, course)
        course.references = self.references()
        course.references_unreadable = self.references_unreadable
        return course

    def version(self, f: Fields) -> str:
        """The version goes into the package's file name: a safe form only."""
        version = f.text("version", numbers_ok=True)
        if version and not VERSION.match(version):
            add(self.problems, f.at("version"),
                f"version '{version}' is not allowed: start with a letter or digit and use only "
                "letters, digits, '.', '+' and '-' (at most 64 characters), e.g. '1.2.0'")
        return version

    def authors(self, f: Fields) -> list[Author]:
        out = []
        items = f.seq("authors", what="a list of authors with name and credentials")
        for i, item in enumerate(items):
            a = Fields(item, items.item_marks[i], f"author {i + 1}",
                       ("name", "credentials", "role"), self.problems)
            out.append(Author(name=a.text("name"), credentials=a.text("credentials"),
                              role=a.one_of("role", ("author", "reviewer"), "author")))
        return out

    def objectives(self, f: Fields) -> list[Objective]:
        out = []
        items = f.seq("objectives", required=True, what="a list of objectives with id and text")
        for i, item in enumerate(items):
            o = Fields(item, items.item_marks[i], f"objective {i + 1}", ("id", "text"),
                       self.problems)
            out.append(Objective(id=o.ident(), text=o.text("text"), mark=o.mark))
        if not out and f.has("objectives"):
            add(self.problems, f.at("objectives"), "a course needs at least one objective")
        return out

    def ce(self, f: Fields) -> CE | None:
        if not f.has("ce"):
            return None
        c = Fields(f.raw("ce"), f.at("ce"), "the ce block", CE_KEYS, self.problems)
        provider = Provider()
        if c.has("provider"):
            p = Fields(c.raw("provider"), c.at("provider"), "ce.provider", ("name", "contact"),
                       self.problems)
            provider = Provider(name=p.text("name"), contact=p.text("contact", required=False))
        approvals = []
        items = c.seq("approvals")
        for i, item in enumerate(items):
            a = Fields(item, items.item_marks[i], f"approval {i + 1}",
                       ("body", "statement", "provider_number", "period"), self.problems)
            approvals.append(Approval(
                body=a.text("body"), statement=a.text("statement"),
                provider_number=a.text("provider_number", required=False, numbers_ok=True),
                period=a.text("period", required=False)))
        return CE(
            hours=c.number("hours", 0.25, 100, 1.0, required=True),
            format=c.text("format"),
            level=c.one_of("level", CE_LEVELS, "intermediate"),
            credit_type=c.text("credit_type", required=False),
            course_number=c.text("course_number", required=False, numbers_ok=True),
            provider=provider,
            approvals=approvals,
            credit_category=c.text("credit_category", required=False),
            release_date=c.text("release_date", required=False),
            review_date=c.text("review_date", required=False),
            certificate=read_certificate(c, self.root, self.problems, self.files),
        )

    def policy(self, f: Fields) -> AssessmentPolicy:
        if not f.has("assessment"):
            return AssessmentPolicy()
        a = Fields(f.raw("assessment"), f.at("assessment"), "the assessment block",
                   ASSESSMENT_KEYS, self.problems)
        return AssessmentPolicy(
            pass_mark=a.integer("pass_mark", 0, 100, 80),
            attempts=a.integer("attempts", 0, 99, 2),
            reporting=a.one_of("reporting", REPORTING_MODES, "passed-incomplete"),  # type: ignore[arg-type]
        )

    def completion(self, f: Fields, course: Course) -> CompletionRules:
        """The ``completion`` block; the defaults follow what the course has."""
        has_evaluation = course.evaluation is not None
        rules = CompletionRules(evaluation_required=has_evaluation,
                                attestation_required=course.ce is not None)
        if not f.has("completion"):
            return rules
        c = Fields(f.raw("completion"), f.at("completion"), "the completion block",
                   COMPLETION_KEYS, self.problems)
        rules.evaluation_required = c.boolean("evaluation_required", has_evaluation)
        if rules.evaluation_required and not has_evaluation and c.has("evaluation_required"):
            add(self.problems, c.at("evaluation_required"),
                "evaluation_required is true but the course has no evaluation.yaml: add the "
                "evaluation or set it to false")
        rules.attestation_required = c.boolean("attestation_required", course.ce is not None)
        text = c.text("attestation_text", required=c.has("attestation_text"),
                      default=DEFAULT_ATTESTATION)
        if len(text) > ATTESTATION_MAX:
            add(self.problems, c.at("attestation_text"),
                f"attestation_text is {len(text)} characters: keep it to {ATTESTATION_MAX} "
                "or fewer (it is shown next to a checkbox and printed on the certificate)")
        rules.attestation_text = text or DEFAULT_ATTESTATION
        rules.min_seat_minutes = c.integer("min_seat_minutes", 0, 6000, 0)
        rules.idle_minutes = c.integer("idle_minutes", 1, 120, 5)
        return rules

    # -- modules and pages ----------------------------------------------------------------

    def modules(self, f: Fields) -> list[Module]:
        folders = f.seq("modules", required=True, what="a list of module folder names")
        if f.has("modules") and not folders:
            add(self.problems, f.at("modules"), "a course needs at least one module")
        out: list[Module] = []
        modules = self.inside(self.root, "modules", f.at("modules"), "the modules folder")
        if modules is None:  # a symlink leaving the course folder
            return out
        for i, name in enumerate(folders):
            where = folders.item_marks[i]
            if not isinstance(name, str) or not name.strip():
                add(self.problems, where,
                    f"module entries must be folder names, not {type_name(name)}")
                continue
            folder = self.inside(modules, name, where, "module folder")
            if folder is None:
                continue
            if not self.files.is_dir(folder):
                add(self.problems, where, f"module folder not found: {folder}")
                continue
            module = self.module(folder, name)
            if module:
                out.append(module)
        return out

    def inside(self, base: Path, name: str, where: Mark, what: str) -> Path | None:
        """``base/name`` when it stays inside ``base``; otherwise a problem and None."""
        candidate = base / name
        try:
            self.files.resolve(candidate).relative_to(self.files.resolve(base))
        except ValueError:
            add(self.problems, where, f"{what} '{name}' is outside {base}")
            return None
        return candidate

    def module(self, folder: Path, name: str) -> Module | None:
        path = folder / "module.yaml"
        data, found = self.read_yaml(path, "module.yaml")
        if not found:
            return None
        f = Fields(data, Mark(path), f"module '{name}'", MODULE_KEYS, self.problems)
        module = Module(id=f.ident(), title=f.text("title"), folder=name, pages=[],
                        knowledge_check=[], mark=f.mark, objectives=f.text_list("objectives"))
        pages = f.seq("pages", required=True, what="a list of Markdown file names")
        if not pages:
            add(self.problems, f.at("pages") if f.has("pages") else f.mark,
                f"module '{module.id or name}' has no pages: list at least one Markdown file "
                "under 'pages'")
        for i, file_name in enumerate(pages):
            where = pages.item_marks[i]
            if not isinstance(file_name, str) or not file_name.endswith(".md"):
                add(self.problems, where, f"pages must be Markdown file names ending in .md, "
                                          f"not {type_name(file_name)}")
                continue
            page_path = self.inside(folder, file_name, where, "page")
            if page_path is None:
                continue
            if not self.files.is_file(page_path):
                add(self.problems, where, f"page file not found: {page_path}")
                continue
            page = self.page(page_path)
            if page:
                module.pages.append(page)
        questions = f.seq("knowledge_check", what="a list of questions")
        module.knowledge_check = self.questions(questions, in_posttest=False)
        return module

    def page(self, path: Path) -> Page | None:
        text = self.read_text(path, "page")
        if text is None:
            return None
        # Only the front matter is cut into lines: a page can be megabytes.
        first_end = text.find("\n") + 1 or len(text)
        if not text or not FRONT_MATTER_FENCE.match(text[:first_end]) or text.startswith("..."):
            add(self.problems, Mark(path), "a page must start with YAML front matter: a '---' "
                                           "line, then id, title and kind, then '---'")
            return None
        pos, end, fence = first_end, 0, None
        while pos < len(text):
            end += 1  # 0-based number of the line starting at pos
            line_end = text.find("\n", pos) + 1 or len(text)
            if FRONT_MATTER_FENCE.match(text[pos:line_end]):
                fence = (pos, line_end)
                break
            pos = line_end
        if fence is None:
            add(self.problems, Mark(path), "front matter is not closed: expected a '---' line "
                                           "after the page's id, title and kind")
            return None
        known = len(self.problems)
        data = parse_yaml(text[first_end:fence[0]], path, self.problems, line_offset=1)
        if data is None and len(self.problems) > known:
            return None  # the YAML error says it all: no "empty" / "missing 'id'" after it
        f = Fields(data, Mark(path), f"the front matter of {path.name}", PAGE_KEYS, self.problems)
        return Page(
            id=f.ident(),
            title=f.text("title"),
            kind=f.one_of("kind", PAGE_KINDS, "content"),  # type: ignore[arg-type]
            objectives=f.text_list("objectives"),
            body=text[fence[1]:],
            body_line=end + 2,
            mark=f.at("id") if f.has("id") else Mark(path, 1, 1),
            include_references=f.boolean("include_references", False),
        )

    # -- questions ------------------------------------------------------------------------

    def questions(self, items: YSeq, in_posttest: bool) -> list[Question]:
        out = []
        for i, item in enumerate(items):
            q = self.question(item, items.item_marks[i], in_posttest)
            if q:
                out.append(q)
        return out

    def choices(self, f: Fields, key: str, qid: str, need_feedback: bool) -> list[Choice]:
        items = f.seq(key, required=True, what="a list of choices with id and text")
        out = []
        seen: dict[str, Mark] = {}
        for i, item in enumerate(items):
            c = Fields(item, items.item_marks[i], f"choice {i + 1} of question '{qid}'",
                       CHOICE_KEYS, self.problems)
            cid = c.text("id", numbers_ok=True)
            if cid:
                why = id_problem(cid)
                if why:
                    add(self.problems, c.at("id"), why)
                if cid in seen:
                    add(self.problems, c.at("id"),
                        f"duplicate choice id '{cid}' in question '{qid}' "
                        f"(first at line {seen[cid].line})")
                seen[cid] = c.at("id")
            feedback = c.text("feedback", required=False)
            if need_feedback and not feedback:
                add(self.problems, c.mark,
                    f"choice '{cid}' of knowledge-check question '{qid}' needs 'feedback' "
                    "saying why it is right or wrong")
            out.append(Choice(id=cid, text=c.text("text", numbers_ok=True), feedback=feedback,
                              mark=c.at("text")))
        # How many choices a question may have is the targets' rule (build.compile_course runs
        # it); the loader only records where the list is written, for its message.
        return out

    def question(self, node: Any, where: Mark, in_posttest: bool) -> Question | None:
        f = Fields(node, where, "question", QUESTION_KEYS, self.problems)
        qid = f.ident()
        f.what = f"question '{qid}'" if qid else "question"
        if not f.has("type"):
            add(self.problems, f.mark,
                f"{f.what} is missing 'type' (one of {', '.join(QUESTION_TYPES)})")
        qtype = f.one_of("type", QUESTION_TYPES, "single")
        q = Question(id=qid, type=qtype, prompt=f.text("prompt"),  # type: ignore[arg-type]
                     objective=f.text("objective"), rationale=f.text("rationale"), mark=f.mark,
                     prompt_mark=f.at("prompt"), waiver=read_waiver(f))
        need_feedback = not in_posttest and qtype in ("single", "multiple")
        if qtype == "true-false":
            if f.has("choices"):
                add(self.problems, f.at("choices"),
                    f"{f.what} is true-false: its choices are always 'true' and 'false'; "
                    "remove 'choices'")
            feedback = self.true_false_feedback(f)
            q.choices = [Choice("true", "True", feedback.get("true", "")),
                         Choice("false", "False", feedback.get("false", ""))]
        elif qtype == "matching":
            q.sources = self.choices(f, "sources", qid, need_feedback=False)
            q.targets = self.choices(f, "targets", qid, need_feedback=False)
        else:
            q.choices = self.choices(f, "choices", qid, need_feedback)
        if qtype != "true-false":  # true-false's two choices are built in
            lists = ("sources", "targets") if qtype == "matching" else ("choices",)
            q.list_marks = {key: f.at(key) for key in lists if f.has(key)}
        if f.has("feedback") and qtype != "true-false":
            add(self.problems, f.at("feedback"),
                f"'feedback' on {f.what} is only for true-false questions; give feedback on "
                "each choice instead")
        q.correct = self.correct(f, q)
        return q

    def true_false_feedback(self, f: Fields) -> dict[str, str]:
        if not f.has("feedback"):
            return {}
        fb = Fields(f.raw("feedback"), f.at("feedback"), f"the feedback of {f.what}",
                    ("true", "false"), self.problems)
        return {"true": fb.text("true", required=False), "false": fb.text("false", required=False)}

    def correct(self, f: Fields, q: Question) -> list[str]:
        if not f.has("correct"):
            add(self.problems, f.mark, f"{f.what} is missing 'correct' (the right answer)")
            return []
        value = f.raw("correct")
        at = f.at("correct")
        ids = {c.id for c in q.choices}

        def name_ids(values: list[Any], allowed: set[str], what: str) -> list[str]:
            out = []
            for v in values:
                text = str(v).lower() if isinstance(v, bool) else str(v)
                if text not in allowed:
                    add(self.problems, at,
                        f"correct answer '{text}' of {f.what} names no {what}; "
                        f"expected one of: {', '.join(sorted(allowed))}")
                else:
                    out.append(text)
            return out

        if q.type == "true-false":
            if isinstance(value, bool):
                return [str(value).lower()]
            if isinstance(value, str) and value in ("true", "false"):
                return [value]
            add(self.problems, at, f"'correct' of true-false {f.what} must be true or false, "
                                   f"not {type_name(value)}")
            return []
        if q.type == "single":
            if isinstance(value, (YSeq, YMap)):
                add(self.problems, at, f"'correct' of single-choice {f.what} must be one choice "
                                       f"id, not {type_name(value)}")
                return []
            return name_ids([value], ids, "choice")
        if q.type in ("multiple", "sequencing"):
            if not isinstance(value, YSeq) or not value:
                add(self.problems, at,
                    f"'correct' of {q.type} {f.what} must be a list of choice ids, "
                    f"not {type_name(value)}")
                return []
            named = name_ids(list(value), ids, "choice")
            if len(set(named)) != len(named):
                add(self.problems, at, f"'correct' of {f.what} names a choice twice")
            if q.type == "sequencing" and set(named) != ids and len(named) == len(value):
                add(self.problems, at,
                    f"'correct' of sequencing {f.what} must list every choice once, in order")
            return named
        # matching
        if not isinstance(value, YMap):
            add(self.problems, at,
                f"'correct' of matching {f.what} must map each source id to a target id, "
                f"not {type_name(value)}")
            return []
        source_ids = [s.id for s in q.sources]
        target_ids = {t.id for t in q.targets}
        pairs = []
        for source in value:
            if source not in source_ids:
                add(self.problems, value.key_marks[source],
                    f"'{source}' in 'correct' of {f.what} names no source; expected one of: "
                    f"{', '.join(source_ids)}")
        for source in source_ids:
            if source not in value:
                add(self.problems, at, f"'correct' of {f.what} does not match source '{source}'")
                continue
            target = str(value[source])
            if target not in target_ids:
                add(self.problems, value.value_marks[source],
                    f"'{target}' in 'correct' of {f.what} names no target; expected one of: "
                    f"{', '.join(sorted(target_ids))}")
                continue
            pairs.append(f"{source}.{target}")
        return pairs

    # -- post-test, evaluation, references ------------------------------------------------

    def assessment(self, policy: AssessmentPolicy, assessment_given: bool) -> Assessment | None:
        path = self.root / "posttest.yaml"
        if not self.files.exists(path):
            return None
        data, usable = self.read_yaml(path, "posttest.yaml")
        if not usable:
            return None
        f = Fields(data, Mark(path), "posttest.yaml", POSTTEST_KEYS, self.problems)
        items = f.seq("questions", required=True, what="a list of questions")
        if f.has("questions") and not items:
            add(self.problems, f.at("questions"), "the post-test has no questions")
        return Assessment(
            id=f.ident("id", required=False) or "post-test",
            title=f.text("title", required=False, default="Post-test"),
            instructions=f.text("instructions", required=False),
            questions=self.questions(items, in_posttest=True),
            policy=policy,
            mark=f.mark,
        )

    def evaluation(self) -> Survey | None:
        path = self.root / "evaluation.yaml"
        if not self.files.exists(path):
            return None
        data, usable = self.read_yaml(path, "evaluation.yaml")
        if not usable:
            return None
        f = Fields(data, Mark(path), "evaluation.yaml", EVALUATION_KEYS, self.problems)
        scales: dict[str, list[str]] = {}
        if f.has("scales"):
            s = f.raw("scales")
            if isinstance(s, YMap):
                sf = Fields(s, f.at("scales"), "scales", list(s), self.problems)
                for name in s:
                    scales[name] = sf.text_list(name, required=True)
            else:
                add(self.problems, f.at("scales"),
                    f"'scales' must map scale names to lists of labels, not {type_name(s)}")
        items = f.seq("items", required=True, what="a list of survey items")
        out = []
        for i, node in enumerate(items):
            it = Fields(node, items.item_marks[i], f"survey item {i + 1}", SURVEY_ITEM_KEYS,
                        self.problems)
            item = SurveyItem(id=it.ident(), type=it.one_of("type", SURVEY_ITEM_TYPES, "likert"),  # type: ignore[arg-type]
                              prompt=it.text("prompt"), mark=it.mark,
                              objective=it.text("objective", required=False),
                              required=it.boolean("required", True))
            if not it.has("type"):
                add(self.problems, it.mark, f"survey item '{item.id}' is missing 'type' "
                                            f"(one of {', '.join(SURVEY_ITEM_TYPES)})")
            if item.type == "likert":
                item.scale = self.scale(it, scales, item.id)
            elif it.has("scale"):
                add(self.problems, it.at("scale"), f"text item '{item.id}' takes no 'scale'")
            out.append(item)
        return Survey(id=f.ident("id", required=False) or "evaluation",
                      title=f.text("title", required=False, default="Course evaluation"),
                      instructions=f.text("instructions", required=False), items=out, mark=f.mark)

    def scale(self, it: Fields, scales: dict[str, list[str]], item_id: str) -> list[str]:
        value = it.raw("scale")
        if isinstance(value, str):
            if value not in scales:
                known = ", ".join(sorted(scales)) or "none defined under 'scales'"
                add(self.problems, it.at("scale"),
                    f"survey item '{item_id}' uses unknown scale '{value}' (known: {known})")
                return []
            return scales[value]
        labels = it.text_list("scale", required=True)
        if value is not None and not 2 <= len(labels) <= 10:
            add(self.problems, it.at("scale"),
                f"the scale of survey item '{item_id}' needs 2 to 10 labels")
        return labels

    def references(self) -> list[Reference]:
        path = self.root / "references.yaml"
        if not self.files.exists(path):
            return []
        data, usable = self.read_yaml(path, "references.yaml")
        if not usable:
            self.references_unreadable = self.files.exists(path)
            return []
        if data is None:
            return []
        if not isinstance(data, YSeq):
            add(self.problems, Mark(path), "references.yaml must be a list of references "
                                           "with key, cite and text")
            return []
        out = []
        for i, node in enumerate(data):
            r = Fields(node, data.item_marks[i], f"reference {i + 1}", REFERENCE_KEYS,
                       self.problems)
            out.append(Reference(key=r.text("key", numbers_ok=True), cite=r.text("cite"),
                                 text=r.text("text"), mark=r.mark))
        return out


def load_course(root: Path, files: SourceFiles | None = None
                ) -> tuple[Course | None, list[Problem]]:
    """Read ``root`` into a Course; problems include warnings (e.g. placeholders).

    ``files`` records what the load asked the file system (for the compile cache).
    """
    problems: list[Problem] = []
    course = SourceReader(root, problems, files).course()
    return course, problems


__all__ = ["load_course", "SourceReader", "YMap"]
