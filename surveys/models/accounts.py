"""Who people are: the office a user answers for, and failed sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Office

SECRETARIAT_GROUP = "secretariat"


def is_secretariat(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # The groups are prefetched per request by the membership middleware-free path:
    # a single EXISTS query, cached on the user object for the request.
    cached = getattr(user, "_wipostad_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._wipostad_secretariat = cached
    return cached


def office_of(user: User | AnonymousUser) -> Office | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_wipostad_membership", False)
    if cached is False:
        cached = Membership.objects.select_related("office").filter(user=user).first()
        user._wipostad_membership = cached
    return cached.office if cached else None


class Membership(models.Model):
    """Which office a user answers for, and in which role."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", _("Respondent")
        APPROVER = "approver", _("Approver")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESPONDENT)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["respondent", "approver"]), name="membership_role_known")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.office_id})"


class SignInFailure(models.Model):
    """A failed sign-in, kept for the throttling window (see surveys/accounts/signin.py)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.created_at:%Y-%m-%d %H:%M}"
