"""Survey rounds and the offices invited to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from standards.models import Office
from surveys import permissions
from surveys.models.editions import QuestionnaireEdition

MAX_REMINDER_DAYS = 365


def parse_reminder_days(text: str) -> list[int]:
    """Days of a reminder schedule, e.g. "14, 7, 1" → [14, 7, 1] (largest first, each once).

    ValueError (with a sentence for the reader) on anything but whole numbers of days from
    1 to MAX_REMINDER_DAYS."""
    days = set()
    for piece in text.replace(";", ",").replace(" ", ",").split(","):
        if not piece.strip():
            continue
        if not piece.strip().isdigit() or not 1 <= int(piece) <= MAX_REMINDER_DAYS:
            raise ValueError(
                _("“%(value)s” is not a number of days from 1 to %(max)s.") % {"value": piece, "max": MAX_REMINDER_DAYS}
            )
        days.add(int(piece))
    return sorted(days, reverse=True)


def default_days_before() -> str:
    return settings.WIPOSTAD_REMINDER_DAYS_BEFORE


def default_days_after() -> str:
    return settings.WIPOSTAD_REMINDER_DAYS_AFTER


def validate_reminder_days(text: str) -> None:
    try:
        parse_reminder_days(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


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
    # When offices that have not submitted every response are reminded automatically:
    # days before the deadline and days after it, e.g. "14,7,1" (blank: never).
    reminder_days_before = models.CharField(
        _("reminders before the deadline"),
        max_length=100,
        blank=True,
        default=default_days_before,
        validators=[validate_reminder_days],
        help_text=_("Days before the deadline, separated by commas, e.g. “14, 7, 1”. Leave blank for none."),
    )
    reminder_days_after = models.CharField(
        _("reminders after the deadline"),
        max_length=100,
        blank=True,
        default=default_days_after,
        validators=[validate_reminder_days],
        help_text=_("Days after the deadline, separated by commas, e.g. “7, 14”. Leave blank for none."),
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

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def days_before(self) -> list[int]:
        return parse_reminder_days(self.reminder_days_before)

    def days_after(self) -> list[int]:
        return parse_reminder_days(self.reminder_days_after)

    def days_before_text(self) -> str:
        """The days before the deadline as read: "14, 7, 1" (the furthest first)."""
        return ", ".join(str(day) for day in self.days_before())

    def days_after_text(self) -> str:
        """The days after the deadline as read: "7, 14" (the nearest first)."""
        return ", ".join(str(day) for day in sorted(self.days_after()))

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


class ReminderSent(models.Model):
    """One reminder to one office of a round: a point of the round's schedule (so many days
    before or after its deadline), or one sent by hand from the round dashboard. A point of
    the schedule is sent once per office, however often or concurrently the job runs."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("before the deadline")
        AFTER = "after", _("after the deadline")
        MANUAL = "manual", _("sent by hand")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="reminders")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    # The days before or after the deadline (0 for a reminder sent by hand).
    days = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # One message per language of the office's people (each is written to in their own);
    # none when the office had nobody with an e-mail address to write to.
    mails = models.ManyToManyField("surveys.OutgoingMail", blank=True, related_name="reminders")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "office", "kind", "days"],
                condition=~Q(kind="manual"),
                name="reminder_point_once_per_office",
            ),
            models.CheckConstraint(condition=Q(kind__in=["before", "after", "manual"]), name="reminder_kind_known"),
        ]
        indexes = [models.Index(fields=["round", "-sent_at", "-id"], name="reminder_round_latest")]

    def __str__(self) -> str:
        return f"{self.office_id} in {self.round_id}: {self.kind} {self.days}"
