"""Run the preview until Ctrl-C: first build, bind, watch, serve."""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from scormbuild.serve.site import PreviewSite

LOOPBACK = ("127.0.0.1", "localhost")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def describe(site: PreviewSite) -> str:
    snap = site.snapshot
    errors = [p for p in snap.problems if p.severity == "error"]
    if errors:
        return f"build {snap.generation}: {len(errors)} error(s); the preview shows them"
    warnings = len(snap.problems)
    return (f"build {snap.generation}: ok ({len(snap.files)} files, {site.target}"
            + (f", {warnings} warning(s)" if warnings else "") + ")")


def serve(src: Path, host: str, port: int, target: str, cache_dir: Path | None,
          echo: Callable[[str, bool], None]) -> int:
    """Serve until interrupted; returns the exit status (0, or 1 when the port is taken)."""
    from scormbuild.serve.server import make_server
    from scormbuild.serve.watch import start_watcher

    if host not in LOOPBACK:
        echo(f"warning: serving on {host}: anyone who can reach this machine can open the "
             "preview and its course", True)
    site = PreviewSite(src, target, cache_dir)
    try:
        server = make_server(site, host, port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            echo(f"{host}:{port} is already in use; stop the other server or pick another "
                 "port with --port", True)
        else:
            echo(f"{host}:{port}: cannot listen there ({err.strerror or err})", True)
        return 1
    for problem in site.rebuild().problems:
        echo(str(problem), True)
    echo(describe(site), False)
    stop = threading.Event()

    def rebuilt(site: PreviewSite) -> None:
        for problem in site.snapshot.problems:
            if problem.severity == "error":
                echo(str(problem), True)
        echo(describe(site), False)

    start_watcher(site, stop, rebuilt, lambda line: echo(line, True))
    echo(f"serving {src} at http://{host}:{server.server_address[1]}/ "
         "(Ctrl-C to stop)", False)
    # A service manager's SIGTERM stops it as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        site.close()
        server.server_close()
    echo("stopped", False)
    return 0
