"""Inviting people to answer for an office: the invitation e-mail with its single-use link,
sending it again, revoking it, and accepting it (which makes the account).

The secretariat invites any office's contacts (``surveys.invite_contacts``); an office's
approvers invite their own colleagues (``surveys.manage_office_people``). Each link holds
a secret from ``secrets.token_urlsafe``; only its SHA-256 digest is stored. A link works
once, until it expires (``WIPOSTAD_INVITATION_DAYS``); sending the invitation again gives
it a new secret, so the link of the earlier e-mail no longer works.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from standards.models import Office
from surveys.accounts import allowance
from surveys.accounts.services import language_set
from surveys.errors import NotAllowed, WorkflowError
from surveys.models import AccountInvitation, InvitationState, Membership, SurveyRound
from surveys.permissions import is_bureau_account, may, membership_of
from surveys.review.mail import queue_mail

# Addresses in one request of the invitation forms: more is refused (each is an e-mail).
MAX_ADDRESSES = 50
# Invitation e-mails one address receives in an hour, whoever sends them (first sending
# and sending again alike): an invitation form cannot be used to flood a mailbox.
MAILS_PER_ADDRESS_PER_HOUR = 3
# Invitation e-mails an office's own coordinators send in an hour, all together. The
# secretariat, which invites every office's contacts when a round opens, is not counted.
OFFICE_MAILS_PER_HOUR = 60


class InvitationUnusable(WorkflowError):
    """A link that cannot be used: unknown (or replaced by a newer one), already used,
    expired or revoked (``reason``)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class InviteOutcome:
    """What became of each address of one request."""

    invited: list[AccountInvitation] = field(default_factory=list)
    sent_again: list[AccountInvitation] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, why)


# --- the link -------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def site_url(request: HttpRequest | None = None) -> str:
    """The site's address for links in e-mails: WIPOSTAD_SITE_URL, or the address the
    request came to."""
    if settings.WIPOSTAD_SITE_URL or request is None:
        return settings.WIPOSTAD_SITE_URL or "http://localhost:8000"
    return request.build_absolute_uri("/").rstrip("/")


