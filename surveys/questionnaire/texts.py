"""Texts of an edition in the reader's language: the definition keys every text by a
two-letter language code and falls back to English."""

from __future__ import annotations

from collections.abc import Mapping

Text = Mapping[str, str]


def base_language(language: str | None) -> str:
    """ "fr" for "fr", "fr-ch" or "fr_CA": the definition file keys texts by two-letter codes."""
    return (language or "en").replace("_", "-").split("-")[0].lower()


def tr(text: Text | None, language: str = "en") -> str:
    """The text in the language asked for, falling back to English."""
    if not text:
        return ""
    return text.get(base_language(language)) or text.get("en", "")


def tr_marked(text: Text | None, language: str = "en") -> tuple[str, bool]:
    """The text in the language asked for, and whether English was shown instead because
    the translation is missing (pages mark such texts, so a reader knows it is not theirs)."""
    if not text:
        return "", False
    language = base_language(language)
    translated = text.get(language)
    if translated:
        return translated, False
    english = text.get("en", "")
    return english, bool(english) and language != "en"


class LocalText(str):
    """An edition text in the reader's language. ``fallback`` is True when it is the English
    text standing in for a missing translation. Still a plain string for everything else
    (comparisons, truncation, exports)."""

    fallback: bool

    def __new__(cls, value: str = "", fallback: bool = False) -> LocalText:
        obj = super().__new__(cls, value)
        obj.fallback = fallback
        return obj

    def __reduce__(self):
        return (LocalText, (str(self), self.fallback))


def tr_text(text: Text | None, language: str = "en") -> LocalText:
    """``tr_marked`` as one string that remembers whether it is a fallback."""
    return LocalText(*tr_marked(text, language))
