"""The review workflow: submit, return, accept, publish, reopen, and review comments;
inside the office, the hand-over from respondent to approver (mark ready, hand back).

One transition function takes every step (who may, from which states, what is recorded,
who is told); the five named services are what the web, the admin and the API call.
What submitting checks is ``submission_check``: the submit refuses on it, and the
approver's confirmation page shows it before anyone tries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.errors import NotAllowed, ResponseConflict, ResponseInvalid, WorkflowError
from surveys.models import (
    EDITABLE_STATUSES,
    ResponseEvent,
    ResponseStatus,
    ReviewComment,
    SurveyResponse,
)
from surveys.permissions import may
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation
from surveys.responses.display import action_words, status_words, step_note
from surveys.responses.services import require_round_open, revision_record, unconfirmed_sections
from surveys.review import notifications

SUBMIT = "surveys.submit_surveyresponse"
REVIEW = "surveys.review_surveyresponse"

# action → (states it may start from, state it leads to, the permission it takes:
# surveys/permissions.py says who holds it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (EDITABLE_STATUSES, ResponseStatus.SUBMITTED, SUBMIT),
    "return": ((ResponseStatus.SUBMITTED,), ResponseStatus.RETURNED, REVIEW),
    "accept": ((ResponseStatus.SUBMITTED,), ResponseStatus.ACCEPTED, REVIEW),
    "publish": ((ResponseStatus.ACCEPTED,), ResponseStatus.PUBLISHED, REVIEW),
    "reopen": ((ResponseStatus.ACCEPTED, ResponseStatus.PUBLISHED), ResponseStatus.RETURNED, REVIEW),
}


# The refusal as one sentence per permission, so that translations need not assemble it.
REFUSALS = {
    SUBMIT: gettext_lazy("Only an approver of the office can do this."),
    REVIEW: gettext_lazy("Only the International Bureau (secretariat) can do this."),
}


@dataclass(frozen=True)
class SubmissionCheck:
    """What submitting a response checks, and what it finds: the engine's verdict on the
    saved answers (required questions unanswered, errors; consistency warnings, which never
    block) and the pre-filled sections not yet confirmed."""

    evaluation: Evaluation
    unconfirmed: list[str]

    @property
    def passes(self) -> bool:
        return self.evaluation.is_valid and not self.unconfirmed


def submission_check(response: SurveyResponse) -> SubmissionCheck:
    """The checks of a submission, on the response as saved (the submit runs this very function)."""
    edition = response.round.edition.structure
    return SubmissionCheck(evaluate(edition, response.answers), unconfirmed_sections(response))


def allowed_actions(response: SurveyResponse, user: User) -> list[str]:
    """The workflow steps this user may take on the response now (for buttons and the API)."""
    return [
        action
        for action, (sources, _, perm) in TRANSITIONS.items()
        if response.status in sources
        and may(user, perm, response)
        # Offices submit nothing once the round is closed.
        and not (action == "submit" and response.round.is_closed)
    ]


def may_change_answers(response: SurveyResponse, user: User) -> bool:
    """Whether the user may change the response's answers now (a draft or a returned
    response, in an open round, of an office the user answers for)."""
    return (
        response.is_editable and not response.round.is_closed and may(user, "surveys.change_surveyresponse", response)
    )


def _stamped(response: SurveyResponse, action: str, now) -> list[str]:
    """Set the step's own fields on the response (when it was submitted …); their names."""
    stamp = {"submit": "submitted_at", "accept": "accepted_at", "publish": "published_at"}.get(action)
    fields = []
    if stamp:
        setattr(response, stamp, now)
        fields.append(stamp)
    if action == "submit":
        # The office's hand-over is over: the approver has acted on it.
        response.ready_for_approval_at, response.ready_for_approval_by = None, None
        fields += ["ready_for_approval_at", "ready_for_approval_by"]
    return fields


@transaction.atomic
def _transition(
    *,
    response: SurveyResponse,
    user: User,
    action: str,
    comment: str = "",
    question_comments: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> SurveyResponse:
    sources, target, perm = TRANSITIONS[action]
    locked = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("round__edition", "office", "updated_by")
        .get(pk=response.pk)
    )
    if not may(user, perm, locked):
        raise NotAllowed(str(REFUSALS[perm]))
    if locked.status not in sources:
        raise WorkflowError(
            _("A response that is %(status)s cannot be %(action)s.")
            % {"status": status_words(locked.status), "action": action_words(action)}
        )
    if expected_version is not None and locked.version != expected_version:
        raise ResponseConflict(locked, expected_version)
    question_comments = {q: c.strip() for q, c in (question_comments or {}).items() if c and c.strip()}
    edition = locked.round.edition.structure
    unknown = [q for q in question_comments if q not in edition.by_id]
    if unknown:
        raise WorkflowError(_("Unknown question ID(s): %(ids)s.") % {"ids": ", ".join(unknown)})
    if action == "submit":
        require_round_open(locked.round)
        check = submission_check(locked)
        if not check.passes:
            raise ResponseInvalid(check.evaluation, unconfirmed=check.unconfirmed)
    if action == "return" and not (comment.strip() or question_comments):
        raise WorkflowError(_("Say what the office should change: add a comment, on the response or on a question."))

    before = {**locked.set_aside_answers, **locked.answers}
    from_status = locked.status
    now = timezone.now()
    locked.status = target
    fields = ["status", "version", "updated_by", "updated_at", *_stamped(locked, action, now)]
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=fields)
    locked.refresh_from_db(fields=["version", "updated_at"])
    revision_record(locked, user, before, step_note(action))
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
    # Recorded with the step, sent once it commits.
    notifications.response_changed(locked, action, comment.strip())
    for key in (
        "status",
        "version",
        "updated_at",
        "updated_by_id",
        "submitted_at",
        "accepted_at",
        "published_at",
        "ready_for_approval_at",
        "ready_for_approval_by_id",
    ):
        response.__dict__[key] = getattr(locked, key)
    return locked