def accept_link(token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("invitation_accept", args=[token])


# --- addresses ------------------------------------------------------------------------


def addresses_in(text: str) -> list[str]:
    """The addresses of a text (one per line, or separated by commas, semicolons or
    spaces), in lower case, each once, in their order."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        address = part.strip().strip("<>").lower()
        if address:
            seen.setdefault(address, None)
    return list(seen)


def _users_with(email: str):
    return get_user_model().objects.filter(email__iexact=email).order_by("pk")


def address_refusal(email: str, office: Office) -> str | None:
    """Why this address cannot be given an account of the office, or None."""
    try:
        validate_email(email)
    except ValidationError:
        return _("not an e-mail address")
    for user in _users_with(email):
        membership = membership_of(user)
        if membership is not None and membership.office_id == office.code:
            return _("already has an account in this office")
        if membership is not None:
            return _("belongs to an account of another office; the International Bureau can move it")
        if is_bureau_account(user):
            return _("belongs to an account of the International Bureau")
    return None


# --- inviting -------------------------------------------------------------------------


def _may_invite(user: User, office: Office) -> bool:
    return may(user, "surveys.invite_contacts") or may(user, "surveys.manage_office_people", office)


def _check_choices(role: str, language: str) -> None:
    if role not in Membership.Role.values:
        raise WorkflowError(_("Choose a role: respondent or approver."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise WorkflowError(_("Choose the language of the invitation."))


def invitations_send(
    *,
    office: Office,
    emails: list[str],
    role: str,
    language: str,
    user: User,
    base_url: str,
    survey_round: SurveyRound | None = None,
) -> InviteOutcome:
    """Invite each address to answer for the office, in the role; an address already
    invited (and neither accepted nor revoked) is sent its invitation again, in the new
    role and language, with a new link. Addresses that cannot be invited are refused one
    by one, with the reason; the others are invited all the same."""
    if not _may_invite(user, office):
        raise NotAllowed(_("You may not invite people to this office."))
    _check_choices(role, language)
    if survey_round is not None and not survey_round.invitations.filter(office=office).exists():
        raise WorkflowError(_("%(office)s is not invited to this round.") % {"office": office.local_name})
    if len(emails) > MAX_ADDRESSES:
        raise WorkflowError(_("At most %(n)s addresses at a time.") % {"n": MAX_ADDRESSES})
    outcome = InviteOutcome()
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        why = address_refusal(email, office) or _allowance_refusal(email, office, user)
        if why:
            outcome.refused.append((email, why))
            continue
        invitation, created = _invite_one(office, email, role, language, user, base_url, survey_round)
        (outcome.invited if created else outcome.sent_again).append(invitation)
    return outcome


@transaction.atomic
def _invite_one(office, email, role, language, user, base_url, survey_round) -> tuple[AccountInvitation, bool]:
    invitation = AccountInvitation.objects.select_for_update().open().filter(office=office, email=email).first()
    created = invitation is None
    if created:
        invitation = AccountInvitation(office=office, email=email)
    invitation.role, invitation.language, invitation.invited_by = role, language, user
    invitation.round = survey_round or invitation.round
    try:
        with transaction.atomic():
            _send(invitation, base_url)
    except IntegrityError:  # invited by someone else at the same moment: send theirs again
        invitation = AccountInvitation.objects.select_for_update().open().get(office=office, email=email)
        _send(invitation, base_url)
        created = False
    return invitation, created


# What an address over an allowance is told; the plural follows the minutes to wait.
_OFFICE_USED_UP = ngettext_lazy(
    "your office has sent its %(count)s invitations of the hour; try again in %(minutes)s minute",
    "your office has sent its %(count)s invitations of the hour; try again in %(minutes)s minutes",
    "minutes",
)
_ADDRESS_USED_UP = ngettext_lazy(
    "was sent %(count)s invitations in the last hour; try again in %(minutes)s minute",
    "was sent %(count)s invitations in the last hour; try again in %(minutes)s minutes",
    "minutes",
)


def _allowance_refusal(email: str, office: Office, user: User) -> str | None:
    """Why no invitation e-mail may go to this address now, or None (and then it is counted)."""
    allowances = [(f"invitations:address:{allowance.digest(email)}", MAILS_PER_ADDRESS_PER_HOUR, _ADDRESS_USED_UP)]
    if not may(user, "surveys.invite_contacts"):
        allowances.insert(0, (f"invitations:office:{office.code}", OFFICE_MAILS_PER_HOUR, _OFFICE_USED_UP))
    for key, limit, words in allowances:
        wait = allowance.take(key, limit)
        if wait:
            return words % {"count": limit, "minutes": allowance.minutes(wait)}
    return None


def _check_open(invitation: AccountInvitation, user: User) -> None:
    if not (may(user, "surveys.invite_contacts") or may(user, "surveys.manage_office_people", invitation)):
        raise NotAllowed(_("You may not change the invitations of this office."))
    if invitation.state == InvitationState.ACCEPTED:
        raise WorkflowError(_("%(email)s has already accepted the invitation.") % {"email": invitation.email})
    if invitation.state == InvitationState.REVOKED:
        raise WorkflowError(_("The invitation of %(email)s was revoked.") % {"email": invitation.email})


@transaction.atomic
def invitation_resend(*, invitation: AccountInvitation, user: User, base_url: str) -> AccountInvitation:
    """Send the invitation again with a new link (valid for the full period again); the
    earlier link stops working."""
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation, user)
    why = _allowance_refusal(invitation.email, invitation.office, user)
    if why:
        raise WorkflowError(_("Not sent again: %(email)s (%(why)s).") % {"email": invitation.email, "why": why})
    _send(invitation, base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: AccountInvitation, user: User) -> AccountInvitation:
    """Make the invitation's link stop working for good."""
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation, user)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


# --- the e-mail -----------------------------------------------------------------------


def _send(invitation: AccountInvitation, base_url: str) -> None:
    """Give the invitation a new link, valid for WIPOSTAD_INVITATION_DAYS, and e-mail it."""
    token, invitation.token_digest = _new_token()
    now = timezone.now()
    invitation.expires_at = now + timedelta(days=settings.WIPOSTAD_INVITATION_DAYS)
    invitation.send_count += 1
    invitation.last_sent_at = now
    invitation.save()
    with translation.override(invitation.language):
        subject, body = invitation_message(invitation, accept_link(token, base_url))
    queue_mail(subject, body, [invitation.email])


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _inviter(invitation: AccountInvitation) -> str:
    inviter = invitation.invited_by
    if inviter is None or may(inviter, "surveys.invite_contacts"):
        return _("The International Bureau of WIPO")
    return inviter.get_full_name() or inviter.email or inviter.get_username()


