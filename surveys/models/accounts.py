"""Who people are: the office a user answers for (what each may do: surveys/permissions.py;
failed sign-ins: django-axes, see surveys/accounts/lockout.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Office

SECRETARIAT_GROUP = "secretariat"
# People who read every submitted response and report of the rounds and comment on them,
# changing nothing (a CWS task force).
TASK_FORCE_GROUP = "task-force"
# People who edit the French and Spanish texts of editions and rounds, and see no answers.
TRANSLATOR_GROUP = "translators"


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


class Preferences(models.Model):
    """What a user chose for themselves: the language of the pages and of every e-mail
    the site sends them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the site's pages and e-mails for this person.",
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
