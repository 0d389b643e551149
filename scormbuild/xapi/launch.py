"""Tin Can launch URLs, for testing a package against an LRS without an LMS.

The convention (Rustici's "launch" document, ../shared/reference/xapi.md): the launch page
gets ``endpoint``, ``auth`` (the whole Authorization header value), ``actor`` (Agent JSON),
and optionally ``registration`` and ``activity_id``, every value URL-encoded.
"""

from __future__ import annotations

import json
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from scormbuild.targets.xapi import TINCAN_NS

NS = {"t": TINCAN_NS}


class LaunchError(Exception):
    pass


@dataclass(frozen=True)
class LaunchActivity:
    activity_id: str
    href: str
    lang: str


def read_launch(package: Path) -> LaunchActivity:
    """The one launchable activity of a Tin Can package (any tool's, not only ours)."""
    try:
        with zipfile.ZipFile(package) as archive:
            if "tincan.xml" not in archive.namelist():
                raise LaunchError(f"{package}: no tincan.xml at the root of the zip: not a "
                                  "Tin Can package")
            xml = archive.read("tincan.xml")
    except zipfile.BadZipFile:
        raise LaunchError(f"{package}: not a zip file") from None
    try:
        # No entities, no network: the package may come from anywhere.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as err:
        raise LaunchError(f"{package}!tincan.xml: not well-formed XML ({err})") from None
    launches = root.findall("t:activities/t:activity/t:launch", NS)
    if len(launches) != 1:
        raise LaunchError(f"{package}!tincan.xml: {len(launches)} launchable activities; a "
                          "Tin Can package needs exactly one <launch>")
    launch = launches[0]
    activity = launch.getparent()
    activity_id = activity.get("id") if activity is not None else None
    href = (launch.text or "").strip()
    if not activity_id or not href:
        raise LaunchError(f"{package}!tincan.xml: the launchable activity needs an id and a "
                          "launch file")
    return LaunchActivity(activity_id, href, launch.get("lang", ""))


def actor_json(email: str, name: str | None = None) -> str:
    agent: dict[str, str] = {"objectType": "Agent"}
    if name:
        agent["name"] = name
    agent["mbox"] = email if email.startswith("mailto:") else f"mailto:{email}"
    return json.dumps(agent, separators=(",", ":"), ensure_ascii=False)


def launch_url(base_url: str, launch: LaunchActivity, endpoint: str, auth: str, actor: str,
               registration: str | None) -> str:
    params = {"endpoint": endpoint, "auth": auth, "actor": actor}
    if registration:
        params["registration"] = registration
    params["activity_id"] = launch.activity_id
    # quote_via=quote: "%20" rather than "+", which some launch pages do not decode.
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
    target = urllib.parse.urljoin(base_url, launch.href) if base_url else launch.href
    return f"{target}{'&' if '?' in target else '?'}{query}"
