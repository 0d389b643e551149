"""How every command ends when the user's input is wrong: messages and exit 1, never a
traceback (set SCORMBUILD_DEBUG=1 to see one), and no message shows a password."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from scormbuild.problems import Problem, ProblemsFound, Refused

F = TypeVar("F", bound=Callable[..., Any])
DEBUG_VARIABLE = "SCORMBUILD_DEBUG"
# click's ctx.meta key: more (user, password) pairs to redact (e.g. xapi's proxy credentials).
SECRETS = "scormbuild.secrets"


def report(problems: list[Problem]) -> None:
    """Every problem on standard error, then the count when any is an error."""
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


def fail(problems: list[Problem]) -> None:
    report(problems)
    sys.exit(1)


def guard(func: F) -> F:
    """Problems in the user's input end in messages and exit 1, never a traceback.

    A refusal's message may quote what an LRS answered or a URL the user gave: the command's
    ``user``/``password`` options are redacted from it. SCORMBUILD_DEBUG=1, read when the
    command runs (not when this module is imported), lets every exception through.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if os.environ.get(DEBUG_VARIABLE) == "1":
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except ProblemsFound as found:
            fail(found.problems)
        except Refused as err:
            from scormbuild.xapi.urls import redact

            message = redact(str(err), kwargs.get("user"), kwargs.get("password"))
            ctx = click.get_current_context(silent=True)
            for user, password in ctx.meta.get(SECRETS, []) if ctx is not None else []:
                message = redact(message, user, password)
            click.echo(f"error: {message}", err=True)
            sys.exit(1)
        except OSError as err:
            click.echo(f"{err.filename or 'output'}: {err.strerror or err}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
