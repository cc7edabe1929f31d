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
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from standards.models import Office
from surveys import notifications
from surveys.models import (
    EDITABLE_STATUSES,
    Attachment,
    Invitation,
    Membership,
    NumberingSystem,
    Response,
    ResponseEvent,
    ResponseRevision,
    ResponseStatus,
    ReviewComment,
    SurveyRound,
    is_secretariat,
    office_of,
)
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation


class WorkflowError(Exception):
    """A workflow step that cannot be done; the message is for the person who asked."""


class NotAllowed(WorkflowError):
    """The user may not take this step (the web answers 403, as does the API)."""


class ResponseConflict(WorkflowError):
    """Someone else saved the response since this person loaded it."""

    def __init__(self, response: Response, expected_version: int):
        self.response = response
        self.expected_version = expected_version
        who = response.updated_by.get_username() if response.updated_by else _("someone else")
        when = timezone.localtime(response.updated_at).strftime("%d/%m/%Y %H:%M")
        super().__init__(
            _(
                "This response was changed by %(who)s at %(when)s (version %(version)s) after you opened it "
                "(version %(expected)s). Nothing was overwritten: your answers are still on this page. "
                "Reload the response to see the other changes, then enter yours again."
            )
            % {"who": who, "when": when, "version": response.version, "expected": expected_version}
        )


class ResponseInvalid(WorkflowError):
    def __init__(self, evaluation: Evaluation, unconfirmed: list[str] | None = None):
        self.evaluation = evaluation
        self.unconfirmed = unconfirmed or []
        n = len(evaluation.errors)
        parts = []
        if n:
            parts.append(ngettext("%(n)s question needs attention", "%(n)s questions need attention", n) % {"n": n})
        if self.unconfirmed:
            count = len(self.unconfirmed)
            parts.append(
                ngettext(
                    "%(n)s pre-filled section still to confirm", "%(n)s pre-filled sections still to confirm", count
                )
                % {"n": count}
            )
        super().__init__(_("The response cannot be submitted yet: %(reasons)s.") % {"reasons": "; ".join(parts)})


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
        raise NotAllowed(_("Only members of the office can change its responses."))


def numbering_system_create(
    *, office: Office, label: str, user: User, secretariat_may: bool = False
) -> NumberingSystem:
    """Add a numbering system to an office: by a member of the office or, where the caller
    allows it (the admin, where the secretariat manages offices' systems), by the secretariat."""
    if not (secretariat_may and is_secretariat(user)):
        _require_office_member(user, office)
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


@transaction.atomic
def response_start(*, survey_round: SurveyRound, numbering_system: NumberingSystem, user: User) -> Response:
    """Open the response for a numbering system in a round (or return the one that exists)."""
    _require_office_member(user, numbering_system.office)
    existing = Response.objects.filter(round=survey_round, numbering_system=numbering_system).first()
    if existing:
        return existing
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(_("The round “%(round)s” is closed.") % {"round": survey_round})
    # The office's invitation row is the lock: two starts at once cannot take the same number.
    invitation = (
        Invitation.objects.select_for_update().filter(round=survey_round, office=numbering_system.office).first()
    )
    if invitation is None:
        raise WorkflowError(
            _("%(office)s is not invited to the round “%(round)s”.")
            % {"office": numbering_system.office.name, "round": survey_round}
        )
    taken = Response.objects.filter(round=survey_round, office=numbering_system.office).aggregate(n=Max("sequence"))[
        "n"
    ]
    # A new round starts from what the office last had accepted for this system (any
    # earlier round): the office changes what changed and confirms the rest.
    previous = (
        Response.objects.filter(
            numbering_system=numbering_system, status__in=[ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED]
        )
        .exclude(round=survey_round)
        .select_related("round")
        .order_by("-round__opens_on", "-accepted_at")
        .first()
    )
    answers: dict[str, Any] = {}
    stashed: dict[str, Any] = {}
    if previous is not None:
        edition = survey_round.edition.structure
        carried = {k: v for k, v in {**previous.stashed_answers, **previous.answers}.items() if k in edition.by_id}
        evaluation = evaluate(edition, carried, with_warnings=False)
        answers, stashed = evaluation.answers, evaluation.stashed
    response = Response.objects.create(
        round=survey_round,
        office=numbering_system.office,
        numbering_system=numbering_system,
        sequence=(taken or 0) + 1,
        created_by=user,
        updated_by=user,
        answers=answers,
        stashed_answers=stashed,
        prefilled_from=previous,
    )
    note = f"created, pre-filled from {previous.public_key} ({previous.round.title})" if previous else "created"
    revision_record(response, user, {}, note)
    return response


