"""The LMS side of a cmi5 launch, for browser tests (cmi5 Quartz sections 8 and 10).

In front of the real LRS (npm xapi-statements) sits ``LrsProxy(state_api=True)``, which plays
the State API, the Agent Profile API and the LMS's single-use fetch URL. ``Cmi5Lms.launch``
does what an LMS does before it opens the AU: it writes ``LMS.LaunchData`` (contextTemplate
with the session id and the publisher id, launchMode, moveOn, masteryScore, returnURL), issues
one auth token at a new fetch URL, records the ``launched`` statement in the LRS, and returns
the launch URL with endpoint, fetch, actor, registration and activityId. Only 127.0.0.1.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from scormbuild.cmi5.spec import (
    CATEGORY_CMI5,
    EXT_LAUNCH_MODE,
    EXT_LAUNCH_URL,
    EXT_MASTERY_SCORE,
    EXT_MOVE_ON,
    EXT_SESSION_ID,
    LAUNCH_DATA,
    LEARNER_PREFERENCES,
    VERBS,
)
from support.lrs_proxy import LrsProxy

TOKEN = "dGVzdDp0ZXN0"  # base64("test:test"): xapi-statements (AUTH_REPO=test) takes any
ACTOR = {"objectType": "Agent", "name": "Ann Learner",
         "account": {"homePage": "https://lms.example.invalid", "name": "ann-1"}}


@dataclass(frozen=True)
class Launch:
    url: str
    registration: str
    session: str
    activity_id: str
    fetch: str


class Cmi5Lms:
    def __init__(self, proxy: LrsProxy, launch_page: str, au_id: str,
                 actor: dict[str, Any] = ACTOR) -> None:
        self.proxy = proxy
        self.launch_page = launch_page  # http://127.0.0.1:<port>/index.html (the AU's url)
        self.au_id = au_id  # the publisher id, from cmi5.xml
        self.actor = actor
        # An id of the LMS's own for the AU (never the publisher id, cmi5 section 8.1).
        self.activity_id = f"https://lms.example.invalid/activities/{uuid.uuid4()}"

    @property
    def actor_json(self) -> str:
        return json.dumps(self.actor)

    def preferences(self, language: str) -> None:
        self.proxy.put_document({"languagePreference": language, "audioPreference": "on"},
                                self.actor_json, LEARNER_PREFERENCES)

    def launch_data(self, registration: str) -> dict[str, Any]:
        doc = self.proxy.document(self.activity_id, self.actor_json, registration, LAUNCH_DATA)
        assert doc is not None
        data: dict[str, Any] = json.loads(doc)
        return data

    def launch(self, registration: str, *, mode: str = "Normal",
               move_on: str = "CompletedAndPassed", mastery: float | None = 0.8,
               return_url: str | None = None) -> Launch:
        session = str(uuid.uuid4())
        data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity",
                                                    "id": self.au_id}]},
                "extensions": {EXT_SESSION_ID: session},
            },
            "launchMode": mode,
            "moveOn": move_on,
        }
        if mastery is not None:
            data["masteryScore"] = mastery
        if return_url:
            data["returnURL"] = return_url
        self.proxy.put_document(data, self.activity_id, self.actor_json, registration,
                                LAUNCH_DATA)
        extensions: dict[str, Any] = {EXT_SESSION_ID: session, EXT_LAUNCH_MODE: mode,
                                      EXT_LAUNCH_URL: self.launch_page, EXT_MOVE_ON: move_on}
        if mastery is not None:
            extensions[EXT_MASTERY_SCORE] = mastery
        launched = {
            "id": str(uuid.uuid4()), "actor": self.actor,
            "verb": {"id": VERBS["launched"], "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": self.activity_id},
            "context": {"registration": registration,
                        "contextActivities": {"category": [{"id": CATEGORY_CMI5}],
                                              "grouping": [{"id": self.au_id}]},
                        "extensions": extensions},
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        }
        status, body = self.proxy_post([launched])
        assert status == 200, body
        fetch = self.proxy.issue_token(str(uuid.uuid4()), TOKEN)
        return Launch(self.url(fetch, registration), registration, session, self.activity_id,
                      fetch)

    def url(self, fetch: str, registration: str) -> str:
        params = {"endpoint": self.proxy.url("xAPI/"), "fetch": fetch, "actor": self.actor_json,
                  "registration": registration, "activityId": self.activity_id}
        return self.launch_page + "?" + urllib.parse.urlencode(params)

    def proxy_post(self, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.proxy.url("xAPI/statements"), data=json.dumps(statements).encode(),
            method="POST", headers={"X-Experience-API-Version": "1.0.3",
                                    "Authorization": f"Basic {TOKEN}",
                                    "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")
