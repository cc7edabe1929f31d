"""Questionnaire editions: loaded from their definition files or uploaded as authoring
spreadsheets. A draft may be replaced and previewed; once published, an edition is the
record of what offices are asked and only its translations can still change."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys import permissions
from surveys.questionnaire.edition import Edition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class EditionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class EditionQuerySet(models.QuerySet):
    def published(self) -> EditionQuerySet:
        return self.filter(state=EditionState.PUBLISHED)

    def readable_by(self, user: User | AnonymousUser | None) -> EditionQuerySet:
        """The editions the user may read (``surveys.view_edition_drafts``, surveys/permissions.py)."""
        return permissions.scope_editions(self, user)


class QuestionnaireEdition(models.Model):
    """A questionnaire edition: a draft until published, then never changed but for its
    translations."""

    slug = models.SlugField(max_length=80, unique=True)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    definition = models.JSONField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the canonical definition")
    loaded_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=EditionState.choices, default=EditionState.PUBLISHED)
    # The warnings of the spreadsheet the draft was read from (missing translations …).
    warnings = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "slug"]
        indexes = [models.Index(fields=["-year", "slug"], name="edition_listing")]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"

    @property
    def is_draft(self) -> bool:
        return self.state == EditionState.DRAFT

    @cached_property
    def structure(self) -> Edition:
        return Edition(self.definition)
