"""cmi5 facts, defined once: the course-structure namespace and vocabularies, the cmi5 verbs,
categories and extensions, the launch parameters and State/Agent Profile document names.

From the cmi5 Quartz specification (../shared/reference/cmi5.md). The player's tracker
(templates/player/tracking/cmi5.js) spells the same names itself; docs/cmi5.md lists them.
"""

from __future__ import annotations

from scormbuild.xapi.vocabulary import CMI5_CATEGORY, verb_iri

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
FILE_NAME = "cmi5.xml"  # at the zip root (cmi5 section 14.1)
LAUNCH_FILE = "index.html"  # the one AU's url, relative to the package

MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
LAUNCH_MODES = ("Normal", "Browse", "Review")
MASTERY_PLACES = 4  # masteryScore: a decimal 0..1 with up to 4 places

# Category activities (contextActivities.category) of cmi5-defined statements.
CATEGORY_CMI5 = CMI5_CATEGORY  # defined with the xAPI vocabulary: records.py reads it too
CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"

# Context extensions.
EXT_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
EXT_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
EXT_LAUNCH_MODE = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
EXT_MOVE_ON = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
EXT_LAUNCH_URL = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"

# The cmi5 verbs: the AU sends initialized to terminated, the LMS launched and the last three
# (ADL's verb registry for the first six, through the xAPI vocabulary; w3id.org for the rest).
ADL_W3ID_VERBS = "https://w3id.org/xapi/adl/verbs/"
VERBS: dict[str, str] = {
    **{name: verb_iri(name) for name in ("launched", "initialized", "completed", "passed",
                                         "failed", "terminated")},
    **{name: ADL_W3ID_VERBS + name for name in ("abandoned", "waived", "satisfied")},
}
# cmi5-defined statements whose result carries success or completion also carry the moveon
# category (section 9.6.2.2); no other statement may.
MOVEON_VERBS = ("completed", "passed", "failed")

# The launch URL's parameters (section 8.1) and the documents the AU reads.
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")
LAUNCH_DATA = "LMS.LaunchData"  # State API stateId
LEARNER_PREFERENCES = "cmi5LearnerPreferences"  # Agent Profile profileId


def player_vocabulary() -> dict[str, object]:
    """The cmi5 names the player's tracker (tracking/cmi5.js) uses, for the course data's
    ``cmi5`` key: spelled here once, for Python and the player alike."""
    return {
        "categories": {"cmi5": CATEGORY_CMI5, "moveon": CATEGORY_MOVEON},
        "mastery": EXT_MASTERY_SCORE,
        "launchData": LAUNCH_DATA,
        "preferences": LEARNER_PREFERENCES,
    }
