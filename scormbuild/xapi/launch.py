"""Tin Can launch URLs, for testing a package against an LRS without an LMS.

The convention (Rustici's "launch" document, ../shared/reference/xapi.md): the launch page
gets ``endpoint``, ``auth`` (the whole Authorization header value), ``actor`` (Agent JSON),
and optionally ``registration`` and ``activity_id``, every value URL-encoded.
"""

from __future__ import annotations

import json
import urllib.parse
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from scormbuild.pkgcheck.xmlsafe import hardened_parser
from scormbuild.problems import Refused
from scormbuild.xapi.target import TINCAN_NS
from scormbuild.xapi.urls import origin

NS = {"t": TINCAN_NS}
# A tincan.xml of thousands of activities is a few MB; the zip's declared size is checked
# before reading and the read itself stops here, whatever the zip claims.
MAX_TINCAN_XML = 16 << 20


class LaunchError(Refused):
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
            declared = archive.getinfo("tincan.xml").file_size
            if declared > MAX_TINCAN_XML:
                raise LaunchError(_too_big(package, f"{declared} bytes"))
            with archive.open("tincan.xml") as entry:
                xml = entry.read(MAX_TINCAN_XML + 1)
            if len(xml) > MAX_TINCAN_XML:
                raise LaunchError(_too_big(package, f"more than {MAX_TINCAN_XML} bytes"))
    except zipfile.BadZipFile as err:
        raise LaunchError(f"{package}: not a readable zip file ({err})") from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise LaunchError(f"{package}!tincan.xml: cannot be unpacked ({err})") from None
    try:
        # The package may come from anywhere: the validator's hardened parser.
        root = etree.fromstring(xml, hardened_parser())
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


def _too_big(package: Path, size: str) -> str:
    return (f"{package}!tincan.xml: {size} unpacked; scormbuild reads a tincan.xml of at "
            f"most {MAX_TINCAN_XML >> 20} MiB")


def actor_json(email: str, name: str | None = None) -> str:
    agent: dict[str, str] = {"objectType": "Agent"}
    if name:
        agent["name"] = name
    agent["mbox"] = email if email.startswith("mailto:") else f"mailto:{email}"
    return json.dumps(agent, separators=(",", ":"), ensure_ascii=False)


def launch_target(base_url: str, href: str, allow_absolute: bool = False) -> str:
    """Where the launch URL points: the package's relative launch file joined to
    ``base_url`` (and staying on its origin), or, only when the user allows it, the absolute
    http(s) address tincan.xml gives. The launch URL carries the LRS credentials, so a
    package must not choose the host that receives them."""
    shown = href if len(href) <= 200 else href[:200] + "..."
    where = f"tincan.xml launches {shown!r}"
    if "\\" in href or any(ord(c) < 0x20 or ord(c) == 0x7F for c in href):
        # Browsers read a backslash as a slash and drop tabs and newlines: "\\host" or
        # "ht<TAB>tp://host" would leave the origin this check sees.
        raise LaunchError(f"{where}: a backslash or control character in a launch address")
    try:
        parts = urllib.parse.urlsplit(href)
    except ValueError as err:
        raise LaunchError(f"{where}: not a URL ({err})") from None
    if parts.scheme or parts.netloc:
        if origin(href) is None:
            raise LaunchError(f"{where}: only a relative path or an http(s) address can be "
                              "launched")
        if not allow_absolute:
            raise LaunchError(
                f"{where}: an absolute address; the launch URL carries the LRS credentials, "
                "so scormbuild only joins a relative launch file to --base-url. If you trust "
                "that host with the credentials, pass --allow-absolute-launch")
        return href
    if not base_url:
        return href
    target = urllib.parse.urljoin(base_url, href)
    if origin(target) != origin(base_url):
        raise LaunchError(f"{where}: joined to --base-url it leaves {base_url}'s origin")
    return target


def check_base_url(base_url: str) -> str:
    """``--base-url`` as a folder address (ending in /); an http(s) URL without credentials."""
    if not base_url:
        return ""
    try:
        parts = urllib.parse.urlsplit(base_url)
    except ValueError:
        parts = urllib.parse.urlsplit("")
    if origin(base_url) is None or parts.username is not None or parts.query or parts.fragment:
        raise LaunchError(f"--base-url {base_url!r} is not a plain http(s) address such as "
                          "http://127.0.0.1:8000/")
    return base_url if base_url.endswith("/") else base_url + "/"


def launch_url(base_url: str, launch: LaunchActivity, endpoint: str, auth: str, actor: str,
               registration: str | None, allow_absolute: bool = False) -> str:
    params = {"endpoint": endpoint, "auth": auth, "actor": actor}
    if registration:
        params["registration"] = registration
    params["activity_id"] = launch.activity_id
    # quote_via=quote: "%20" rather than "+", which some launch pages do not decode.
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
    target = urllib.parse.urlsplit(launch_target(base_url, launch.href, allow_absolute))
    # Before any #fragment, after any query the launch file already has.
    query = f"{target.query}&{query}" if target.query else query
    return urllib.parse.urlunsplit(target._replace(query=query))
