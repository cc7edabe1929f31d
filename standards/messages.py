"""Sentences the standards core says to people, in English, ready to be translated.

The core (``numbers``, ``checkdigits``, ``calendars``, ``profiles``) is pure Python and
never imports Django, so it cannot look sentences up in a message catalogue itself.
Instead every sentence it produces is a :class:`Text`: a ``str`` holding the English
sentence, which also remembers its template and the values put into it. A caller that
has a catalogue (``standards.translation.localize`` under Django) rebuilds the sentence
in the reader's language; anyone else just uses the English string.

The two marker functions are named like gettext's so that message extraction tools
find the templates: ``gettext_noop`` for a sentence, ``ngettext_noop`` for one whose
wording depends on a number ("1 digit", "2 digits").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["Text", "gettext_noop", "join", "ngettext_noop"]


class Text(str):
    """An English sentence that can be rebuilt in another language.

    Parameters that are themselves ``Text`` (the name of a part, a list of IPR types)
    are translated too, so a sentence and the words put into it always share one
    language.
    """

    template: str
    plural: str | None
    count: int | None
    params: Mapping[str, Any]

    def __new__(
        cls,
        template: str,
        params: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
    ) -> Text:
        values = dict(params or {})
        # English has one plural rule: 1 is singular, everything else plural.
        chosen = plural if plural is not None and count != 1 else template
        english = chosen % {k: _english(v) for k, v in values.items()} if values else chosen
        text = super().__new__(cls, english)
        text.template = template
        text.plural = plural
        text.count = count
        text.params = values
        return text

    def translate(self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> str:
        """The sentence in the language of the given lookup functions."""
        if self.plural is not None:
            chosen = ngettext(self.template, self.plural, self.count if self.count is not None else 0)
        else:
            chosen = gettext(self.template)
        if not self.params:
            return chosen
        return chosen % {k: _translated(v, gettext, ngettext) for k, v in self.params.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the template when pickled (the cache, multiprocessing).
        return (_rebuild, (self.template, dict(self.params), self.plural, self.count))


def _rebuild(template: str, params: dict[str, Any], plural: str | None, count: int | None) -> Text:
    return Text(template, params, plural=plural, count=count)


class _Joined(tuple):
    """Several values shown as one list: "patents, utility models", or with ``final``
    "year, type code and serial number"."""

    final: bool = False


def _listed(items: list[str], final: str | None) -> str:
    if final is None or len(items) < 2:
        return ", ".join(items)
    return ", ".join(items[:-1]) + final + items[-1]


def _english(value: Any) -> str:
    if isinstance(value, _Joined):
        return _listed([_english(v) for v in value], _AND if value.final else None)
    return str(value)


def _translated(value: Any, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> str:
    if isinstance(value, Text):
        return value.translate(gettext, ngettext)
    if isinstance(value, _Joined):
        items = [_translated(v, gettext, ngettext) for v in value]
        return _listed(items, _AND.translate(gettext, ngettext) if value.final else None)
    return str(value)


def gettext_noop(template: str, /, **params: Any) -> Text:
    """A sentence (``template`` with ``%(name)s`` placeholders filled from ``params``)."""
    return Text(template, params)


def ngettext_noop(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A sentence whose wording follows ``count``; ``count`` is also available as %(count)s."""
    return Text(singular, {"count": count, **params}, plural=plural, count=count)


def join(values: Iterable[Any], *, final: bool = False) -> _Joined:
    """A list of values (texts or plain strings) for one placeholder, comma-separated;
    with ``final`` the last two are joined by "and"."""
    joined = _Joined(values)
    joined.final = final
    return joined


# The word before the last item of a list, with its spaces.
_AND = gettext_noop(" and ")