def answers_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The question IDs whose answer differs between two answer documents."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


REVISION_NOTE_LENGTH = ResponseRevision._meta.get_field("note").max_length


def revision_record(response: Response, user: User | None, before: Mapping[str, Any], note: str) -> ResponseRevision:
    """Keep the response as it now is (``before``: its answers and stashed answers before the change)."""
    after = {**response.stashed_answers, **response.answers}
    return ResponseRevision.objects.create(
        response=response,
        version=response.version,
        status=response.status,
        answers=response.answers,
        stashed_answers=response.stashed_answers,
        changed=answers_changed(before, after),
        author=user,
        note=note[:REVISION_NOTE_LENGTH],
    )


def _kept_aside(
    before: Mapping[str, Any], sent: Mapping[str, Any], evaluation: Evaluation, edition: Edition
) -> dict[str, Any]:
    """The stashed answers after a save of ``sent``.

    An earlier answer to a question that is now hidden, and that was not sent again, was
    not cleared by anyone (nobody could see it): keep it aside rather than drop it.
    """
    stashed = {
        qid: value
        for qid, value in before.items()
        if qid not in sent and not evaluation.is_applicable(qid) and qid in edition.by_id
    }
    stashed.update(evaluation.stashed)
    return stashed


@transaction.atomic
def response_save_draft(
    *,
    response: Response,
    answers: Mapping[str, Any],
    user: User,
    expected_version: int,
    confirmed_sections: list[str] | None = None,
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
        raise WorkflowError(
            _("This response is %(status)s and can no longer be changed.") % {"status": _status_words(locked.status)}
        )
    if locked.version != expected_version:
        raise ResponseConflict(locked, expected_version)
    edition = locked.round.edition.structure
    evaluation = evaluate(edition, answers)
    if evaluation.unknown:
        raise WorkflowError(_("Unknown question ID(s): %(ids)s.") % {"ids": ", ".join(evaluation.unknown)})
    before = {**locked.stashed_answers, **locked.answers}
    stashed = _kept_aside(before, answers, evaluation, edition)
    locked.answers = evaluation.answers
    locked.stashed_answers = stashed
    if confirmed_sections is not None:
        known = [s.id for s in edition.sections]
        locked.confirmed_sections = [s for s in known if s in set(confirmed_sections)]
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(
        update_fields=["answers", "stashed_answers", "confirmed_sections", "version", "updated_by", "updated_at"]
    )
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, "draft saved")
    for key in ("answers", "stashed_answers", "confirmed_sections", "version", "updated_at", "updated_by_id"):
        response.__dict__[key] = getattr(locked, key)
    return evaluation


# action → (states it may start from, state it leads to, who may take it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (EDITABLE_STATUSES, ResponseStatus.SUBMITTED, "approver"),
    "return": ((ResponseStatus.SUBMITTED,), ResponseStatus.RETURNED, "secretariat"),
    "accept": ((ResponseStatus.SUBMITTED,), ResponseStatus.ACCEPTED, "secretariat"),
    "publish": ((ResponseStatus.ACCEPTED,), ResponseStatus.PUBLISHED, "secretariat"),
    "reopen": ((ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED), ResponseStatus.RETURNED, "secretariat"),
}
ROLE_WORDS = {
    "approver": gettext_lazy("an approver of the office"),
    "secretariat": gettext_lazy("the International Bureau (secretariat)"),
}
# The refusal as one sentence per role, so that translations need not assemble it.
ROLE_REFUSALS = {
    "approver": gettext_lazy("Only an approver of the office can do this."),
    "secretariat": gettext_lazy("Only the International Bureau (secretariat) can do this."),
}


def _status_words(status: str) -> str:
    # A status inside a sentence ("This response is submitted …"): the label pages show,
    # in the reader's language, in lower case.
    from surveys.presenters import status_label

    return status_label(status).lower()


def _action_words(action: str) -> str:
    # A workflow step inside a sentence ("… cannot be returned to the office").
    from surveys.presenters import event_label

    return event_label(action).lower()


def is_office_approver(user: User, office: Office) -> bool:
    membership = getattr(user, "_wipostad_membership", None) if user.is_authenticated else None
    if membership is None and user.is_authenticated:
        office_of(user)  # caches the membership on the user
        membership = getattr(user, "_wipostad_membership", None)
    return bool(membership) and membership.office_id == office.pk and membership.role == Membership.Role.APPROVER


