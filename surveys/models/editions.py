"""Questionnaire editions as loaded from their definition files."""

from __future__ import annotations

from functools import cached_property

from django.db import models

from surveys.questionnaire.edition import Edition


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
