"""The French and Spanish translations of the 2012 edition are complete and faithful in form.

No database needed: the definition file is read directly.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import EDITION_FILE

LANGUAGES = ("en", "fr", "es")
TRANSLATIONS = ("fr", "es")

# Checksum (surveys.questionnaire.loading.checksum: structure + English texts) of the English-only
# definition, as committed before the translations were added. Translations must not
# change it: offices have answered this edition.
ENGLISH_CHECKSUM = "d59547e1c4f3a7b33df8b53b6464549e63e5c045854f9f47f2573f963d96085a"

# Texts of more than three words whose translation may legitimately equal the English.
IDENTICAL_ALLOWED: frozenset[str] = frozenset()

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Number-like tokens: standard references (ST.13, ST.10/C), identifiers such as q4b,
# and numbers, including dotted ones (7.2, 99403122.7).
NUMBER_TOKEN = re.compile(r"ST\.\d+(?:/[A-Z])?|\b[a-z]\d+[a-z]?(?:_[a-z]+)?\b|\d+(?:\.\d+)*")


def _is_text(node) -> bool:
    # Same rule as surveys.questionnaire.loading._english_only.
    return (
        isinstance(node, dict)
        and "en" in node
        and all(isinstance(k, str) and len(k) == 2 and isinstance(v, str) for k, v in node.items())
    )


def _texts(node, path=""):
    if _is_text(node):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


@pytest.fixture(scope="module")
def definition() -> dict:
    return json.loads(EDITION_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(definition) -> list[tuple[str, dict]]:
    found = list(_texts(definition))
    assert found, "no text objects found"
    return found


def test_every_text_object_has_english_french_and_spanish(texts):
    problems = [
        f"{path}: {lang!r} missing or empty"
        for path, text in texts
        for lang in LANGUAGES
        if not isinstance(text.get(lang), str) or not text[lang].strip()
    ]
    assert not problems, "\n".join(problems)


def test_all_kinds_of_texts_are_covered(texts):
    # Guard against the walk silently missing a part of the file.
    kinds = {re.sub(r"\[\d+\]", "", path).rsplit("/", 1)[-1] for path, _ in texts}
    expected = {"title", "introduction", "heading", "body", "reminder", "text", "label", "help"}
    expected |= {"continuation", "answer_format"}
    assert expected <= kinds


def test_translations_are_not_copies_of_the_english(texts):
    problems = [
        f"{path} [{lang}]: identical to English: {text['en']!r}"
        for path, text in texts
        if len(text["en"].split()) > 3 and text["en"] not in IDENTICAL_ALLOWED
        for lang in TRANSLATIONS
        if text.get(lang, "").strip() == text["en"].strip()
    ]
    assert not problems, "\n".join(problems)


def test_placeholders_are_preserved(texts):
    problems = [
        f"{path} [{lang}]: placeholders {sorted(PLACEHOLDER.findall(text.get(lang, '')))} "
        f"instead of {sorted(PLACEHOLDER.findall(text['en']))}"
        for path, text in texts
        for lang in TRANSLATIONS
        if sorted(PLACEHOLDER.findall(text.get(lang, ""))) != sorted(PLACEHOLDER.findall(text["en"]))
    ]
    assert not problems, "\n".join(problems)


def test_answer_format_keeps_value_placeholder(definition):
    formats = [
        question["answer_format"]
        for section in definition["sections"]
        for question in section["questions"]
        if question.get("answer_format")
    ]
    assert formats
    for answer_format in formats:
        for lang in LANGUAGES:
            assert answer_format[lang].count("{value}") == 1, answer_format


def test_number_like_tokens_are_preserved(texts):
    problems = []
    for path, text in texts:
        english = set(NUMBER_TOKEN.findall(text["en"]))
        for lang in TRANSLATIONS:
            lost = english - set(NUMBER_TOKEN.findall(text.get(lang, "")))
            if lost:
                problems.append(f"{path} [{lang}]: missing {sorted(lost)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("english", "tokens"),
    [
        ("see ST.10/C and ST.13", {"ST.10/C", "ST.13"}),
        ("“10 2008 123456” filed in 2008", {"10", "2008", "123456"}),
        ("Part 7.2, “EP 99403122.7”.", {"7.2", "99403122.7"}),
        ("answer q4b and q1a_other", {"q4b", "q1a_other"}),
    ],
)
def test_number_token_pattern(english, tokens):
    assert set(NUMBER_TOKEN.findall(english)) == tokens


def test_checksum_is_unchanged_by_translations(definition):
    from surveys.questionnaire.loading import checksum

    assert checksum(definition) == ENGLISH_CHECKSUM


def test_checksum_ignores_translations_only(definition):
    from surveys.questionnaire.loading import checksum

    english_only = json.loads(json.dumps(definition))
    for _, text in _texts(english_only):
        for lang in TRANSLATIONS:
            text.pop(lang, None)
    assert checksum(english_only) == ENGLISH_CHECKSUM