def _may(user: User, role: str, response: Response) -> bool:
    if role == "secretariat":
        return is_secretariat(user)
    return is_office_approver(user, response.office)


def allowed_actions(response: Response, user: User) -> list[str]:
    """The workflow steps this user may take on the response now (for buttons and the API)."""
    return [
        action
        for action, (sources, _, role) in TRANSITIONS.items()
        if response.status in sources and _may(user, role, response)
    ]


def unconfirmed_sections(response: Response) -> list[str]:
    """Sections of a pre-filled response the office has not yet confirmed as still correct."""
    if response.prefilled_from_id is None:
        return []
    edition = response.round.edition.structure
    return [s.id for s in edition.sections if s.id not in set(response.confirmed_sections or ())]


@transaction.atomic
def _transition(
    *,
    response: Response,
    user: User,
    action: str,
    comment: str = "",
    question_comments: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Response:
    sources, target, role = TRANSITIONS[action]
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("round__edition", "office", "updated_by")
        .get(pk=response.pk)
    )
    if not _may(user, role, locked):
        raise NotAllowed(str(ROLE_REFUSALS[role]))
    if locked.status not in sources:
        raise WorkflowError(
            _("A response that is %(status)s cannot be %(action)s.")
            % {"status": _status_words(locked.status), "action": _action_words(action)}
        )
    if expected_version is not None and locked.version != expected_version:
        raise ResponseConflict(locked, expected_version)
    question_comments = {q: c.strip() for q, c in (question_comments or {}).items() if c and c.strip()}
    edition = locked.round.edition.structure
    unknown = [q for q in question_comments if q not in edition.by_id]
    if unknown:
        raise WorkflowError(_("Unknown question ID(s): %(ids)s.") % {"ids": ", ".join(unknown)})
    if action == "submit":
        evaluation = evaluate(edition, locked.answers)
        missing = unconfirmed_sections(locked)
        if not evaluation.is_valid or missing:
            raise ResponseInvalid(evaluation, unconfirmed=missing)
    if action == "return" and not (comment.strip() or question_comments):
        raise WorkflowError(_("Say what the office should change: add a comment, on the response or on a question."))

    before = {**locked.stashed_answers, **locked.answers}
    from_status = locked.status
    now = timezone.now()
    locked.status = target
    stamp = {"submit": "submitted_at", "accept": "accepted_at", "publish": "published_at"}.get(action)
    fields = ["status", "version", "updated_by", "updated_at"]
    if stamp:
        setattr(locked, stamp, now)
        fields.append(stamp)
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=fields)
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, ResponseEvent.Action(action).label.lower())
    ResponseEvent.objects.create(
        response=locked,
        action=action,
        from_status=from_status,
        to_status=target,
        actor=user,
        comment=comment.strip(),
        version=locked.version,
    )
    comments = (
        [ReviewComment(response=locked, question_id="", author=user, body=comment.strip(), version=locked.version)]
        if comment.strip() and action != "submit"
        else []
    )
    comments += [
        ReviewComment(response=locked, question_id=qid, author=user, body=body, version=locked.version)
        for qid, body in question_comments.items()
    ]
    ReviewComment.objects.bulk_create(comments)
    transaction.on_commit(lambda: notifications.response_changed(locked, action, comment.strip()))
    for key in ("status", "version", "updated_at", "updated_by_id", "submitted_at", "accepted_at", "published_at"):
        response.__dict__[key] = getattr(locked, key)
    return locked


def response_submit(*, response: Response, user: User, expected_version: int | None = None) -> Response:
    """The office's approver hands the response to the International Bureau."""
    return _transition(response=response, user=user, action="submit", expected_version=expected_version)


