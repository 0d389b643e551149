"""Command output shared by every command group: print, or write a file atomically."""

from __future__ import annotations

from pathlib import Path

import click

from scormbuild.package import write_atomically


def emit(text: str, out: Path | None, what: str = "") -> None:
    """Print ``text``, or write it atomically to ``out`` and say so on standard error."""
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomically(out, text.encode("utf-8"))
    click.echo(f"wrote {out}" + (f" ({what})" if what else ""), err=True)
