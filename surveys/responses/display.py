"""How things read on a page: an answer (``display_answer``), the state of a question,
the status of a response, a workflow step, a round's status — in the reader's language.

Also used by the admin, the reports and the services' messages ("This response is
submitted …"), so it depends on nothing but the questionnaire.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, Question, base_language
from surveys.questionnaire.types import Display

# Labels read in pages, in the language of the page (lazy: looked up when shown). The
# model's own choice labels stay English (they are data for the admin and the API).
STATE_LABELS = {"answered": _("Answered"), "not_answered": _("Not answered"), "not_applicable": _("Not applicable")}


STATUS_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "published": _("Published"),
}


# What happened to a response, as its workflow timeline says it.
EVENT_LABELS = {
    "submit": _("Submitted"),
    "return": _("Returned to the office"),
    "accept": _("Accepted"),
    "publish": _("Published"),
    "reopen": _("Reopened"),
}


ROUND_STATUS_LABELS = {"open": pgettext_lazy("survey round", "Open"), "closed": pgettext_lazy("survey round", "Closed")}


def status_label(status: str) -> str:
    """A response status as pages show it ("Submitted"), in the active language."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


def status_words(status: str) -> str:
    """A status inside a sentence ("This response is submitted …"): the label pages show,
    in the reader's language, in lower case."""
    return status_label(status).lower()


def action_words(action: str) -> str:
    """A workflow step inside a sentence ("… cannot be returned to the office")."""
    return event_label(action).lower()


def round_status_label(status: str) -> str:
    label = ROUND_STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def display_answer(edition: Edition, q: Question, value: Any, language: str = "en", *, framed: bool = True) -> Display:
    """How an answer reads, in ``language`` (the edition's texts and the interface's words),
    as the question's type writes it. ``framed`` puts a one-line answer in the question's
    answer format ("from 1992"); a table cell leaves it out ("1992")."""
    with override(base_language(language)):
        return question_types.get(q.type).display(q, value, edition, language, framed=framed)
