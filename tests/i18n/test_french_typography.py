"""Every French text sets a non-breaking space (U+00A0) before ":" ";" "?" "!" and inside
« »: the message catalogue and the French texts of every edition."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from tests.i18n.french_typography import NBSP, corrected, faults

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
EDITIONS = sorted((ROOT / "surveys" / "editions").glob("*.json"))


def french_texts(node, where="$"):
    """(where, text) for every French text of an edition's definition."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr":
                for i, text in enumerate(value if isinstance(value, list) else [value]):
                    if isinstance(text, str):
                        yield f"{where}.fr[{i}]", text
            else:
                yield from french_texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from french_texts(item, f"{where}[{i}]")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Cycle : 2012", True),
        ("Cycle: 2012", True),
        ("Oui ?", True),
        ("Non!", True),
        ("a ; b", True),
        ("« cité »", True),
        (f"Cycle{NBSP}: 2012", False),
        (f"«{NBSP}cité{NBSP}»", False),
        (f"%(label)s{NBSP}: %(value)s", False),
        ("https://www.wipo.int/standards/fr/", False),
        ("à 10:20", False),
        ("?source=response&amp;response=1", False),
        ("<!-- note -->", False),
        ("type inconnu (??)", False),
    ],
)
def test_the_check_finds_a_breakable_or_missing_space(text, found):
    assert bool(faults(text)) is found
    assert not faults(corrected(text))


def test_the_french_catalogue_sets_a_non_breaking_space_before_high_marks():
    bad = []
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            bad += [(entry.msgid[:60], fault) for fault in faults(text)]
    assert bad == []


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.name)
def test_the_french_texts_of_an_edition_set_a_non_breaking_space_before_high_marks(path):
    definition = json.loads(path.read_text(encoding="utf-8"))
    bad = [(where, fault) for where, text in french_texts(definition) for fault in faults(text)]
    assert bad == []
