"""Workflows that change responses. Every entry point (web, admin, API, commands) calls these.

Each function is atomic and keyword-only; it checks that the user may do what is asked,
records a revision, and raises a domain error the caller turns into a message.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from standards.models import Office
from surveys.engine import Evaluation, evaluate
from surveys.models import (
    EDITABLE_STATUSES,
    Attachment,
    Invitation,
    Membership,
    NumberingSystem,
    Response,
    ResponseRevision,
    ResponseStatus,
    SurveyRound,
    is_secretariat,
    office_of,
)


class WorkflowError(Exception):
    """A workflow step that cannot be done; the message is for the person who asked."""


class PermissionDenied(WorkflowError):
    pass


class ResponseConflict(WorkflowError):
    """Someone else saved the response since this person loaded it."""

    def __init__(self, response: Response, expected_version: int):
        self.response = response
        self.expected_version = expected_version
        who = response.updated_by.get_username() if response.updated_by else "someone else"
        when = timezone.localtime(response.updated_at).strftime("%d/%m/%Y %H:%M")
        super().__init__(
            f"This response was changed by {who} at {when} (version {response.version}) after you opened it "
            f"(version {expected_version}). Nothing was overwritten: your answers are still on this page. "
            "Reload the response to see the other changes, then enter yours again."
        )


class ResponseInvalid(WorkflowError):
    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        n = len(evaluation.errors)
        super().__init__(f"The response cannot be submitted yet: {n} question{'s' if n != 1 else ''} need attention.")


ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def can_edit_office(user: User, office: Office) -> bool:
    own = office_of(user)
    return own is not None and own.pk == office.pk


def _require_office_member(user: User, office: Office) -> None:
    if not can_edit_office(user, office):
        raise PermissionDenied("Only members of the office can change its responses.")


def numbering_system_create(*, office: Office, label: str, user: User) -> NumberingSystem:
    _require_office_member(user, office)
    label = label.strip()
    if not label:
        raise WorkflowError("Give the numbering system a name.")
    try:
        with transaction.atomic():
            return NumberingSystem.objects.create(office=office, label=label, created_by=user)
    except IntegrityError:
        raise WorkflowError(f"The office already has a numbering system called “{label}”.") from None


@transaction.atomic
def response_start(*, survey_round: SurveyRound, numbering_system: NumberingSystem, user: User) -> Response:
    """Open the response for a numbering system in a round (or return the one that exists)."""
    _require_office_member(user, numbering_system.office)
    existing = Response.objects.filter(round=survey_round, numbering_system=numbering_system).first()
    if existing:
        return existing
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(f"The round “{survey_round}” is closed.")
    # The office's invitation row is the lock: two starts at once cannot take the same number.
    invitation = (
        Invitation.objects.select_for_update().filter(round=survey_round, office=numbering_system.office).first()
    )
    if invitation is None:
        raise WorkflowError(f"{numbering_system.office.name} is not invited to the round “{survey_round}”.")
    taken = Response.objects.filter(round=survey_round, office=numbering_system.office).aggregate(n=Max("sequence"))[
        "n"
    ]
    response = Response.objects.create(
        round=survey_round,
        office=numbering_system.office,
        numbering_system=numbering_system,
        sequence=(taken or 0) + 1,
        created_by=user,
        updated_by=user,
    )
    ResponseRevision.objects.create(response=response, version=1, status=response.status, author=user, note="created")
    return response


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def _record(response: Response, user: User | None, before: dict[str, Any], note: str) -> None:
    after = {**response.stashed_answers, **response.answers}
    ResponseRevision.objects.create(
        response=response,
        version=response.version,
        status=response.status,
        answers=response.answers,
        stashed_answers=response.stashed_answers,
        changed=_changed(before, after),
        author=user,
        note=note,
    )


@transaction.atomic
def response_save_draft(
    *, response: Response, answers: Mapping[str, Any], user: User, expected_version: int
) -> Evaluation:
    """Store the answers as they are (valid or not); applicability decides where each goes.

    Answers to questions that do not apply are kept aside in ``stashed_answers`` — never
    destroyed, never reported as answered.
    """
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("round__edition", "updated_by")
        .get(pk=response.pk)
    )
    _require_office_member(user, locked.office)
    if locked.status not in EDITABLE_STATUSES:
        raise WorkflowError(f"This response is {locked.get_status_display().lower()} and can no longer be changed.")
    if locked.version != expected_version:
        raise ResponseConflict(locked, expected_version)
    edition = locked.round.edition.structure
    evaluation = evaluate(edition, answers)
    if evaluation.unknown:
        raise WorkflowError(f"Unknown question ID(s): {', '.join(evaluation.unknown)}.")
    before = {**locked.stashed_answers, **locked.answers}
    # An earlier answer to a question that is now hidden, and that was not sent again, was
    # not cleared by anyone (nobody could see it): keep it aside rather than drop it.
    stashed = {
        qid: value
        for qid, value in before.items()
        if qid not in answers and not evaluation.is_applicable(qid) and qid in edition.by_id
    }
    stashed.update(evaluation.stashed)
    locked.answers = evaluation.answers
    locked.stashed_answers = stashed
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=["answers", "stashed_answers", "version", "updated_by", "updated_at"])
    locked.refresh_from_db(fields=["version", "updated_at"])
    _record(locked, user, before, "draft saved")
    response.__dict__.update(
        {k: getattr(locked, k) for k in ("answers", "stashed_answers", "version", "updated_at", "updated_by_id")}
    )
    return evaluation


@transaction.atomic
def response_submit(*, response: Response, user: User) -> Response:
    locked = Response.objects.select_for_update(of=("self",)).select_related("round__edition").get(pk=response.pk)
    _require_office_member(user, locked.office)
    if locked.status not in EDITABLE_STATUSES:
        raise WorkflowError(f"This response is already {locked.get_status_display().lower()}.")
    evaluation = evaluate(locked.round.edition.structure, locked.answers)
    if not evaluation.is_valid:
        raise ResponseInvalid(evaluation)
    before = {**locked.stashed_answers, **locked.answers}
    locked.status = ResponseStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=["status", "submitted_at", "version", "updated_by", "updated_at"])
    locked.refresh_from_db(fields=["version", "updated_at"])
    _record(locked, user, before, "submitted")
    response.__dict__.update({k: getattr(locked, k) for k in ("status", "submitted_at", "version", "updated_at")})
    return locked


def _clean_filename(name: str) -> str:
    # Keep only the last path component and printable characters: the name is shown to
    # people, never used to build a path on disk.
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return base[:200] or "attachment"


def attachment_check(upload: UploadedFile) -> tuple[str, str]:
    """The cleaned name and suffix of an acceptable upload; WorkflowError says why not."""
    name = _clean_filename(upload.name or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))
        raise WorkflowError(f"“{name}” is not an accepted file type. Accepted: {allowed}.")
    limit = settings.WIPOSTAD_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size > limit:
        raise WorkflowError(f"“{name}” is {upload.size or 0:,} bytes; attachments may be at most {limit:,} bytes.")
    if upload.size == 0:
        raise WorkflowError(f"“{name}” is empty.")
    return name, suffix


@transaction.atomic
def attachment_add(*, response: Response, question_id: str, upload: UploadedFile, user: User) -> Attachment:
    _require_office_member(user, response.office)
    if not response.is_editable:
        raise WorkflowError("Attachments can only be added while the response is being edited.")
    question = response.round.edition.structure.by_id.get(question_id)
    if question is None or not question.attachment:
        raise WorkflowError(f"Question {question_id} does not take attachments.")
    name, suffix = attachment_check(upload)
    attachment = Attachment(
        response=response,
        question_id=question_id,
        token=secrets.token_hex(16),
        original_name=name,
        size=upload.size,
        content_type=ALLOWED_ATTACHMENT_TYPES[suffix],
        uploaded_by=user,
    )
    attachment.file.save(attachment.token, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user: User) -> None:
    _require_office_member(user, attachment.response.office)
    if not attachment.response.is_editable:
        raise WorkflowError("Attachments can only be removed while the response is being edited.")
    stored = attachment.file.name
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))


@transaction.atomic
def response_save_with_attachments(
    *,
    response: Response,
    answers: Mapping[str, Any],
    user: User,
    expected_version: int,
    remove: list[str],
    upload: UploadedFile | None,
) -> Evaluation:
    """A form save: answers, removed attachments and a new upload together, or nothing.

    The upload is checked before anything is written, so a refused file leaves the
    response exactly as it was (the person's answers stay on their page).
    """
    target = None
    if upload:
        attachment_check(upload)
        target = next((q.id for q in response.round.edition.structure.questions if q.attachment), None)
        if target is None:
            raise WorkflowError("This questionnaire does not take attachments.")
    evaluation = response_save_draft(response=response, answers=answers, user=user, expected_version=expected_version)
    for token in remove:
        attachment = response.attachments.filter(token=token).first()
        if attachment:
            attachment_remove(attachment=attachment, user=user)
    if upload:
        attachment_add(response=response, question_id=target, upload=upload, user=user)
    return evaluation


def membership_set(*, user: User, office: Office, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"office": office, "role": role})
    return membership


__all__ = [
    "PermissionDenied",
    "ResponseConflict",
    "ResponseInvalid",
    "WorkflowError",
    "attachment_add",
    "attachment_remove",
    "can_edit_office",
    "is_secretariat",
    "membership_set",
    "numbering_system_create",
    "response_save_draft",
    "response_save_with_attachments",
    "response_start",
    "response_submit",
]
