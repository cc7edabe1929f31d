"""Responses recorded by the secretariat on behalf of an office.

Spreadsheet imports (surveys/intake/spreadsheets.py) and published pages
(surveys/intake/published_pages.py) write responses for an office. They share these
functions so that numbering, locking and revisions are exactly those of response_start
and response_save_draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from standards.models import Office
from surveys.errors import (
    NotAllowed,
    OfficeNotInvited,
    ResponseExists,
    ResponseNotEditable,
    RoundClosed,
    SequenceUnavailable,
    WorkflowError,
)
from surveys.models import (
    EDITABLE_STATUSES,
    Invitation,
    NumberingSystem,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation
from surveys.responses.display import status_words
from surveys.responses.services import answers_set_aside, revision_record

# A response recorded for an office starts as a draft (the office completes it) or as
# published (a response the secretariat published earlier, read from its page).
RECORDABLE_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.PUBLISHED)


def _refuse_unless_recorder(user: User | None) -> None:
    # None is a management command run by someone with access to the server.
    if not may(user, "surveys.import_surveyresponse"):
        raise NotAllowed(_("Only the International Bureau (secretariat) can record responses for an office."))


def invitation_lock(
    *, survey_round: SurveyRound, office: Office, user: User | None, invite: bool = False
) -> tuple[Invitation, bool]:
    """Lock the office's invitation row until the caller's transaction ends; True if it was just created.

    The row is the office's lock in the round (as in response_start): whoever holds it may
    take the next "Response n" number. With ``invite`` an office not yet invited is
    invited; without it, OfficeNotInvited. Call inside a transaction.
    """
    _refuse_unless_recorder(user)
    created = False
    if invite:
        _invitation, created = Invitation.objects.get_or_create(round=survey_round, office=office)
    invitation = Invitation.objects.select_for_update().filter(round=survey_round, office=office).first()
    if invitation is None:
        raise OfficeNotInvited(
            _("%(code)s (%(office)s) is not invited to the round “%(round)s”.")
            % {"code": office.code, "office": office.name, "round": survey_round}
        )
    return invitation, created


def _free_system(survey_round: SurveyRound, office: Office, label: str) -> NumberingSystem | None:
    """The office's system with this label (letter case ignored), provided it has no response in the round."""
    system = NumberingSystem.objects.filter(office=office, label__iexact=label).first()
    if system is not None and SurveyResponse.objects.filter(round=survey_round, numbering_system=system).exists():
        raise ResponseExists(
            _("%(code)s's numbering system “%(label)s” already has a response in the round “%(round)s”.")
            % {"code": office.code, "label": system.label, "round": survey_round}
        )
    return system


def _system_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise WorkflowError(_("Give the numbering system a name."))
    return label


def _evaluate_for(survey_round: SurveyRound, answers: Mapping[str, Any]) -> tuple[Edition, Evaluation]:
    edition = survey_round.edition.structure
    evaluation = evaluate(edition, answers, with_warnings=False)
    if evaluation.unknown:
        raise WorkflowError(_("Unknown question ID(s): %(ids)s.") % {"ids": ", ".join(evaluation.unknown)})
    return edition, evaluation


def _check_status(status: str) -> None:
    if status not in RECORDABLE_STATUSES:
        raise ValueError(f"A response recorded for an office is draft or published, not “{status}”.")


