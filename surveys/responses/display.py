"""How things read on a page: an answer (``display_answer``), the state of a question,
the status of a response, a workflow step, a round's status — in the reader's language.

Also used by the admin, the reports and the services' messages ("This response is
submitted …"), so it depends on nothing but the questionnaire, ST.13's verdicts and the
models' choices, whose labels are the one definition of each status, workflow step and
round status.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from standards.st13 import Verdict
from surveys.models import ResponseEvent, ResponseStatus, SurveyRound
from surveys.questionnaire import types as question_types
from surveys.questionnaire.edition import Edition, Question, base_language
from surveys.questionnaire.types import Display

# The states of a question, read in pages in the language of the page (lazy: looked up
# when shown).
STATE_LABELS = {"answered": _("Answered"), "not_answered": _("Not answered"), "not_applicable": _("Not applicable")}


# ST.13 compliance verdicts (standards.st13.Verdict), as pages and reports show them.
VERDICT_LABELS = {
    Verdict.COMPLIES: _("Complies"),
    Verdict.DEVIATES: _("Deviates"),
    Verdict.NOT_APPLICABLE: _("Not applicable"),
    Verdict.UNKNOWN: _("Unknown (answer missing)"),
}


# The report tables' verdict cells and totals rows are narrow: there "unknown" stands alone.
VERDICT_SHORT_LABELS = {**VERDICT_LABELS, Verdict.UNKNOWN: pgettext_lazy("ST.13 verdict", "Unknown")}


def verdict_label(verdict: str, *, short: bool = False) -> str:
    """An ST.13 compliance verdict ("complies") in the active language."""
    label = (VERDICT_SHORT_LABELS if short else VERDICT_LABELS).get(verdict)
    return str(label) if label is not None else str(verdict)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored value in the active language; an unknown value as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def status_label(status: str) -> str:
    """A response status as pages show it ("Submitted"), in the active language."""
    return _choice_label(ResponseStatus, status)


def event_label(action: str) -> str:
    """What happened to a response, as its workflow timeline says it ("Returned to the office")."""
    return _choice_label(ResponseEvent.Action, action)


def status_words(status: str) -> str:
    """A status inside a sentence ("This response is submitted …"): the label pages show,
    in the reader's language, in lower case."""
    return status_label(status).lower()


def action_words(action: str) -> str:
    """A workflow step inside a sentence ("… cannot be returned to the office")."""
    return event_label(action).lower()


def step_note(action: str) -> str:
    """The note a workflow step leaves on the revision it takes ("returned to the office"):
    stored in English, the source's words, whatever the reader's language."""
    with override(None):
        return action_words(action)


def revision_note_label(note: str) -> str:
    """A stored revision note in the reader's language: the workflow's steps as the
    timeline words them; other notes as they were written."""
    for action in ResponseEvent.Action:
        if note == step_note(action):
            return action_words(action)
    return note


def round_status_label(status: str) -> str:
    return _choice_label(SurveyRound.Status, status)


def display_answer(edition: Edition, q: Question, value: Any, language: str = "en", *, framed: bool = True) -> Display:
    """How an answer reads, in ``language`` (the edition's texts and the interface's words),
    as the question's type writes it. ``framed`` puts a one-line answer in the question's
    answer format ("from 1992"); a table cell leaves it out ("1992")."""
    with override(base_language(language)):
        return question_types.get(q.type).display(q, value, edition, language, framed=framed)
