"""Rebuild the preview whenever something under the course folder changes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from scormbuild.serve.site import PreviewSite

# Editors save in bursts (temp file, rename, chmod): wait this long for quiet, then rebuild.
DEBOUNCE_MS = 150


def start_watcher(site: PreviewSite, stop: threading.Event,
                  on_build: Callable[[PreviewSite], None],
                  on_error: Callable[[str], None]) -> threading.Thread:
    """A daemon thread that rebuilds on every change (watchfiles: native events, no polling).

    If watching itself fails (the folder is gone, the system's limit of watches is reached),
    ``on_error`` gets one line and the server goes on serving the last build.
    """
    import watchfiles

    def run() -> None:
        try:
            for _changes in watchfiles.watch(site.src, stop_event=stop, debounce=DEBOUNCE_MS,
                                             step=50, rust_timeout=500, raise_interrupt=False):
                try:
                    site.rebuild()
                except Exception as err:  # noqa: BLE001 - a scormbuild bug: say so, keep watching
                    on_error(f"{site.src}: internal error while rebuilding ({err!r}); "
                             "the preview keeps the last build")
                    continue
                on_build(site)
        except Exception as err:  # noqa: BLE001 - a dead watcher must say why, not trace back
            if not stop.is_set():
                on_error(f"{site.src}: watching stopped ({err}); restart serve to watch again")

    thread = threading.Thread(target=run, name="scormbuild-serve-watch", daemon=True)
    thread.start()
    return thread