def response_return(
    *,
    response: Response,
    user: User,
    comment: str = "",
    question_comments: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Response:
    """The secretariat sends a submitted response back to the office, saying what to change."""
    return _transition(
        response=response,
        user=user,
        action="return",
        comment=comment,
        question_comments=question_comments,
        expected_version=expected_version,
    )


def response_accept(
    *, response: Response, user: User, comment: str = "", expected_version: int | None = None
) -> Response:
    return _transition(
        response=response, user=user, action="accept", comment=comment, expected_version=expected_version
    )


def response_publish(*, response: Response, user: User, expected_version: int | None = None) -> Response:
    return _transition(response=response, user=user, action="publish", expected_version=expected_version)


def response_reopen(
    *, response: Response, user: User, comment: str = "", expected_version: int | None = None
) -> Response:
    """The secretariat opens an accepted or published response to the office again."""
    return _transition(
        response=response, user=user, action="reopen", comment=comment, expected_version=expected_version
    )


WORKFLOW_ACTIONS = {
    "submit": response_submit,
    "return": response_return,
    "accept": response_accept,
    "publish": response_publish,
    "reopen": response_reopen,
}


@transaction.atomic
def comment_add(*, response: Response, user: User, body: str, question_id: str = "") -> ReviewComment:
    """A comment by the secretariat or by the office, on the response or on one question."""
    if not (is_secretariat(user) or can_edit_office(user, response.office)):
        raise NotAllowed(_("Only the office and the International Bureau can comment on this response."))
    if not body.strip():
        raise WorkflowError(_("The comment is empty."))
    if question_id and question_id not in response.round.edition.structure.by_id:
        raise WorkflowError(_("Unknown question ID %(id)s.") % {"id": question_id})
    return ReviewComment.objects.create(
        response=response, question_id=question_id, author=user, body=body.strip(), version=response.version
    )


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
def attachment_add(*, response: Response, question_id: str, upload: UploadedFile, user: User) -> Attachment:
    _require_office_member(user, response.office)
    if not response.is_editable:
        raise WorkflowError(_("Attachments can only be added while the response is being edited."))
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
    _require_office_member(user, attachment.response.office)
    if not attachment.response.is_editable:
        raise WorkflowError(_("Attachments can only be removed while the response is being edited."))
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
    confirmed_sections: list[str] | None = None,
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
            raise WorkflowError(_("This questionnaire does not take attachments."))
    evaluation = response_save_draft(
        response=response,
        answers=answers,
        user=user,
        expected_version=expected_version,
        confirmed_sections=confirmed_sections,
    )
    for token in remove:
        attachment = response.attachments.filter(token=token).first()
        if attachment:
            attachment_remove(attachment=attachment, user=user)
    if upload:
        attachment_add(response=response, question_id=target, upload=upload, user=user)
    return evaluation


def membership_set(*, user: User, office: Office, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(user=user, defaults={"office": office, "role": role})
    return membership


__all__ = [
    "NotAllowed",
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
    "response_return",
    "response_accept",
    "response_publish",
    "response_reopen",
    "comment_add",
    "allowed_actions",
    "round_create",
    "round_send_reminders",
    "answers_changed",
    "revision_record",
    "invitation_lock",
    "response_record_for_office",
    "response_overwrite_for_office",
    "OfficeNotInvited",
    "ResponseExists",
    "ResponseNotEditable",
    "RoundClosed",
    "SequenceUnavailable",
]


# --- survey rounds --------------------------------------------------------------------


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
) -> SurveyRound:
    """Open a round of an edition for the invited offices (ST.3 codes)."""
    if not is_secretariat(user):
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
        edition=edition, title=title.strip(), slug=slug, year=year, opens_on=opens_on, closes_on=closes_on
    )
    Invitation.objects.bulk_create([Invitation(round=survey_round, office_id=c) for c in codes])
    return survey_round


@transaction.atomic
def round_send_reminders(*, survey_round: SurveyRound, user: User, office_codes: list[str] | None = None) -> int:
    """E-mail the invited offices that have not submitted every response; returns how many were reminded."""
    if not is_secretariat(user):
        raise NotAllowed(_("Only the International Bureau (secretariat) sends reminders."))
    if survey_round.status != SurveyRound.Status.OPEN:
        raise WorkflowError(_("The round is closed: no reminders are sent for it."))
    from surveys.selectors import offices_waiting

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
        transaction.on_commit(lambda inv=invitation: notifications.reminder(inv))
    return len(invitations)


# --- responses recorded by the secretariat on behalf of an office ---------------------
# Spreadsheet imports (surveys/imports.py) and published pages (surveys/legacy.py) write
# responses for an office. They share these functions so that numbering, locking and
# revisions are exactly those of response_start and response_save_draft.


class RoundClosed(WorkflowError):
    pass


class OfficeNotInvited(WorkflowError):
    pass


class SequenceUnavailable(WorkflowError):
    """The requested "Response n" number is taken, or is not the response's own number."""


class ResponseExists(WorkflowError):
    """The numbering system already has its response in the round (one per system and round)."""


class ResponseNotEditable(WorkflowError):
    pass


# A response recorded for an office starts as a draft (the office completes it) or as
# published (a response the secretariat published earlier, read from its page).
RECORDABLE_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.PUBLISHED)


def _require_secretariat_or_command(user: User | None) -> None:
    # None is a management command run by someone with access to the server.
    if user is not None and not is_secretariat(user):
        raise NotAllowed(_("Only the International Bureau (secretariat) can record responses for an office."))


