"""Survey rounds: opening one for a set of offices, and reminding those that have not answered."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standards.models import Office
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import Invitation, SurveyRound
from surveys.permissions import may
from surveys.review import notifications
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
) -> SurveyRound:
    """Open a round of an edition for the invited offices (ST.3 codes); the CWS session its
    results are presented to (and when) may be given now or later."""
    if not may(user, "surveys.open_surveyround"):
        raise NotAllowed(_("Only the International Bureau (secretariat) runs survey rounds."))
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
    survey_round = SurveyRound.objects.create(
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
    """E-mail the invited offices that have not submitted every response; returns how many were reminded."""
    if not may(user, "surveys.remind_offices", survey_round):
        raise NotAllowed(_("Only the International Bureau (secretariat) sends reminders."))
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(_("The round is closed: no reminders are sent for it."))
    waiting = offices_waiting(survey_round)
    if office_codes is not None:
        waiting = [c for c in waiting if c in set(office_codes)]
    invitations = list(
        Invitation.objects.select_for_update().filter(round=survey_round, office_id__in=waiting).select_related("round")
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
    Invitation.objects.bulk_update(invitations, ["reminders_sent", "last_reminded_at"])
    for invitation in invitations:
        notifications.reminder(invitation)
    return len(invitations)
