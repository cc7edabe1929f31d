"""Reminders to offices that have not submitted every response of a round: the automatic
ones, at the points of the round's schedule (so many days before its deadline, so many
after), and those the secretariat sends by hand. Every reminder is recorded
(``ReminderSent``, with its e-mail); a point of the schedule goes to an office once, even
when the daily job runs twice or two run at the same moment (a unique constraint decides).

``send_due_reminders`` is the task a daily timer queues through ``manage.py send_reminders``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from surveys.models import Invitation, ReminderSent, SurveyRound
from surveys.review import notifications
from surveys.review.selectors import offices_waiting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Point:
    """A point of a round's schedule: so many days before or after its deadline."""

    kind: str
    days: int

    def day(self, survey_round: SurveyRound) -> date:
        sign = -1 if self.kind == ReminderSent.Kind.BEFORE else 1
        return survey_round.closes_on + timedelta(days=sign * self.days)


def schedule(survey_round: SurveyRound) -> list[Point]:
    """The points of the round's schedule, in the order they fall (none, and a warning in
    the log, when the stored days cannot be read: the other rounds' reminders still go)."""
    try:
        before, after = survey_round.days_before(), survey_round.days_after()
    except ValueError as exc:
        log.warning("round %s: its reminder days cannot be read (%s); no reminder sent", survey_round.slug, exc)
        return []
    return [Point(ReminderSent.Kind.BEFORE, d) for d in before] + [
        Point(ReminderSent.Kind.AFTER, d) for d in sorted(after)
    ]


def points_due(survey_round: SurveyRound, today: date) -> list[Point]:
    """The points of an open round's schedule that fall on ``today`` (none for a closed round)."""
    if survey_round.is_closed:
        return []
    return [point for point in schedule(survey_round) if point.day(survey_round) == today]


def record_reminder(
    invitation: Invitation, *, kind: str, days: int = 0, user: User | None = None
) -> ReminderSent | None:
    """Send the reminder e-mail to one office and record it; None when this point of the
    schedule was already sent to the office (by an earlier or a concurrent run)."""
    try:
        with transaction.atomic():
            sent = ReminderSent.objects.create(
                round=invitation.round, office_id=invitation.office_id, kind=kind, days=days, sent_by=user
            )
            # A point after the deadline says it has passed; one sent by hand, if today is past it.
            late = True if kind == ReminderSent.Kind.AFTER else None if kind == ReminderSent.Kind.MANUAL else False
            sent.mails.set(notifications.reminder(invitation, late=late))
            Invitation.objects.filter(pk=invitation.pk).update(
                reminders_sent=F("reminders_sent") + 1, last_reminded_at=sent.sent_at
            )
    except IntegrityError:
        return None
    return sent


def send_round_reminders(survey_round: SurveyRound, today: date) -> int:
    """Send the reminders of the round due on ``today``; how many were sent."""
    points = points_due(survey_round, today)
    if not points:
        return 0
    waiting = offices_waiting(survey_round)
    invitations = list(
        Invitation.objects.filter(round=survey_round, office_id__in=waiting)
        .select_related("round")
        .order_by("office_id")
    )
    sent = 0
    for point in points:
        for invitation in invitations:
            if record_reminder(invitation, kind=point.kind, days=point.days) is not None:
                sent += 1
    return sent


def due_reminders(today: date) -> dict[str, int]:
    """Send every reminder due on ``today`` in the open rounds: round slug → how many."""
    return {survey_round.slug: send_round_reminders(survey_round, today) for survey_round in SurveyRound.objects.open()}


@task()
def send_due_reminders(day: str | None = None) -> dict[str, int]:
    """The daily job: the reminders due today (``day``, an ISO date, to act as on another day)."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    sent = due_reminders(today)
    log.info("reminders due on %s sent: %s", today, sent)
    return sent


def recent_reminders(survey_round: SurveyRound, limit: int = 20) -> tuple[list[ReminderSent], int]:
    """The round's latest reminders (office, sender and e-mails read with them) and how many in all."""
    sent = ReminderSent.objects.filter(round=survey_round)
    # Read newest first along the index (round, -sent_at, -id): a page, never every row.
    rows = list(sent.select_related("office", "sent_by").prefetch_related("mails").order_by("-sent_at", "-pk")[:limit])
    return rows, sent.count()