def invitation_lock(
    *, survey_round: SurveyRound, office: Office, user: User | None, invite: bool = False
) -> tuple[Invitation, bool]:
    """Lock the office's invitation row until the caller's transaction ends; True if it was just created.

    The row is the office's lock in the round (as in response_start): whoever holds it may
    take the next "Response n" number. With ``invite`` an office not yet invited is
    invited; without it, OfficeNotInvited. Call inside a transaction.
    """
    _require_secretariat_or_command(user)
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
    if system is not None and Response.objects.filter(round=survey_round, numbering_system=system).exists():
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
) -> Response:
    """Create an office's response in a round, as the secretariat (``user`` None: a command).

    The numbering system is the office's system with that label (letter case ignored),
    created if it has none; it must not have a response in the round yet. ``sequence`` is
    n in "Response n of m" (the next free number when None). The branching engine decides
    where each answer goes: answers to questions that do not apply are kept aside. A
    revision with ``note`` records the creation. ``require_open_round=False`` records a
    response of a closed round (published history); ``invite`` invites the office if needed.
    """
    _check_status(status)
    _require_secretariat_or_command(user)
    label = _system_label(numbering_system_label)
    if require_open_round and survey_round.status != SurveyRound.Status.OPEN:
        raise RoundClosed(_("The round “%(round)s” is closed.") % {"round": survey_round})
    edition, evaluation = _evaluate_for(survey_round, answers)
    invitation_lock(survey_round=survey_round, office=office, user=user, invite=invite)
    system = _free_system(survey_round, office, label)
    in_round = Response.objects.filter(round=survey_round, office=office)
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
    response = Response.objects.create(
        round=survey_round,
        office=office,
        numbering_system=system,
        sequence=sequence,
        status=status,
        published_at=timezone.now() if status == ResponseStatus.PUBLISHED else None,
        answers=evaluation.answers,
        stashed_answers=evaluation.stashed,
        created_by=user,
        updated_by=user,
    )
    revision_record(response, user, {}, note)
    return response


@transaction.atomic
def response_overwrite_for_office(
    *,
    response: Response,
    answers: Mapping[str, Any],
    user: User | None,
    note: str,
    status: str | None = None,
    sequence: int | None = None,
    numbering_system_label: str | None = None,
) -> tuple[Response, bool]:
    """Replace an office's draft or returned response with these answers, as the secretariat.

    As in response_save_draft, the engine decides what applies, and an earlier answer that
    no longer applies and is not given again is kept aside. ``status`` (draft or
    published) changes the status too; ``numbering_system_label`` moves the response to
    the office's system of that label (created if needed) when it names another one;
    ``sequence``, when given, must be the response's number. Returns the response and
    whether anything was written: a response that would not change is left as it is,
    whatever its status, and no revision is recorded.
    """
    if status is not None:
        _check_status(status)
    _require_secretariat_or_command(user)
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("round__edition", "office", "numbering_system")
        .get(pk=response.pk)
    )
    if sequence is not None and sequence != locked.sequence:
        raise SequenceUnavailable(
            _("This response is %(key)s (number %(number)s), not number %(asked)s.")
            % {"key": locked.public_key, "number": locked.sequence, "asked": sequence}
        )
    edition, evaluation = _evaluate_for(locked.round, answers)
    before = {**locked.stashed_answers, **locked.answers}
    stashed = _kept_aside(before, answers, evaluation, edition)
    system = locked.numbering_system
    if numbering_system_label is not None:
        label = _system_label(numbering_system_label)
        if label.lower() != system.label.lower():
            system = _free_system(locked.round, locked.office, label) or NumberingSystem.objects.create(
                office=locked.office, label=label, created_by=user
            )
    target = status or locked.status
    if (evaluation.answers, stashed, target, system.pk) == (
        locked.answers,
        locked.stashed_answers,
        locked.status,
        locked.numbering_system_id,
    ):
        # A sheet exported with reviewed responses in it can come back with them untouched.
        return locked, False
    if locked.status not in EDITABLE_STATUSES:
        raise ResponseNotEditable(
            _("%(key)s is %(status)s; an import only overwrites draft or returned responses.")
            % {"key": locked.public_key, "status": _status_words(locked.status)}
        )
    fields = ["answers", "stashed_answers", "status", "numbering_system", "version", "updated_by", "updated_at"]
    if target == ResponseStatus.PUBLISHED and locked.status != target:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.answers = evaluation.answers
    locked.stashed_answers = stashed
    locked.status = target
    locked.numbering_system = system
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=fields)
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, note)
    return locked, True
