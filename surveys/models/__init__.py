"""Every model of the app, importable from ``surveys.models`` (one app label, ``surveys``).

The models live in one module per subject; this package only gathers them.
"""

from surveys.models.accounts import SECRETARIAT_GROUP, TASK_FORCE_GROUP, TRANSLATOR_GROUP, Membership, Preferences
from surveys.models.editions import EditionState, QuestionnaireEdition
from surveys.models.exports import ExportBuild
from surveys.models.invitations import AccountInvitation, AccountInvitationQuerySet, InvitationState
from surveys.models.mail import OutgoingMail
from surveys.models.opendata import OpenDataRelease
from surveys.models.responses import (
    EDITABLE_STATUSES,
    PLACEHOLDER_NOTE,
    PUBLIC_STATUSES,
    Attachment,
    NumberingSystem,
    NumberingSystemQuerySet,
    ResponseRevision,
    ResponseStatus,
    SurveyResponse,
    SurveyResponseQuerySet,
    attachment_path,
)
from surveys.models.review import ResponseEvent, ReviewComment
from surveys.models.rounds import Invitation, ReminderSent, RoundQuerySet, SurveyRound
from surveys.models.working_documents import WorkingDocument

__all__ = [
    "AccountInvitation",
    "AccountInvitationQuerySet",
    "InvitationState",
    "EDITABLE_STATUSES",
    "PLACEHOLDER_NOTE",
    "PUBLIC_STATUSES",
    "SECRETARIAT_GROUP",
    "TASK_FORCE_GROUP",
    "TRANSLATOR_GROUP",
    "Attachment",
    "ExportBuild",
    "Invitation",
    "Membership",
    "NumberingSystem",
    "NumberingSystemQuerySet",
    "OpenDataRelease",
    "OutgoingMail",
    "Preferences",
    "ReminderSent",
    "EditionState",
    "QuestionnaireEdition",
    "SurveyResponse",
    "ResponseEvent",
    "SurveyResponseQuerySet",
    "ResponseRevision",
    "ResponseStatus",
    "ReviewComment",
    "RoundQuerySet",
    "SurveyRound",
    "WorkingDocument",
    "attachment_path",
]
