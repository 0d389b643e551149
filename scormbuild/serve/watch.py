"""Rebuild the preview whenever something under the course folder changes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from scormbuild.serve.site import PreviewSite

# Editors save in bursts (temp file, rename, chmod): wait this long for quiet, then rebuild.
DEBOUNCE_MS = 150


def start_watcher(site: PreviewSite, stop: threading.Event,
                  on_build: Callable[[PreviewSite], None]) -> threading.Thread:
    """A daemon thread that rebuilds on every change (watchfiles: native events, no polling)."""
    import watchfiles

    def run() -> None:
        for _changes in watchfiles.watch(site.src, stop_event=stop, debounce=DEBOUNCE_MS,
                                         step=50, rust_timeout=500, raise_interrupt=False):
            site.rebuild()
            on_build(site)

    thread = threading.Thread(target=run, name="scormbuild-serve-watch", daemon=True)
    thread.start()
    return thread
