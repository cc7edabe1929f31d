"""Drafting responses: numbering systems, starting a response, saving drafts, revisions.

Each function is atomic and keyword-only; it checks that the user may do what is asked,
records a revision, and raises a domain error (surveys.errors) the caller turns into a
message. Every entry point (web, admin, API, commands) calls these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from standards.models import Office
from surveys.errors import AnswersTooLarge, NotAllowed, ResponseBusy, ResponseConflict, WorkflowError
from surveys.models import (
    EDITABLE_STATUSES,
    Invitation,
    NumberingSystem,
    ResponseRevision,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.engine import evaluate, oversized
from surveys.questionnaire.evaluation import Evaluation
from surveys.responses.carried import Prefill, prefill
from surveys.responses.display import status_words


def require_office_permission(user: User | None, perm: str, obj: object) -> None:
    """NotAllowed unless the user may (surveys/permissions.py): these steps are the office's own."""
    if not may(user, perm, obj):
        raise NotAllowed(_("Only members of the office can change its responses."))


def require_round_open(survey_round: SurveyRound) -> None:
    """WorkflowError once the round is closed: its offices can no longer change, start or
    submit responses (the secretariat still reviews what was submitted)."""
    if survey_round.is_closed:
        raise WorkflowError(
            _(
                "The round “%(round)s” is closed: its responses can no longer be changed or submitted. "
                "Ask the International Bureau if something must still be corrected."
            )
            % {"round": survey_round.local_title}
        )


def numbering_system_create(
    *, office: Office, label: str, user: User, secretariat_may: bool = False
) -> NumberingSystem:
    """Add a numbering system to an office: by a member of the office or, where the caller
    allows it (the admin, where the secretariat manages offices' systems), by the secretariat."""
    if not (secretariat_may and may(user, "surveys.manage_numberingsystems")):
        require_office_permission(user, "surveys.add_office_numberingsystem", office)
    label = label.strip()
    if not label:
        raise WorkflowError(_("Give the numbering system a name."))
    try:
        with transaction.atomic():
            return NumberingSystem.objects.create(office=office, label=label, created_by=user)
    except IntegrityError:
        raise WorkflowError(
            _("The office already has a numbering system called “%(label)s”.") % {"label": label}
        ) from None


def response_start(*, survey_round: SurveyRound, numbering_system: NumberingSystem, user: User) -> SurveyResponse:
    """Open the response for a numbering system in a round (or return the one that exists).

    Two starts at once: the office's invitation row is locked before looking for the
    response, so the second waits and then finds the first one's response. Where the
    database cannot lock rows (SQLite) or a row is not visible yet, the insert meets the
    unique constraint: the response that is there is returned, or ResponseBusy when it
    cannot be read yet — never a server error.
    """
    require_office_permission(user, "surveys.start_surveyresponse", numbering_system)
    try:
        with transaction.atomic():
            return _response_create(survey_round=survey_round, numbering_system=numbering_system, user=user)
    except IntegrityError:
        existing = _existing_response(survey_round, numbering_system)
        if existing is not None:
            return existing
        raise ResponseBusy(
            _(
                "The response for “%(label)s” was being started by someone else at the same moment. "
                "Nothing was lost: open it again from your dashboard."
            )
            % {"label": numbering_system.label}
        ) from None


def _existing_response(survey_round: SurveyRound, numbering_system: NumberingSystem) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(round=survey_round, numbering_system=numbering_system).first()


def _response_create(*, survey_round: SurveyRound, numbering_system: NumberingSystem, user: User) -> SurveyResponse:
    # The office's invitation row is the lock, taken first: two starts at once cannot
    # both miss the response, nor take the same number.
    invitation = (
        Invitation.objects.select_for_update().filter(round=survey_round, office=numbering_system.office).first()
    )
    existing = _existing_response(survey_round, numbering_system)
    if existing:
        return existing
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(_("The round “%(round)s” is closed.") % {"round": survey_round})
    if invitation is None:
        raise WorkflowError(
            _("%(office)s is not invited to the round “%(round)s”.")
            % {"office": numbering_system.office.local_name, "round": survey_round}
        )
    taken = SurveyResponse.objects.filter(round=survey_round, office=numbering_system.office).aggregate(
        n=Max("sequence")
    )["n"]
    # A new round starts from what the office last had accepted for this system (any
    # earlier round): the office changes what changed and confirms the rest.
    previous = (
        SurveyResponse.objects.filter(
            numbering_system=numbering_system, status__in=[ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED]
        )
        .exclude(round=survey_round)
        .select_related("round__edition")
        .order_by("-round__opens_on", "-accepted_at")
        .first()
    )
    # Across editions, through the mapping of the round's edition (responses.carried).
    start = prefill(previous, survey_round) if previous is not None else Prefill()
    response = SurveyResponse.objects.create(
        round=survey_round,
        office=numbering_system.office,
        numbering_system=numbering_system,
        sequence=(taken or 0) + 1,
        created_by=user,
        updated_by=user,
        answers=start.answers,
        set_aside_answers=start.set_aside,
        carried_answers=start.carried,
        not_carried_answers=start.not_carried,
        prefilled_from=previous,
    )
    note = f"created, pre-filled from {previous.public_key} ({previous.round.title})" if previous else "created"
    revision_record(response, user, {}, note)
    return response


