"""The xAPI vocabulary is spelled once in Python: scormbuild/xapi/vocabulary.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "scormbuild"
VOCABULARY = ROOT / "xapi" / "vocabulary.py"
# Verb and activity-type registries, and the parts of the course's activity IRI scheme.
SPELLINGS = re.compile(r"adlnet\.gov/expapi|tincanapi\.com|[\"'/](extension|evaluation|"
                       r"assessment|question|module|page)/")


def _code(path: Path) -> str:
    """The module without its docstrings and comments' prose (they may quote an IRI)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"""[\s\S]*?"""', "", text)
    return re.sub(r"#.*", "", text)


def test_only_the_vocabulary_spells_verbs_types_and_iris() -> None:
    found = sorted(f"{p.relative_to(ROOT)}: {m.group(0)}"
                   for p in ROOT.rglob("*.py") if p != VOCABULARY
                   for m in SPELLINGS.finditer(_code(p)))
    assert found == []
    assert SPELLINGS.search(_code(VOCABULARY))  # the pattern does find them


def test_the_player_takes_them_from_the_course_data() -> None:
    """tracking/xapi.js reads verbs and IRI paths from the course data's ``xapi`` key, which
    the xAPI target fills from the vocabulary: no JS file spells them again."""
    from scormbuild.resources import templates_dir
    from scormbuild.xapi.target import XapiTarget
    from scormbuild.xapi.vocabulary import player_vocabulary
    from tests.player.conftest import sample_course

    player = templates_dir() / "player"
    found = sorted(f"{p.relative_to(player)}: {m.group(0)}" for p in player.rglob("*.js")
                   for m in SPELLINGS.finditer(re.sub(r"(?m)^\s*(//|/?\*).*$", "",
                                                      p.read_text(encoding="utf-8"))))
    assert found == []
    html = XapiTarget.player(sample_course())["index.html"].decode()
    assert player_vocabulary()["verbs"]["answered"].replace("/", "\\/") in html or \
        player_vocabulary()["verbs"]["answered"] in html
