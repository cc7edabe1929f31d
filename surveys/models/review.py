"""The review workflow's record: each step taken on a response, and review comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.responses import ResponseStatus, SurveyResponse


class ResponseEvent(models.Model):
    """One workflow step: who moved the response from which state to which, and why."""

    class Action(models.TextChoices):
        # As the workflow timeline says it, in the reader's language.
        SUBMIT = "submit", _("Submitted")
        RETURN = "return", _("Returned to the office")
        ACCEPT = "accept", _("Accepted")
        PUBLISH = "publish", _("Published")
        REOPEN = "reopen", _("Reopened")
        # Inside the office (the status does not change): the respondent hands over to
        # the approver, who may hand the response back with a note.
        READY = "ready", _("Marked ready for approval")
        HAND_BACK = "hand_back", _("Handed back to the respondent")

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="events")
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
                condition=Q(action__in=["submit", "return", "accept", "publish", "reopen", "ready", "hand_back"]),
                name="event_action_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.action} ({self.created_at:%Y-%m-%d})"


class ReviewComment(models.Model):
    """A comment on a response, or on one of its questions; visible to the office."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="comments")
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
