"""``scormbuild xapi ...``: tools for LRS admins and CE providers (exit 0 ok, 1 problems).

Kept apart from commands/cli.py (which only adds this group) and importing nothing from it,
so the two modules never import each other half-initialised.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

import click

from scormbuild.build import compile_course
from scormbuild.commands.args import SRC_ARG
from scormbuild.commands.guard import SECRETS, fail, guard
from scormbuild.commands.output import emit
from scormbuild.package import write_atomically
from scormbuild.problems import Problem
from scormbuild.xapi.activities import course_activities
from scormbuild.xapi.checks import check_activity, check_agent, is_uuid
from scormbuild.xapi.launch import (
    actor_json,
    check_base_url,
    launch_url,
    read_launch,
)
from scormbuild.xapi.lrs import DEFAULT_TIMEOUT, LrsError, basic_auth, normalise_endpoint, ping
from scormbuild.xapi.proxy import ProxyChoice, ProxyError
from scormbuild.xapi.records import parse_since, records, to_csv
from scormbuild.xapi.urls import origin, redact

# Credentials may come from the environment so they stay out of shell history and CI logs.
ENDPOINT = click.option("--endpoint", required=True, envvar="SCORMBUILD_XAPI_ENDPOINT",
                        help="The LRS's xAPI endpoint, e.g. https://lrs.example.org/xapi/ "
                             "[env SCORMBUILD_XAPI_ENDPOINT]")
USER = click.option("--user", required=True, envvar="SCORMBUILD_XAPI_USER",
                    help="LRS key (Basic auth user) [env SCORMBUILD_XAPI_USER]")
PASSWORD = click.option("--password", required=True, envvar="SCORMBUILD_XAPI_PASSWORD",
                        help="LRS secret (Basic auth password) [env SCORMBUILD_XAPI_PASSWORD]")


@click.group("xapi")
@click.option("--proxy", metavar="URL",
              help="Reach the LRS through this http:// proxy (http://[user:password@]host:port),"
                   " whatever http_proxy, https_proxy and no_proxy say.")
@click.option("--no-proxy", "direct", is_flag=True,
              help="Connect to the LRS directly, ignoring http_proxy and https_proxy.")
@click.pass_context
def xapi_group(ctx: click.Context, proxy: str | None, direct: bool) -> None:
    """xAPI (Tin Can): activity definitions, LRS checks, launch URLs and learner records.

    The LRS is reached through the proxy in https_proxy / http_proxy (by the endpoint's
    scheme) unless no_proxy names its host; --proxy and --no-proxy replace that.
    """
    if proxy is not None and direct:
        raise click.UsageError("give --proxy or --no-proxy, not both")
    try:
        choice = (ProxyChoice.given(proxy) if proxy is not None
                  else ProxyChoice.direct() if direct else ProxyChoice.from_environment())
    except ProxyError as err:
        raise click.BadParameter(redact(str(err)), param_hint="--proxy") from None
    ctx.obj = choice
    # guard() redacts these from every message, as it does the LRS password.
    ctx.meta[SECRETS] = choice.secrets()


def _proxies() -> ProxyChoice:
    """The group's choice (the environment's, when a command is called without the group)."""
    found = click.get_current_context().find_object(ProxyChoice)
    return found if found is not None else ProxyChoice.from_environment()


def _hide(text: str, user: str, password: str) -> str:
    """``text`` without the LRS password or any proxy password."""
    text = redact(text, user, password)
    for proxy_user, proxy_password in click.get_current_context().meta.get(SECRETS, []):
        text = redact(text, proxy_user, proxy_password)
    return text


@xapi_group.command("activities")
@SRC_ARG
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the JSON to this file instead of standard output.")
@guard
def activities_command(src: Path, out: Path | None) -> None:
    """Print the xAPI activity definitions of the course in SRC as JSON.

    For LRS admins and CE providers mapping reports: every activity IRI, its kind, source id,
    parent and definition (names, interaction types, correct-response patterns).
    """
    compiled = compile_course(src)
    activities = course_activities(compiled.course, compiled.rendered)
    document = activities.as_json()
    mark = compiled.course.mark
    # tincan would serialise a broken definition without a word; refuse to hand one out.
    problems = [Problem(str(mark.path), mark.line, mark.col, f"xAPI activity {a.iri}: {msg}")
                for a in activities for msg in check_activity(a.activity, "activity")]
    if problems:
        fail(problems)
    emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", out,
         f"{len(document['activities'])} activities")


@xapi_group.command("ping")
@ENDPOINT
@USER
@PASSWORD
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True,
              help="Seconds each request may take, from connecting to the last byte.")
@guard
def ping_command(endpoint: str, user: str, password: str, timeout: float) -> None:
    """Check an LRS: its About resource, then a test statement written and read back.

    The test statement's actor is xapi-ping@scormbuild.invalid, never a real learner.
    """
    report = ping(endpoint, user, password, timeout, _proxies())
    lines = [_hide(line, user, password) for line in report.lines]
    for line in lines[:-1] if not report.ok else lines:
        click.echo(line)
    if report.ok:
        click.echo(f"OK: {redact(endpoint)} is a working xAPI LRS for these credentials")
        return
    click.echo(f"FAILED: {lines[-1]}", err=True)
    sys.exit(1)


@xapi_group.command("launch-url")
@click.argument("package", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@ENDPOINT
@USER
@PASSWORD
@click.option("--actor-email", required=True, help="The learner's email (becomes mailto:).")
@click.option("--actor-name", help="The learner's name.")
@click.option("--registration", help="Attempt UUID; a new one is made when omitted.")
@click.option("--base-url", default="",
              help="Where the unpacked PACKAGE is served, e.g. http://127.0.0.1:8000/; "
                   "without it the URL is relative to that folder.")
@click.option("--allow-absolute-launch", is_flag=True,
              help="Accept a launch address in tincan.xml that is an absolute http(s) URL "
                   "(another host): the credentials in the URL go to that host.")
@guard
def launch_url_command(package: Path, endpoint: str, user: str, password: str,
                       actor_email: str, actor_name: str | None, registration: str | None,
                       base_url: str, allow_absolute_launch: bool) -> None:
    """Print a Tin Can launch URL for PACKAGE (testing against an LRS without an LMS).

    The URL contains the credentials: share it only with whoever may use them. A launch
    address in tincan.xml that is not a relative path is refused unless
    --allow-absolute-launch is given.
    """
    base_url = check_base_url(base_url)
    launch = read_launch(package)
    actor = actor_json(actor_email, actor_name)
    problems = check_agent(json.loads(actor), "--actor-email")
    if registration is not None and not is_uuid(registration):
        problems.append(Problem("--registration", 0, 0, f"{registration!r} is not a UUID"))
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    if registration is None:
        registration = str(uuid.uuid4())
        click.echo(f"registration: {registration} (new)", err=True)
    url = launch_url(base_url, launch, normalise_endpoint(endpoint), basic_auth(user, password),
                     actor, registration, allow_absolute_launch)
    if origin(launch.href) is not None:
        click.echo(f"note: the package launches the absolute address {launch.href} (allowed "
                   "by --allow-absolute-launch): the credentials in the URL go there", err=True)
    click.echo(url)


@xapi_group.command("records")
@SRC_ARG
@ENDPOINT
@USER
@PASSWORD
@click.option("--activity", help="The course IRI (xapi_base); without it, read from SRC's "
                                 "course.yaml.")
@click.option("--since", help="Only statements the LRS stored since this date (2026-01-31, "
                              "midnight UTC) or ISO date-time.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The CSV file to write.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True,
              help="Seconds each request may take, from connecting to the last byte.")
@guard
def records_command(src: Path, endpoint: str, user: str, password: str, activity: str | None,
                    since: str | None, out: Path, timeout: float) -> None:
    """Write a CSV roster of the course's learners from an LRS: one row per learner and
    registration (name, identifier, start, completion, best score, passed, attempts, seat
    time, evaluation done, certificate id and issue date). See docs/xapi.md.
    """
    since_iso = parse_since(since) if since else None
    if activity:
        iri = activity.strip().rstrip("/")
        if not iri.startswith(("http://", "https://")):
            raise LrsError(f"--activity {activity!r} is not an http(s) IRI such as "
                           "https://courses.example.org/widgets")
    else:
        compiled = compile_course(src)
        iri = course_activities(compiled.course, compiled.rendered).root.iri
    normalise_endpoint(endpoint)
    rows = records(endpoint, user, password, iri, since_iso, timeout, _proxies())
    write_atomically(out, to_csv(rows).encode("utf-8"))
    click.echo(f"wrote {out} ({len(rows)} row(s) for {iri})", err=True)


# ---------- CE evidence (docs/ce-evidence.md) ----------
# The report modules are imported inside the commands: this block stays self-contained (one
# hunk to merge), and the other commands do not load Jinja2 for nothing.

FORMAT = click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html",
                      show_default=True, help="html: one self-contained report; csv: for "
                                              "spreadsheets.")
SINCE = click.option("--since", help="Only statements the LRS stored since this date "
                                     "(2026-01-31, midnight UTC) or ISO date-time.")
REPORT_OUT = click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
                          help="Write the report to this file instead of standard output.")
TIMEOUT = click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
                       show_default=True, help="Seconds to wait for each answer.")


def _query(endpoint: str, user: str, password: str, since: str | None, timeout: float
           ) -> Any:
    from scormbuild.xapi.ce_evidence import Query

    normalise_endpoint(endpoint)  # a bad endpoint fails before the course is compiled
    return Query(endpoint, user, password, parse_since(since) if since else None, timeout,
                 _proxies())


def _skipped_line(total: int) -> str:
    return f"; {total} statement(s) skipped (see the report)" if total else ""


@xapi_group.command("item-analysis")
@SRC_ARG
@ENDPOINT
@USER
@PASSWORD
@SINCE
@click.option("--all-attempts", is_flag=True,
              help="Analyse every attempt, not only each learner's first.")
@FORMAT
@REPORT_OUT
@TIMEOUT
@guard
def item_analysis_command(src: Path, endpoint: str, user: str, password: str,
                          since: str | None, all_attempts: bool, fmt: str, out: Path | None,
                          timeout: float) -> None:
    """Item analysis of the post-test from an LRS: per question difficulty, discrimination,
    option shares and review flags; per objective mastery; pass rate, score distribution and
    KR-20. Each learner's first attempt unless --all-attempts. See docs/ce-evidence.md.
    """
    from scormbuild.xapi.ce_evidence import item_analysis
    from scormbuild.xapi.evidence_report import item_analysis_csv, item_analysis_html

    query = _query(endpoint, user, password, since, timeout)
    compiled = compile_course(src)
    data = item_analysis(compiled.course, compiled.rendered, query, all_attempts)
    text = item_analysis_html(data) if fmt == "html" else item_analysis_csv(data)
    r = data.report
    emit(text, out, f"{r.attempts} attempt(s) of {r.learners} learner(s)"
         + (", provisional" if r.provisional else "")
         + _skipped_line(data.source.skipped.total))


@xapi_group.command("seat-time")
@SRC_ARG
@ENDPOINT
@USER
@PASSWORD
@SINCE
@FORMAT
@REPORT_OUT
@TIMEOUT
@guard
def seat_time_command(src: Path, endpoint: str, user: str, password: str, since: str | None,
                      fmt: str, out: Path | None, timeout: float) -> None:
    """Active time per module and for the course (median, IQR, 10th/90th percentile) of the
    learners who completed, against the word-count estimate. See docs/ce-evidence.md.
    """
    from scormbuild.xapi.ce_evidence import seat_time
    from scormbuild.xapi.evidence_report import seat_time_csv, seat_time_html

    query = _query(endpoint, user, password, since, timeout)
    compiled = compile_course(src)
    data = seat_time(compiled.course, compiled.rendered, query)
    text = seat_time_html(data) if fmt == "html" else seat_time_csv(data)
    r = data.report
    emit(text, out, f"{r.completers} learner(s) who completed"
         + (", provisional" if r.course.provisional else "")
         + _skipped_line(data.source.skipped.total))
