from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from standards.translation import localize
from surveys.responses import display

register = template.Library()

# Revision notes are stored as written when the revision was taken (English); the ones
# the services and the workflow write are shown in the reader's language, anything else
# as stored.
REVISION_NOTES = {"created": _("created"), "draft saved": _("draft saved")}


@register.filter
def verdict_label(verdict: str) -> str:
    """How a compliance verdict reads for people."""
    return display.verdict_label(str(verdict))


@register.filter
def status_label(status: str) -> str:
    """A response status ("submitted") as pages show it, in the reader's language."""
    return display.status_label(str(status))


@register.filter
def event_label(action: str) -> str:
    """A workflow step ("return") as the timeline shows it, in the reader's language."""
    return display.event_label(str(action))


@register.filter
def round_status_label(status: str) -> str:
    return display.round_status_label(str(status))


@register.filter
def revision_note(note: str) -> str:
    label = REVISION_NOTES.get(str(note))
    return str(label) if label is not None else display.revision_note_label(str(note))


@register.filter(needs_autoescape=True)
def marked(text: str, length: int | None = None, autoescape: bool = True) -> SafeString:
    """An edition text, with a visible "(English)" mark when English stands in for a
    missing translation (surveys.questionnaire.edition.LocalText.fallback); the English words carry
    lang="en" so that screen readers pronounce them as English. ``length``: shortened to
    that many characters, as ``truncatechars``."""
    shown = Truncator(str(text)).chars(int(length)) if length else str(text)
    if getattr(text, "fallback", False):
        return format_html('<span lang="en">{}</span> {}', shown, fallback_mark())
    return conditional_escape(shown) if autoescape else shown


@register.simple_tag
def fallback_mark() -> SafeString:
    """The mark placed after a text shown in English for want of a translation."""
    return format_html('<span class="lang-fallback">{}</span>', gettext("(English)"))


@register.filter
def localized(text: Any) -> Any:
    """A sentence of the standards core (number checks) in the reader's language."""
    return localize(text)
