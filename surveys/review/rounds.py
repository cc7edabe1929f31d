"""Survey rounds: opening one for a set of offices, and reminding those that have not answered."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from standards.models import Office
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import Invitation, ReminderSent, SurveyRound
from surveys.models.rounds import parse_reminder_days
from surveys.permissions import may
from surveys.review.reminders import record_reminder
from surveys.review.selectors import offices_waiting


@transaction.atomic
def round_create(
    *,
    edition,
    title: str,
    slug: str,
    year: int,
    opens_on,
    closes_on,
    office_codes: list[str],
    user: User,
    cws_session: str = "",
    presented_on=None,
    reminder_days_before: str | None = None,
    reminder_days_after: str | None = None,
) -> SurveyRound:
    """Open a round of an edition for the invited offices (ST.3 codes); the CWS session its
    results are presented to (and when) may be given now or later."""
    if not may(user, "surveys.open_surveyround"):
        raise NotAllowed(_("Only the International Bureau (secretariat) runs survey rounds."))
    if edition.is_draft:
        raise WorkflowError(
            _("The edition %(slug)s is a draft: publish it before opening a round.") % {"slug": edition.slug}
        )
    if closes_on < opens_on:
        raise WorkflowError(_("The round must close on or after the day it opens."))
    if SurveyRound.objects.filter(slug=slug).exists():
        raise WorkflowError(_("A round with the short name “%(slug)s” already exists.") % {"slug": slug})
    codes = sorted({c.strip().upper() for c in office_codes if c.strip()})
    known = set(Office.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise WorkflowError(_("Not ST.3 office codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if not codes:
        raise WorkflowError(_("Invite at least one office."))
    schedule = {}
    try:
        if reminder_days_before is not None:
            schedule["reminder_days_before"] = ", ".join(map(str, parse_reminder_days(reminder_days_before)))
        if reminder_days_after is not None:
            schedule["reminder_days_after"] = ", ".join(map(str, sorted(parse_reminder_days(reminder_days_after))))
    except ValueError as exc:
        raise WorkflowError(str(exc)) from None
    survey_round = SurveyRound.objects.create(
        **schedule,
        edition=edition,
        title=title.strip(),
        slug=slug,
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        cws_session=cws_session.strip(),
        presented_on=presented_on,
    )
    Invitation.objects.bulk_create([Invitation(round=survey_round, office_id=c) for c in codes])
    return survey_round


def round_record_presentation(*, survey_round: SurveyRound, cws_session: str, presented_on, user: User) -> SurveyRound:
    """Record the CWS session the round's results were presented to, and the day (the
    editorial note of its Handbook 7.2.5 report); blank both while they are not presented."""
    if not may(user, "surveys.open_surveyround"):
        raise NotAllowed(_("Only the International Bureau (secretariat) runs survey rounds."))
    cws_session = " ".join(cws_session.split())
    if presented_on and not cws_session:
        raise WorkflowError(_("Name the session the results were presented to."))
    if presented_on and presented_on < survey_round.opens_on:
        raise WorkflowError(_("The results cannot have been presented before the round opened."))
    survey_round.cws_session, survey_round.presented_on = cws_session, presented_on
    survey_round.save(update_fields=["cws_session", "presented_on"])
    return survey_round


def round_texts_update(*, survey_round: SurveyRound, title_fr: str, title_es: str, user: User) -> SurveyRound:
    """Set the round's title in French and Spanish (blank: the English title is shown);
    by a translator or the secretariat. The English title, in stable files, stays as it is."""
    if not may(user, "surveys.translate_texts"):
        raise NotAllowed(_("Only a translator or the International Bureau (secretariat) edits the texts of a round."))
    survey_round.title_fr, survey_round.title_es = " ".join(title_fr.split()), " ".join(title_es.split())
    survey_round.save(update_fields=["title_fr", "title_es"])
    return survey_round


@transaction.atomic
def round_send_reminders(*, survey_round: SurveyRound, user: User, office_codes: list[str] | None = None) -> int:
    """E-mail the invited offices that have not submitted every response; returns how many
    were reminded. Each reminder is recorded with the automatic ones (``ReminderSent``)."""
    if not may(user, "surveys.remind_offices", survey_round):
        raise NotAllowed(_("Only the International Bureau (secretariat) sends reminders."))
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(_("The round is closed: no reminders are sent for it."))
    waiting = offices_waiting(survey_round)
    if office_codes is not None:
        waiting = [c for c in waiting if c in set(office_codes)]
    invitations = list(
        Invitation.objects.select_for_update()
        .filter(round=survey_round, office_id__in=waiting)
        .select_related("round")
        .order_by("office_id")
    )
    for invitation in invitations:
        record_reminder(invitation, kind=ReminderSent.Kind.MANUAL, user=user)
    return len(invitations)


def _round_status_set(survey_round: SurveyRound, user: User, status: str, already: str) -> SurveyRound:
    """Put the round in ``status`` (closed or open); WorkflowError ``already`` when it is."""
    if not may(user, "surveys.close_surveyround", survey_round):
        raise NotAllowed(_("Only the International Bureau (secretariat) closes survey rounds."))
    locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if locked.status == status:
        raise WorkflowError(already % {"round": locked.title})
    locked.status = status
    locked.save(update_fields=["status"])
    survey_round.status = locked.status
    return survey_round


@transaction.atomic
def round_close(*, survey_round: SurveyRound, user: User) -> SurveyRound:
    """Close the round: its offices can no longer change, start or submit responses, and
    no more reminders go out. The secretariat still reviews what was submitted."""
    already = _("The round “%(round)s” is already closed.")
    return _round_status_set(survey_round, user, SurveyRound.Status.CLOSED, already)


@transaction.atomic
def round_reopen(*, survey_round: SurveyRound, user: User) -> SurveyRound:
    """Open a closed round again: its offices can change and submit their responses again."""
    already = _("The round “%(round)s” is open already.")
    return _round_status_set(survey_round, user, SurveyRound.Status.OPEN, already)


def round_set_reminder_schedule(
    *, survey_round: SurveyRound, reminder_days_before: str, reminder_days_after: str, user: User
) -> None:
    """Change the days before and after the deadline at which offices are reminded."""
    if not may(user, "surveys.open_surveyround"):
        raise NotAllowed(_("Only the International Bureau (secretariat) runs survey rounds."))
    try:
        before, after = parse_reminder_days(reminder_days_before), parse_reminder_days(reminder_days_after)
    except ValueError as exc:
        raise WorkflowError(str(exc)) from None
    survey_round.reminder_days_before = ", ".join(map(str, before))
    survey_round.reminder_days_after = ", ".join(map(str, sorted(after)))
    survey_round.save(update_fields=["reminder_days_before", "reminder_days_after"])
