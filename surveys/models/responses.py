"""Numbering systems, responses, their revisions and attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from standards.models import Office
from surveys import permissions
from surveys.models.rounds import SurveyRound


class NumberingSystemQuerySet(models.QuerySet):
    def with_published_responses(self) -> NumberingSystemQuerySet:
        return self.filter(Exists(SurveyResponse.objects.public().filter(numbering_system=OuterRef("pk"))))

    def readable_by(self, user: User | AnonymousUser) -> NumberingSystemQuerySet:
        """The systems the user may read (``surveys.view_numberingsystem``, surveys/permissions.py)."""
        return permissions.scope_numbering_systems(self, user)


class NumberingSystem(models.Model):
    """One of an office's application numbering systems; it persists across rounds."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="numbering_systems")
    label = models.CharField(max_length=200, help_text="How the office refers to it, e.g. “Trademarks”.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NumberingSystemQuerySet.as_manager()

    class Meta:
        ordering = ["office_id", "created_at", "id"]
        # An office's systems in the order its dashboard lists them.
        indexes = [models.Index(fields=["office", "created_at", "id"], name="system_office_listing")]
        constraints = [
            models.UniqueConstraint("office", Lower("label"), name="numbering_system_label_unique_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.label}"


class ResponseStatus(models.TextChoices):
    # The labels are the words every page, report, export and the admin show, in the
    # reader's language (lazy: looked up when shown).
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")


EDITABLE_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.RETURNED)
# Only what the International Bureau has reviewed and published is shown to the public.
PUBLIC_STATUSES = (ResponseStatus.PUBLISHED,)
# The note of the first revision of an empty draft made to stand for a response that a
# published page names ("Response 1 of 2") but that was not imported.
PLACEHOLDER_NOTE = "placeholder"


class SurveyResponseQuerySet(models.QuerySet):
    def readable_by(self, user: User | AnonymousUser) -> SurveyResponseQuerySet:
        """The responses the user may read (``surveys.view_surveyresponse``, surveys/permissions.py)."""
        return permissions.scope_responses(self, user)

    def public(self) -> SurveyResponseQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def publicly_numbered(self) -> SurveyResponseQuerySet:
        """The responses the public knows by number: the published ones, and the
        placeholders of responses a published page names (their numbers are on record)."""
        placeholder = ResponseRevision.objects.filter(
            response=OuterRef("pk"), version=1, note__startswith=PLACEHOLDER_NOTE
        )
        return self.filter(
            Q(status__in=PUBLIC_STATUSES) | Q(status=ResponseStatus.DRAFT, version=1) & Exists(placeholder)
        )

    def for_round(self, survey_round: SurveyRound) -> SurveyResponseQuerySet:
        return self.filter(round=survey_round)

    def with_related(self) -> SurveyResponseQuerySet:
        return self.select_related(
            "round__edition", "office", "numbering_system", "updated_by", "ready_for_approval_by"
        )

    def for_listing(self) -> SurveyResponseQuerySet:
        """Related rows for list pages, without the (large) edition definition."""
        return self.select_related("round", "office", "numbering_system", "updated_by")


class SurveyResponse(models.Model):
    """An office's answers for one numbering system in one round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    # Denormalised from the numbering system so that "n of m" and scoping are one-table queries.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="responses")
    numbering_system = models.ForeignKey(NumberingSystem, on_delete=models.PROTECT, related_name="responses")
    sequence = models.PositiveSmallIntegerField(help_text="n in “Response n of m” for this office and round.")
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    # Answers of applicable questions only, keyed by question ID.
    answers = models.JSONField(default=dict, blank=True)
    # Answers the office gave to questions that no longer apply: set aside, never shown as answered.
    set_aside_answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The accepted response of an earlier round this one was pre-filled from.
    prefilled_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Sections the office has confirmed as still correct after pre-filling.
    confirmed_sections = models.JSONField(default=list, blank=True)
    # Pre-filled from a response to the edition this round's edition revises: the answers
    # carried over through the mapping ({question ID: how}) and the old answers that could
    # not be, with why ([{"question", "reason"}]) (surveys/questionnaire/revisions.py).
    carried_answers = models.JSONField(default=dict, blank=True)
    not_carried_answers = models.JSONField(default=list, blank=True)
    # Inside the office: when (and by whom) a respondent marked the response ready for the
    # approver to submit; cleared when it is submitted or handed back. Each mark and each
    # hand-back is a ResponseEvent too. Not a status: the reports and the status lists
    # know nothing of the office's own hand-over.
    ready_for_approval_at = models.DateTimeField(null=True, blank=True)
    ready_for_approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        # Pages, the admin and the API documentation call it a response.
        verbose_name = "response"
        ordering = ["round_id", "office_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["round", "numbering_system"], name="response_once_per_system_and_round"),
            models.UniqueConstraint(fields=["round", "office", "sequence"], name="response_sequence_unique_per_office"),
            models.CheckConstraint(condition=Q(status__in=ResponseStatus.values), name="response_status_known"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="response_sequence_positive"),
            models.CheckConstraint(condition=Q(version__gte=1), name="response_version_positive"),
        ]
        # The orders and filters of the lists, so that the database reads a page of rows in
        # order from an index and stops, rather than sorting every row to return fifty.
        indexes = [
            # Responses of one status by office and number (the public list, the
            # secretariat's list filtered by status).
            models.Index(fields=["status", "office", "sequence"], name="response_status_listing"),
            # Every response by office and number (the secretariat's list).
            models.Index(fields=["office", "sequence"], name="response_office_listing"),
            # Responses of one status per round (counting the public list of an edition,
            # the rounds that have published responses): counted from the index alone.
            models.Index(fields=["status", "round"], name="response_status_round"),
            # A round's responses per office with their status (the round dashboard's counts
            # per state): read from the index alone, never from the rows.
            models.Index(fields=["round", "office", "status"], name="response_round_office_status"),
        ]

    def __str__(self) -> str:
        return f"{self.public_key} ({self.round})"

    @property
    def public_key(self) -> str:
        """The key used in public URLs, e.g. “md-002”."""
        return f"{self.office_id.lower()}-{self.sequence:03d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_ready_for_approval(self) -> bool:
        """A respondent has handed it over to the office's approver, who has not acted yet."""
        return self.ready_for_approval_at is not None and self.is_editable


class ResponseRevision(models.Model):
    """A snapshot of a response after each save: who, when, and which answers changed."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=ResponseStatus.choices)
    answers = models.JSONField(default=dict)
    set_aside_answers = models.JSONField(default=dict)
    changed = models.JSONField(default=list, help_text="Question IDs whose answer changed in this save.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["response_id", "version"]
        constraints = [models.UniqueConstraint(fields=["response", "version"], name="revision_version_unique")]

    def __str__(self) -> str:
        return f"{self.response} version {self.version}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks can reach the disk.
    return f"attachments/{instance.response_id}/{instance.token}"


class Attachment(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="attachments")
    question_id = models.CharField(max_length=40)
    token = models.CharField(max_length=32, unique=True)
    original_name = models.CharField(max_length=200)
    # Empty for attachments known only by name (e.g. imported from a published page).
    file = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