def response_submit(*, response: SurveyResponse, user: User, expected_version: int | None = None) -> SurveyResponse:
    """The office's approver hands the response to the International Bureau."""
    return _transition(response=response, user=user, action="submit", expected_version=expected_version)


def response_return(
    *,
    response: SurveyResponse,
    user: User,
    comment: str = "",
    question_comments: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> SurveyResponse:
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
    *, response: SurveyResponse, user: User, comment: str = "", expected_version: int | None = None
) -> SurveyResponse:
    return _transition(
        response=response, user=user, action="accept", comment=comment, expected_version=expected_version
    )


def response_publish(*, response: SurveyResponse, user: User, expected_version: int | None = None) -> SurveyResponse:
    return _transition(response=response, user=user, action="publish", expected_version=expected_version)


def response_reopen(
    *, response: SurveyResponse, user: User, comment: str = "", expected_version: int | None = None
) -> SurveyResponse:
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
def comment_add(*, response: SurveyResponse, user: User, body: str, question_id: str = "") -> ReviewComment:
    """A comment by the secretariat or by the office, on the response or on one question."""
    if not may(user, "surveys.comment_surveyresponse", response):
        raise NotAllowed(_("Only the office and the International Bureau can comment on this response."))
    if not body.strip():
        raise WorkflowError(_("The comment is empty."))
    if question_id and question_id not in response.round.edition.structure.by_id:
        raise WorkflowError(_("Unknown question ID %(id)s.") % {"id": question_id})
    return ReviewComment.objects.create(
        response=response, question_id=question_id, author=user, body=body.strip(), version=response.version
    )


# --- inside the office: the hand-over from respondent to approver ------------------------


def _hand_over(*, response: SurveyResponse, user: User, action: str, perm: str, note: str) -> SurveyResponse:
    """Record one step of the office's hand-over ("ready" or "hand_back"): the response's
    status and answers do not change, so neither does its version."""
    locked = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("round", "office", "numbering_system")
        .get(pk=response.pk)
    )
    if not may(user, perm, locked):
        raise NotAllowed(str(HAND_OVER_REFUSALS[perm]))
    if locked.status not in EDITABLE_STATUSES:
        raise WorkflowError(
            _("This response is %(status)s: only a draft or a returned response is handed over inside the office.")
            % {"status": status_words(locked.status)}
        )
    require_round_open(locked.round)
    ready = action == "ready"
    if ready and locked.ready_for_approval_at is not None:
        raise WorkflowError(_("This response is already marked ready for approval."))
    if not ready and not note.strip():
        raise WorkflowError(_("Say what the respondent should change: the note is required to hand a response back."))
    locked.ready_for_approval_at = timezone.now() if ready else None
    locked.ready_for_approval_by = user if ready else None
    locked.save(update_fields=["ready_for_approval_at", "ready_for_approval_by"])
    ResponseEvent.objects.create(
        response=locked,
        action=action,
        from_status=locked.status,
        to_status=locked.status,
        actor=user,
        comment=note.strip(),
        version=locked.version,
    )
    notifications.handed_over(locked, action, note.strip())
    response.ready_for_approval_at = locked.ready_for_approval_at
    response.ready_for_approval_by = locked.ready_for_approval_by
    return locked


MARK_READY = "surveys.mark_ready_surveyresponse"
HAND_BACK = "surveys.hand_back_surveyresponse"
HAND_OVER_REFUSALS = {
    MARK_READY: gettext_lazy("Only a member of the office can mark its response ready for approval."),
    HAND_BACK: gettext_lazy("Only an approver of the office can hand a response back."),
}


@transaction.atomic
def response_mark_ready(*, response: SurveyResponse, user: User, note: str = "") -> SurveyResponse:
    """A respondent hands the response over to the office's approvers (who are told)."""
    return _hand_over(response=response, user=user, action="ready", perm=MARK_READY, note=note)


@transaction.atomic
def response_hand_back(*, response: SurveyResponse, user: User, note: str) -> SurveyResponse:
    """An approver hands the response back to the office's respondents, saying why (they are told)."""
    return _hand_over(response=response, user=user, action="hand_back", perm=HAND_BACK, note=note)
