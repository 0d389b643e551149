"""The xAPI vocabulary of a scormbuild course, defined once for the Python side: verbs, activity
types, the activity IRI scheme, extension keys and the response-pattern syntax.

The package (``activities``, ``target``), the readers of an LRS (``records``, ``evidence``,
``attempts``, ``timings``), the checks and the reference statements (``statements``) all take
them from here, and so does the player's tracker (templates/player/tracking/xapi.js), through
the course data (``player_vocabulary``). No tincan, no course: importing this is cheap.
docs/xapi.md lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verbs: ADL's registry, plus the one from the Tin Can registry (a certificate was earned).
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
VERBS: tuple[str, ...] = ("launched", "initialized", "experienced", "answered", "attempted",
                          "completed", "passed", "failed", "suspended", "resumed",
                          "terminated", "progressed")
EARNED = "http://id.tincanapi.com/verb/earned"


def verb_iri(name: str) -> str:
    if name == "earned":
        return EARNED
    if name not in VERBS:
        raise ValueError(f"{name!r} is not one of the verbs the course uses")
    return ADL_VERBS + name


def adl_verb_name(iri: str) -> str | None:
    """``answered`` for ADL's answered verb; None for a verb outside ADL's registry."""
    return iri[len(ADL_VERBS):] if iri.startswith(ADL_VERBS) else None


# Activity types.
ADL_ACTIVITY_TYPES = "http://adlnet.gov/expapi/activities/"
TYPE_COURSE = ADL_ACTIVITY_TYPES + "course"
TYPE_MODULE = ADL_ACTIVITY_TYPES + "module"
TYPE_LESSON = ADL_ACTIVITY_TYPES + "lesson"
TYPE_ASSESSMENT = ADL_ACTIVITY_TYPES + "assessment"
# Interaction activities (questions and survey items) are cmi.interaction: the xAPI spec ties
# interactionType/correctResponsesPattern to that type, and LRS item analyses look for it.
TYPE_INTERACTION = ADL_ACTIVITY_TYPES + "cmi.interaction"
TYPE_MEETING = ADL_ACTIVITY_TYPES + "meeting"  # `xapi ping`'s test activity
# The evaluation is not scored, so "assessment" would mix it into score reports; the Tin Can
# registry's survey type keeps it apart.
TYPE_SURVEY = "http://id.tincanapi.com/activitytype/survey"

# The xAPI pattern separators (xAPI 1.0.3, Interaction Activities).
LIST_SEPARATOR = "[,]"
PAIR_SEPARATOR = "[.]"

# What our question types become, and which component lists each interaction type may carry
# (the xAPI spec's table; @learninglocker/xapi-validation warns on any other list).
INTERACTION_TYPES: dict[str, str] = {
    "single": "choice",
    "multiple": "choice",
    "true-false": "true-false",
    "matching": "matching",
    "sequencing": "sequencing",
    "likert": "likert",
    "text": "long-fill-in",
}
COMPONENT_LISTS: dict[str, tuple[str, ...]] = {
    "choice": ("choices",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "true-false": (),
    "fill-in": (),
    "long-fill-in": (),
    "numeric": (),
    "other": (),
}

# Extension names (keys are Iris.extension(name)).
EXTENSION_CERTIFICATE = "certificate"  # result: {"id", "issued": "YYYY-MM-DD"}
EXTENSION_CE = "ce"  # context of the course completion: hours, credit type, number, provider
EXTENSION_LAUNCH_PARAMETERS = "launch-parameters"  # context: unknown launch-URL parameters
# The keys LMSs put on a Tin Can launch URL; anything else is echoed back in context.
LAUNCH_PARAMETERS = ("endpoint", "auth", "actor", "registration", "activity_id",
                     "activity_platform", "Accept-Language", "grouping")


@dataclass(frozen=True)
class Iris:
    """The activity IRI scheme; one place so the package, the CLI and the docs agree."""

    base: str

    def course(self) -> str:
        return self.base

    def module(self, module_id: str) -> str:
        return f"{self.base}/module/{module_id}"

    def page(self, page_id: str) -> str:
        return f"{self.base}/page/{page_id}"

    def assessment(self, assessment_id: str) -> str:
        return f"{self.base}/assessment/{assessment_id}"

    def question(self, question_id: str) -> str:
        # Knowledge-check and post-test questions share one namespace: question ids are
        # unique across the whole course (docs/authoring.md).
        return f"{self.base}/question/{question_id}"

    def evaluation(self, evaluation_id: str) -> str:
        return f"{self.base}/evaluation/{evaluation_id}"

    def evaluation_item(self, evaluation_id: str, item_id: str) -> str:
        return f"{self.base}/evaluation/{evaluation_id}/item/{item_id}"

    def evaluation_item_pattern(self) -> re.Pattern[str]:
        """Matches the IRI of any evaluation item of the course (readers of an LRS)."""
        return re.compile(re.escape(self.base) + r"/evaluation/[^/]+/item/[^/]+$")

    def extension(self, name: str) -> str:
        """Extension keys must be IRIs; the course's own base keeps them under its control."""
        return f"{self.base}/extension/{name}"


# The verbs the player sends, and the extensions it writes.
PLAYER_VERBS = ("launched", "initialized", "experienced", "answered", "completed", "passed",
                "failed", "terminated", "earned")
PLAYER_EXTENSIONS = (EXTENSION_CERTIFICATE, EXTENSION_CE, EXTENSION_LAUNCH_PARAMETERS)


def player_vocabulary() -> dict[str, dict[str, str]]:
    """The names the player's xAPI tracker uses, for the course data's ``xapi`` key: verb IRIs
    by name, and the IRI scheme as paths after the course IRI (which the LMS may choose at
    launch, so the player joins them itself)."""
    scheme = Iris("")
    return {
        "verbs": {name: verb_iri(name) for name in PLAYER_VERBS},
        "paths": {"module": scheme.module(""), "page": scheme.page(""),
                  "question": scheme.question(""), "assessment": scheme.assessment(""),
                  "evaluation": scheme.evaluation(""),
                  "item": scheme.evaluation_item("", "")[len(scheme.evaluation("")):]},
        "extensions": {name: scheme.extension(name) for name in PLAYER_EXTENSIONS},
    }