def answers_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The question IDs whose answer differs between two answer documents."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


REVISION_NOTE_LENGTH = ResponseRevision._meta.get_field("note").max_length


def revision_record(
    response: SurveyResponse, user: User | None, before: Mapping[str, Any], note: str
) -> ResponseRevision:
    """Keep the response as it now is (``before``: its answers and answers set aside before the change)."""
    after = {**response.set_aside_answers, **response.answers}
    return ResponseRevision.objects.create(
        response=response,
        version=response.version,
        status=response.status,
        answers=response.answers,
        set_aside_answers=response.set_aside_answers,
        changed=answers_changed(before, after),
        author=user,
        note=note[:REVISION_NOTE_LENGTH],
    )


def answers_set_aside(
    before: Mapping[str, Any], sent: Mapping[str, Any], evaluation: Evaluation, edition: Edition
) -> dict[str, Any]:
    """The answers set aside after a save of ``sent``.

    An earlier answer to a question that is now hidden, and that was not sent again, was
    not cleared by anyone (nobody could see it): set it aside rather than drop it.
    """
    set_aside = {
        qid: value
        for qid, value in before.items()
        if qid not in sent and not evaluation.is_applicable(qid) and qid in edition.by_id
    }
    set_aside.update(evaluation.set_aside)
    return set_aside


@transaction.atomic
def response_save_draft(
    *,
    response: SurveyResponse,
    answers: Mapping[str, Any],
    user: User,
    expected_version: int,
    confirmed_sections: list[str] | None = None,
    record_unchanged: bool = True,
) -> Evaluation:
    """Store the answers as they are (valid or not); applicability decides where each goes.

    Answers to questions that do not apply are set aside in ``set_aside_answers`` — never
    destroyed, never reported as answered. With ``record_unchanged=False`` a save that
    changes nothing (the form saved on its way to being submitted, as it was) leaves the
    response and its history as they are: no new version, no empty revision.
    """
    locked = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("round__edition", "updated_by")
        .get(pk=response.pk)
    )
    require_office_permission(user, "surveys.change_surveyresponse", locked)
    if locked.status not in EDITABLE_STATUSES:
        raise WorkflowError(
            _("This response is %(status)s and can no longer be changed.") % {"status": status_words(locked.status)}
        )
    require_round_open(locked.round)
    if locked.version != expected_version:
        raise ResponseConflict(locked, expected_version)
    edition = locked.round.edition.structure
    evaluation = evaluate(edition, answers)
    if evaluation.unknown:
        raise WorkflowError(_("Unknown question ID(s): %(ids)s.") % {"ids": ", ".join(evaluation.unknown)})
    too_large = oversized(edition, answers)
    if too_large:
        raise AnswersTooLarge(too_large, edition)
    before = {**locked.set_aside_answers, **locked.answers}
    set_aside = answers_set_aside(before, answers, evaluation, edition)
    confirmed = list(locked.confirmed_sections or [])
    if confirmed_sections is not None:
        known = [s.id for s in edition.sections]
        confirmed = [s for s in known if s in set(confirmed_sections)]
    # An answer carried over from the earlier edition keeps its mark only while it is the
    # carried answer: once the office changes it (or it no longer applies), it is theirs.
    carried = {
        qid: how
        for qid, how in (locked.carried_answers or {}).items()
        if qid in evaluation.answers and evaluation.answers[qid] == locked.answers.get(qid)
    }
    unchanged = (
        evaluation.answers == locked.answers
        and set_aside == locked.set_aside_answers
        and confirmed == list(locked.confirmed_sections or [])
    )
    if unchanged and not record_unchanged:
        return evaluation
    locked.answers = evaluation.answers
    locked.set_aside_answers = set_aside
    locked.confirmed_sections = confirmed
    locked.carried_answers = carried
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(
        update_fields=[
            "answers",
            "set_aside_answers",
            "confirmed_sections",
            "carried_answers",
            "version",
            "updated_by",
            "updated_at",
        ]
    )
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, "draft saved")
    for key in (
        "answers",
        "set_aside_answers",
        "confirmed_sections",
        "carried_answers",
        "version",
        "updated_at",
        "updated_by_id",
    ):
        response.__dict__[key] = getattr(locked, key)
    return evaluation


def unconfirmed_sections(response: SurveyResponse) -> list[str]:
    """Sections of a pre-filled response the office has not yet confirmed as still correct."""
    if response.prefilled_from_id is None:
        return []
    edition = response.round.edition.structure
    return [s.id for s in edition.sections if s.id not in set(response.confirmed_sections or ())]
