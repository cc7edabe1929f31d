"""The standards core's sentences in the reader's language (Django glue).

``standards.messages.Text`` carries an English sentence with its template; here it is
looked up in the project's message catalogue for the active language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

from standards.messages import Text


def localize(value: Any) -> Any:
    """A Text in the active language; anything else unchanged."""
    if isinstance(value, Text):
        return value.translate(gettext, ngettext)
    return value


def localize_all(values: Any) -> list[Any]:
    return [localize(v) for v in values]
