"""Invitations to join an office's account: an e-mail with a single-use, expiring link to
set a password (the steps: surveys/accounts/invitations.py).

Only a SHA-256 digest of each link's secret is kept: the database never holds a link
that works. Sending the invitation again gives it a new secret, so the older e-mail's
link stops working.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standards.models import Office
from surveys.models.accounts import Membership
from surveys.models.rounds import SurveyRound


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class AccountInvitationQuerySet(models.QuerySet):
    def open(self) -> AccountInvitationQuerySet:
        """Neither accepted nor revoked (waiting, or expired and able to be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def in_state(self, state: str) -> AccountInvitationQuerySet:
        now = timezone.now()
        if state == InvitationState.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if state == InvitationState.REVOKED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        if state == InvitationState.EXPIRED:
            return self.open().filter(expires_at__lte=now)
        if state == InvitationState.PENDING:
            return self.open().filter(expires_at__gt=now)
        return self


class AccountInvitation(models.Model):
    """An invitation of one e-mail address to answer for an office, in a role."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="account_invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the invitation and of every later e-mail to this person."),
    )
    round = models.ForeignKey(
        SurveyRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_invitations",
        help_text=_("The survey round the person is invited to answer, when there is one."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    # SHA-256 of the link's secret, in hexadecimal; the secret itself is only in the e-mail.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("account"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = AccountInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["office_id", "email", "id"]
        indexes = [
            # The lists: an office's invitations by address (round page, office page).
            models.Index(fields=["office", "email", "id"], name="accountinvitation_listing"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["respondent", "approver"]), name="accountinvitation_role"),
            # One open invitation per address and office: inviting again sends that one again.
            models.UniqueConstraint(
                fields=["office", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accountinvitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.office_id}, {self.role})"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def get_state_display(self) -> str:
        return InvitationState(self.state).label

    @property
    def is_open(self) -> bool:
        """Can still be sent again or revoked."""
        return self.state in (InvitationState.PENDING, InvitationState.EXPIRED)

    @property
    def signed_in_since(self) -> bool | None:
        """For an accepted invitation: whether the person signed in again after accepting
        (accepting signs them in, at ``accepted_at``); None otherwise."""
        if self.accepted_at is None or self.accepted_user is None:
            return None
        last = self.accepted_user.last_login
        return last is not None and last > self.accepted_at
