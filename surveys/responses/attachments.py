"""Attachments of a response: which files are accepted, adding and removing them, and a
form save that changes answers and attachments together."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from surveys.errors import WorkflowError
from surveys.models import Attachment, SurveyResponse
from surveys.questionnaire.evaluation import Evaluation
from surveys.responses.services import require_office_permission, require_round_open, response_save_draft

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
        raise WorkflowError(
            _("“%(name)s” is not an accepted file type. Accepted: %(allowed)s.") % {"name": name, "allowed": allowed}
        )
    limit = settings.WIPOSTAD_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size > limit:
        raise WorkflowError(
            _("“%(name)s” is %(size)s bytes; attachments may be at most %(limit)s bytes.")
            % {
                "name": name,
                "size": number_format(upload.size or 0, force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            }
        )
    if upload.size == 0:
        raise WorkflowError(_("“%(name)s” is empty.") % {"name": name})
    return name, suffix


@transaction.atomic
def attachment_add(*, response: SurveyResponse, question_id: str, upload: UploadedFile, user: User) -> Attachment:
    require_office_permission(user, "surveys.change_surveyresponse", response)
    if not response.is_editable:
        raise WorkflowError(_("Attachments can only be added while the response is being edited."))
    require_round_open(response.round)
    question = response.round.edition.structure.by_id.get(question_id)
    if question is None or not question.attachment:
        raise WorkflowError(_("Question %(id)s does not take attachments.") % {"id": question_id})
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
    require_office_permission(user, "surveys.change_surveyresponse", attachment.response)
    if not attachment.response.is_editable:
        raise WorkflowError(_("Attachments can only be removed while the response is being edited."))
    require_round_open(attachment.response.round)
    stored = attachment.file.name
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))


@transaction.atomic
def response_save_with_attachments(
    *,
    response: SurveyResponse,
    answers: Mapping[str, Any],
    user: User,
    expected_version: int,
    remove: list[str],
    upload: UploadedFile | None,
    confirmed_sections: list[str] | None = None,
    record_unchanged: bool = True,
) -> Evaluation:
    """A form save: answers, removed attachments and a new upload together, or nothing.
    ``record_unchanged=False``: answers saved as they were, with no file added or removed,
    make no new version (``response_save_draft``).

    The upload is checked before anything is written, so a refused file leaves the
    response exactly as it was (the person's answers stay on their page).
    """
    target = None
    if upload:
        attachment_check(upload)
        target = next((q.id for q in response.round.edition.structure.questions if q.attachment), None)
        if target is None:
            raise WorkflowError(_("This questionnaire does not take attachments."))
    evaluation = response_save_draft(
        response=response,
        answers=answers,
        user=user,
        expected_version=expected_version,
        confirmed_sections=confirmed_sections,
        record_unchanged=record_unchanged or bool(upload or remove),
    )
    for token in remove:
        attachment = response.attachments.filter(token=token).first()
        if attachment:
            attachment_remove(attachment=attachment, user=user)
    if upload:
        attachment_add(response=response, question_id=target, upload=upload, user=user)
    return evaluation
