"""Who people are: the office a user answers for (what each may do: surveys/permissions.py;
failed sign-ins: django-axes, see surveys/accounts/lockout.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Office

SECRETARIAT_GROUP = "secretariat"


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
