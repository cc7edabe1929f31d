from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from standards.models import Office
from surveys.questionnaire.edition import Edition

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


class QuestionnaireEdition(models.Model):
    """A published questionnaire edition, loaded from its definition file and never edited."""

    slug = models.SlugField(max_length=80, unique=True)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    definition = models.JSONField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the canonical definition")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "slug"]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"

    @cached_property
    def structure(self) -> Edition:
        return Edition(self.definition)


class RoundQuerySet(models.QuerySet):
    def open(self) -> RoundQuerySet:
        return self.filter(status=SurveyRound.Status.OPEN)


class SurveyRound(models.Model):
    """An edition run over a period for a set of invited offices."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    edition = models.ForeignKey(QuestionnaireEdition, on_delete=models.PROTECT, related_name="rounds")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The year shown in “submitted by … in YEAR”.")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
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


class Membership(models.Model):
    """Which office a user answers for, and in which role."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", "Respondent"
        APPROVER = "approver", "Approver"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESPONDENT)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["respondent", "approver"]), name="membership_role_known")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.office_id})"


class NumberingSystemQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> NumberingSystemQuerySet:
        if is_secretariat(user):
            return self
        office = office_of(user)
        if office is None:
            return self.none()
        return self.filter(office=office)


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
        constraints = [
            models.UniqueConstraint("office", Lower("label"), name="numbering_system_label_unique_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.label}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"
    PUBLISHED = "published", "Published"


EDITABLE_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.RETURNED)
# Only what the International Bureau has reviewed and published is shown to the public.
PUBLIC_STATUSES = (ResponseStatus.PUBLISHED,)


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> ResponseQuerySet:
        if is_secretariat(user):
            return self
        office = office_of(user)
        if office is None:
            return self.none()
        return self.filter(office=office)

    def public(self) -> ResponseQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def for_round(self, survey_round: SurveyRound) -> ResponseQuerySet:
        return self.filter(round=survey_round)

    def with_related(self) -> ResponseQuerySet:
        return self.select_related("round__edition", "office", "numbering_system", "updated_by")

    def for_listing(self) -> ResponseQuerySet:
        """Related rows for list pages, without the (large) edition definition."""
        return self.select_related("round", "office", "numbering_system", "updated_by")


class Response(models.Model):
    """An office's answers for one numbering system in one round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    # Denormalised from the numbering system so that "n of m" and scoping are one-table queries.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="responses")
    numbering_system = models.ForeignKey(NumberingSystem, on_delete=models.PROTECT, related_name="responses")
    sequence = models.PositiveSmallIntegerField(help_text="n in “Response n of m” for this office and round.")
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    # Answers of applicable questions only, keyed by question ID.
    answers = models.JSONField(default=dict, blank=True)
    # Answers the office gave to questions that no longer apply: kept, never shown as answered.
    stashed_answers = models.JSONField(default=dict, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "office_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["round", "numbering_system"], name="response_once_per_system_and_round"),
            models.UniqueConstraint(fields=["round", "office", "sequence"], name="response_sequence_unique_per_office"),
            models.CheckConstraint(condition=Q(status__in=ResponseStatus.values), name="response_status_known"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="response_sequence_positive"),
            models.CheckConstraint(condition=Q(version__gte=1), name="response_version_positive"),
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


class ResponseRevision(models.Model):
    """A snapshot of a response after each save: who, when, and which answers changed."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=ResponseStatus.choices)
    answers = models.JSONField(default=dict)
    stashed_answers = models.JSONField(default=dict)
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
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
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


class ResponseEvent(models.Model):
    """One workflow step: who moved the response from which state to which, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted"
        RETURN = "return", "Returned to the office"
        ACCEPT = "accept", "Accepted"
        PUBLISH = "publish", "Published"
        REOPEN = "reopen", "Reopened"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=ResponseStatus.choices)
    to_status = models.CharField(max_length=12, choices=ResponseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text="The response version the step was taken on.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["response_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["submit", "return", "accept", "publish", "reopen"]), name="event_action_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.action} ({self.created_at:%Y-%m-%d})"


class ReviewComment(models.Model):
    """A comment on a response, or on one of its questions; visible to the office."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    question_id = models.CharField(max_length=40, blank=True, help_text="Empty for a comment on the whole response.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    version = models.PositiveIntegerField(help_text="The response version the comment was made on.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["response_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.response} {self.question_id or 'general'}: {self.body[:40]}"


class SignInFailure(models.Model):
    """A failed sign-in, kept for the throttling window (see surveys/signin.py)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.created_at:%Y-%m-%d %H:%M}"