def invitation_message(invitation: AccountInvitation, link: str) -> tuple[str, str]:
    """The subject and text of the invitation, in the active language."""
    office = invitation.office.local_name
    role = Membership.Role(invitation.role).label
    subject = _("[wipostad] Invitation to answer for %(office)s") % {"office": office}
    duties = {
        Membership.Role.RESPONDENT: _("As a respondent you fill in your office's answers to the questionnaire."),
        Membership.Role.APPROVER: _(
            "As an approver you fill in and submit your office's answers, and invite or remove your colleagues."
        ),
    }[invitation.role]
    parts = [
        _("Hello,"),
        _(
            "%(inviter)s invites you to answer for %(office)s (%(code)s) on wipostad, the survey site of the "
            "Committee on WIPO Standards (CWS), in the role of %(role)s."
        )
        % {"inviter": _inviter(invitation), "office": office, "code": invitation.office_id, "role": role.lower()},
        duties,
    ]
    if invitation.round is not None:
        parts.append(
            _("The survey “%(title)s” is open; your office's answers are expected by %(deadline)s.")
            % {"title": invitation.round.local_title, "deadline": _date(invitation.round.closes_on)}
        )
    parts += [
        _("To accept, choose your password on this page (the link works once, until %(date)s):")
        % {"date": _date(timezone.localtime(invitation.expires_at))}
        + f"\n{link}",
        _("You will sign in with your e-mail address: %(email)s") % {"email": invitation.email},
        _("If you did not expect this invitation, ignore this e-mail: no account is made unless the link is used."),
    ]
    return subject, "\n\n".join(parts)


# --- accepting ------------------------------------------------------------------------


def invitation_for_token(token: str) -> AccountInvitation:
    """The invitation of a link, when it can still be used; else InvitationUnusable."""
    invitation = (
        AccountInvitation.objects.select_related("office", "round").filter(token_digest=_digest(token or "")).first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.state != InvitationState.PENDING:
        raise InvitationUnusable(invitation.state)
    return invitation


def existing_account(invitation: AccountInvitation) -> User | None:
    """The account without an office that the invitation's address already has, if any."""
    for user in _users_with(invitation.email):
        if membership_of(user) is None and not is_bureau_account(user):
            return user
    return None


def _free_username(email: str) -> str:
    users = get_user_model().objects
    base = email[:140]
    candidate, n = base, 1
    while users.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def username_for(invitation: AccountInvitation) -> str:
    """The username the person signs in with once the invitation is accepted."""
    existing = existing_account(invitation)
    return existing.get_username() if existing else _free_username(invitation.email)


def invitation_accept(*, token: str, password: str, sign_in: Callable[[User], None] | None = None) -> User:
    """Use the link: make the account (or attach the address's account that has no office)
    with the password, its membership in the invitation's role and its language; sign the
    person in (``sign_in``). The link cannot be used again."""
    with transaction.atomic():
        found = invitation_for_token(token)
        invitation = AccountInvitation.objects.select_for_update().select_related("office").get(pk=found.pk)
        if invitation.state != InvitationState.PENDING or invitation.token_digest != _digest(token):
            raise InvitationUnusable(invitation.state)
        why = address_refusal(invitation.email, invitation.office)
        if why:
            raise WorkflowError(_("This invitation cannot be accepted: the address %(why)s.") % {"why": why})
        user = existing_account(invitation) or get_user_model()(
            username=_free_username(invitation.email), email=invitation.email
        )
        user.set_password(password)
        user.is_active = True
        user.save()
        Membership.objects.create(user=user, office=invitation.office, role=invitation.role)
        language_set(user=user, language=invitation.language)
        if sign_in is not None:
            sign_in(user)
        # The moment of the first sign-in: a later sign-in shows the person came back.
        invitation.accepted_at = user.last_login or timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user
