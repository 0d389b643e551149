"""What a tracker may touch: its own standard's API and its own browser copies, never the
player's private storage or the DOM (docs/internals.md, "The player: who does what")."""

from __future__ import annotations

import re

from scormbuild.resources import templates_dir

TRACKING = templates_dir() / "player" / "tracking"
# The player's own browser copies: survey drafts and the certificate details it asks for.
PLAYER_KEYS = re.compile(r"""['"]:(drafts|certificate)['"]""")
DOM = re.compile(r"\bdocument\b|querySelector|getElementById|innerHTML")


def _code(text: str) -> str:
    return re.sub(r"/\*[\s\S]*?\*/|^\s*//.*$", "", text, flags=re.MULTILINE)


def test_no_tracker_reads_the_players_private_keys_or_the_dom() -> None:
    trackers = sorted(TRACKING.glob("*.js"))
    assert len(trackers) >= 3
    found = [f"{p.name}: {m.group(0)}" for p in trackers
             for pattern in (PLAYER_KEYS, DOM) for m in pattern.finditer(_code(p.read_text()))]
    assert found == []


def test_the_player_keeps_those_keys() -> None:
    """The pattern above is not vacuous: player.js does use them."""
    player = _code((TRACKING.parent / "player.js").read_text())
    assert PLAYER_KEYS.search(player) and DOM.search(player)
