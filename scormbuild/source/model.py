"""The course as plain data.

Every node remembers where it came from (``Mark``) so that later checks and
renderers can point an author at ``file:line:col`` without re-reading source.
Nothing here knows about YAML, HTML, SCORM or xAPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PageKind = Literal["content", "vignette", "case-study"]
QuestionType = Literal["single", "multiple", "true-false", "matching", "sequencing"]
ReportingMode = Literal["passed-incomplete", "passed-failed"]
SurveyItemType = Literal["likert", "text"]

QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true-false", "matching", "sequencing")
PAGE_KINDS: tuple[str, ...] = ("content", "vignette", "case-study")
REPORTING_MODES: tuple[str, ...] = ("passed-incomplete", "passed-failed")
SURVEY_ITEM_TYPES: tuple[str, ...] = ("likert", "text")
CE_LEVELS: tuple[str, ...] = ("beginning", "intermediate", "advanced")


@dataclass(frozen=True)
class Mark:
    """A position in a source file; line and col are 1-based."""

    path: Path
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass
class Objective:
    id: str
    text: str
    mark: Mark


@dataclass
class Author:
    name: str
    credentials: str
    role: str = "author"


@dataclass
class Approval:
    body: str
    statement: str
    provider_number: str = ""
    period: str = ""


@dataclass
class Provider:
    name: str = ""
    contact: str = ""


@dataclass
class Certificate:
    """ce.certificate in course.yaml (source/certificate.py reads it)."""

    orientation: str = "portrait"  # or "landscape"
    logo: Path | None = None  # an image file inside the course folder
    signer_name: str = ""
    signer_title: str = ""
    mark: Mark | None = None  # where the ce block (or its certificate block) is


@dataclass
class Theme:
    """theme in course.yaml (source/theme.py reads and checks it); "" = the player's default."""

    primary: str = ""
    accent: str = ""
    font: str = ""
    logo: Path | None = None
    mark: Mark | None = None


@dataclass
class CE:
    hours: float
    format: str
    level: str
    credit_type: str = ""
    course_number: str = ""
    provider: Provider = field(default_factory=Provider)
    # Optional record-keeping facts approvers ask for; free text, shown in `outline --json`.
    credit_category: str = ""  # e.g. clinical, ethics, cultural competence
    release_date: str = ""  # when this version was first offered (YYYY-MM-DD)
    review_date: str = ""  # when the content is next due for review (YYYY-MM-DD)
    approvals: list[Approval] = field(default_factory=list)
    certificate: Certificate = field(default_factory=Certificate)


@dataclass
class AssessmentPolicy:
    pass_mark: int = 80
    attempts: int = 2  # 0 means unlimited
    reporting: ReportingMode = "passed-incomplete"


DEFAULT_ATTESTATION = "I completed this activity myself and in full."


@dataclass
class CompletionRules:
    """What the player requires before it issues the certificate (course.yaml ``completion``).

    The loader resolves the defaults that depend on the course: an evaluation is required when
    the course has one, an attestation when the course has a ``ce`` block.
    """

    evaluation_required: bool = True
    attestation_required: bool = True
    attestation_text: str = DEFAULT_ATTESTATION
    min_seat_minutes: int = 0  # active minutes before the post-test unlocks
    idle_minutes: int = 5  # inactivity longer than this stops the seat-time clock


@dataclass
class Choice:
    id: str
    text: str
    feedback: str = ""
    mark: Mark | None = None  # where the choice is written (None: true-false's built-in choices)


@dataclass
class LintWaiver:
    """A question's ``lint: {ignore: [...], reason: ...}``: item-writing rules it may break."""

    rules: list[str]
    reason: str
    mark: Mark


@dataclass
class Question:
    id: str
    type: QuestionType
    prompt: str
    objective: str
    rationale: str
    mark: Mark
    # single, multiple, sequencing and true-false (the two choices "true" and "false")
    choices: list[Choice] = field(default_factory=list)
    # matching: each source is matched to exactly one target
    sources: list[Choice] = field(default_factory=list)
    targets: list[Choice] = field(default_factory=list)
    # single/true-false: one id; multiple: the set; sequencing: the order;
    # matching: "source.target" pairs in source order.
    correct: list[str] = field(default_factory=list)
    prompt_mark: Mark | None = None  # where the prompt's text starts, for item-writing warnings
    # Where each list the author wrote (choices, sources, targets) starts, for the targets'
    # limits on how many there may be.
    list_marks: dict[str, Mark] = field(default_factory=dict)
    waiver: LintWaiver | None = None


@dataclass
class Page:
    id: str
    title: str
    kind: PageKind
    objectives: list[str]
    body: str  # Markdown, front matter removed
    body_line: int  # line of the first body line in the file, for messages
    mark: Mark
    include_references: bool = False


@dataclass
class Module:
    id: str
    title: str
    folder: str
    pages: list[Page]
    knowledge_check: list[Question]
    mark: Mark
    objectives: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    id: str
    title: str
    instructions: str
    questions: list[Question]
    policy: AssessmentPolicy
    mark: Mark


@dataclass
class SurveyItem:
    id: str
    type: SurveyItemType
    prompt: str
    mark: Mark
    scale: list[str] = field(default_factory=list)
    objective: str = ""
    required: bool = True


@dataclass
class Survey:
    id: str
    title: str
    instructions: str
    items: list[SurveyItem]
    mark: Mark


@dataclass
class Reference:
    key: str
    cite: str  # the in-text form, e.g. "Haupert et al., 2017"
    text: str  # the full reference-list entry (Markdown allowed)
    mark: Mark


@dataclass
class Course:
    id: str
    title: str
    version: str
    language: str
    description: str
    keywords: list[str]
    authors: list[Author]
    objectives: list[Objective]
    ce: CE | None
    modules: list[Module]
    assessment: Assessment | None
    evaluation: Survey | None
    references: list[Reference]
    root: Path
    mark: Mark
    xapi_base: str = ""
    completion: CompletionRules = field(default_factory=CompletionRules)
    theme: Theme | None = None
    # references.yaml exists but could not be read (its error is reported): citations are
    # then not checked against an empty list, which would blame every page.
    references_unreadable: bool = False

    def objective_ids(self) -> set[str]:
        return {o.id for o in self.objectives}

    def all_pages(self) -> list[tuple[Module, Page]]:
        return [(m, p) for m in self.modules for p in m.pages]
