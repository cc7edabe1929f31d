"""Survey rounds and the offices invited to them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, pgettext_lazy

from standards.models import Office
from surveys import permissions
from surveys.models.editions import QuestionnaireEdition


class RoundQuerySet(models.QuerySet):
    def open(self) -> RoundQuerySet:
        return self.filter(status=SurveyRound.Status.OPEN)

    def inviting(self, office_code: str) -> RoundQuerySet:
        return self.filter(Exists(Invitation.objects.filter(round=OuterRef("pk"), office_id=office_code)))

    def with_published_responses(self) -> RoundQuerySet:
        # The response model is reached through the relation: its module imports this one.
        responses = SurveyRound.responses.field.model.objects.public()
        return self.filter(Exists(responses.filter(round=OuterRef("pk"))))

    def readable_by(self, user: User | AnonymousUser) -> RoundQuerySet:
        """The rounds the user may read (``surveys.view_surveyround``, surveys/permissions.py)."""
        return permissions.scope_rounds(self, user)


class SurveyRound(models.Model):
    """An edition run over a period for a set of invited offices."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("survey round", "Open")
        CLOSED = "closed", pgettext_lazy("survey round", "Closed")

    edition = models.ForeignKey(QuestionnaireEdition, on_delete=models.PROTECT, related_name="rounds")
    slug = models.SlugField(max_length=80, unique=True)
    # The English title; the French and Spanish ones are the translators' (blank: the
    # English one is shown). Stable files (checksums, open data) keep the English one.
    title = models.CharField(max_length=200)
    title_fr = models.CharField("title (French)", max_length=200, blank=True)
    title_es = models.CharField("title (Spanish)", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(help_text="The year shown in “submitted by … in YEAR”.")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The editorial note of the Handbook's survey report: the CWS session the results were
    # presented to, and when. Blank until they are presented.
    cws_session = models.CharField(
        "CWS session",
        max_length=20,
        blank=True,
        help_text="The session of the Committee on WIPO Standards the results were presented to, e.g. CWS/3.",
    )
    presented_on = models.DateField(
        null=True, blank=True, help_text="The day the results were presented to that session."
    )
    invited_offices = models.ManyToManyField(Office, through="Invitation", related_name="rounds")

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="round_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str | None = None) -> str:
        """The title in ``language`` (by default the active one), the English one where
        no translation is given."""
        code = (language or get_language() or "en").split("-")[0].lower()
        translated = {"fr": self.title_fr, "es": self.title_es}.get(code, "")
        return translated.strip() or self.title

    @property
    def local_title(self) -> str:
        """The title in the language of the page or e-mail being written."""
        return self.title_in()


class Invitation(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="invitations")
    invited_at = models.DateTimeField(auto_now_add=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "office"], name="invitation_once_per_office")]

    def __str__(self) -> str:
        return f"{self.office_id} in {self.round}"
