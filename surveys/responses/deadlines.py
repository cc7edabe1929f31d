"""A round's deadline as its offices are told it: the date in the reader's language, how
many days are left or that it has passed, and whether the round is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.models import SurveyRound


@dataclass(frozen=True)
class Deadline:
    round: SurveyRound
    # open · today · passed · closed
    state: str
    # Days to the deadline (negative once it has passed).
    days_left: int
    sentence: str


def deadline_of(survey_round: SurveyRound, today: date | None = None) -> Deadline:
    today = today or timezone.localdate()
    days_left = (survey_round.closes_on - today).days
    when = date_format(survey_round.closes_on, "j F Y")
    if survey_round.is_closed:
        state = "closed"
        sentence = _(
            "This round is closed (its deadline was %(date)s): responses can no longer be changed, "
            "started or submitted."
        ) % {"date": when}
    elif days_left > 0:
        state = "open"
        sentence = ngettext(
            "Deadline: %(date)s, %(days)s day left.", "Deadline: %(date)s, %(days)s days left.", days_left
        ) % {"date": when, "days": days_left}
    elif days_left == 0:
        state = "today"
        sentence = _("Deadline: today, %(date)s.") % {"date": when}
    else:
        state = "passed"
        sentence = ngettext(
            "The deadline, %(date)s, passed %(days)s day ago. Submit as soon as you can: "
            "the International Bureau may close the round at any time.",
            "The deadline, %(date)s, passed %(days)s days ago. Submit as soon as you can: "
            "the International Bureau may close the round at any time.",
            -days_left,
        ) % {"date": when, "days": -days_left}
    return Deadline(round=survey_round, state=state, days_left=days_left, sentence=sentence)