@transaction.atomic
def response_record_for_office(
    *,
    survey_round: SurveyRound,
    office: Office,
    numbering_system_label: str,
    answers: Mapping[str, Any],
    user: User | None,
    note: str,
    status: str = ResponseStatus.DRAFT,
    sequence: int | None = None,
    invite: bool = False,
    require_open_round: bool = True,
) -> SurveyResponse:
    """Create an office's response in a round, as the secretariat (``user`` None: a command).

    The numbering system is the office's system with that label (letter case ignored),
    created if it has none; it must not have a response in the round yet. ``sequence`` is
    n in "Response n of m" (the next free number when None). The branching engine decides
    where each answer goes: answers to questions that do not apply are set aside. A
    revision with ``note`` records the creation. ``require_open_round=False`` records a
    response of a closed round (published history); ``invite`` invites the office if needed.
    """
    _check_status(status)
    _refuse_unless_recorder(user)
    label = _system_label(numbering_system_label)
    if require_open_round and survey_round.status != SurveyRound.Status.OPEN:
        raise RoundClosed(_("The round “%(round)s” is closed.") % {"round": survey_round})
    edition, evaluation = _evaluate_for(survey_round, answers)
    invitation_lock(survey_round=survey_round, office=office, user=user, invite=invite)
    system = _free_system(survey_round, office, label)
    in_round = SurveyResponse.objects.filter(round=survey_round, office=office)
    if sequence is None:
        sequence = (in_round.aggregate(n=Max("sequence"))["n"] or 0) + 1
    elif sequence < 1:
        raise SequenceUnavailable(_("Response numbers start at 1."))
    else:
        holder = in_round.filter(sequence=sequence).select_related("numbering_system").first()
        if holder is not None:
            raise SequenceUnavailable(
                _("%(key)s (“%(label)s”) already has number %(number)s in this round.")
                % {"key": holder.public_key, "label": holder.numbering_system.label, "number": sequence}
            )
    if system is None:
        system = NumberingSystem.objects.create(office=office, label=label, created_by=user)
    response = SurveyResponse.objects.create(
        round=survey_round,
        office=office,
        numbering_system=system,
        sequence=sequence,
        status=status,
        published_at=timezone.now() if status == ResponseStatus.PUBLISHED else None,
        answers=evaluation.answers,
        set_aside_answers=evaluation.set_aside,
        created_by=user,
        updated_by=user,
    )
    revision_record(response, user, {}, note)
    return response


@transaction.atomic
def response_overwrite_for_office(
    *,
    response: SurveyResponse,
    answers: Mapping[str, Any],
    user: User | None,
    note: str,
    status: str | None = None,
    sequence: int | None = None,
    numbering_system_label: str | None = None,
) -> tuple[SurveyResponse, bool]:
    """Replace an office's draft or returned response with these answers, as the secretariat.

    As in response_save_draft, the engine decides what applies, and an earlier answer that
    no longer applies and is not given again is set aside. ``status`` (draft or
    published) changes the status too; ``numbering_system_label`` moves the response to
    the office's system of that label (created if needed) when it names another one;
    ``sequence``, when given, must be the response's number. Returns the response and
    whether anything was written: a response that would not change is left as it is,
    whatever its status, and no revision is recorded.
    """
    if status is not None:
        _check_status(status)
    _refuse_unless_recorder(user)
    locked = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("round__edition", "office", "numbering_system")
        .get(pk=response.pk)
    )
    if sequence is not None and sequence != locked.sequence:
        raise SequenceUnavailable(
            _("This response is %(key)s (number %(number)s), not number %(asked)s.")
            % {"key": locked.public_key, "number": locked.sequence, "asked": sequence}
        )
    edition, evaluation = _evaluate_for(locked.round, answers)
    before = {**locked.set_aside_answers, **locked.answers}
    set_aside = answers_set_aside(before, answers, evaluation, edition)
    system = locked.numbering_system
    if numbering_system_label is not None:
        label = _system_label(numbering_system_label)
        if label.lower() != system.label.lower():
            system = _free_system(locked.round, locked.office, label) or NumberingSystem.objects.create(
                office=locked.office, label=label, created_by=user
            )
    target = status or locked.status
    if (evaluation.answers, set_aside, target, system.pk) == (
        locked.answers,
        locked.set_aside_answers,
        locked.status,
        locked.numbering_system_id,
    ):
        # A sheet exported with reviewed responses in it can come back with them untouched.
        return locked, False
    if locked.status not in EDITABLE_STATUSES:
        raise ResponseNotEditable(
            _("%(key)s is %(status)s; an import only overwrites draft or returned responses.")
            % {"key": locked.public_key, "status": status_words(locked.status)}
        )
    fields = ["answers", "set_aside_answers", "status", "numbering_system", "version", "updated_by", "updated_at"]
    if target == ResponseStatus.PUBLISHED and locked.status != target:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.answers = evaluation.answers
    locked.set_aside_answers = set_aside
    locked.status = target
    locked.numbering_system = system
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=fields)
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, note)
    return locked, True
