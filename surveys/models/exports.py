"""Heavy report downloads (PDF, DOCX, XLSX, the whole report's CSV zip) and the report
page's data, built once per state of the data by a background task and kept in the
default storage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.rounds import SurveyRound


def export_path(instance: ExportBuild, filename: str) -> str:
    # Ours alone: the round, the build and the download name the exporter chose.
    return f"exports/{instance.round_id}/{instance.pk}/{filename}"


class ExportBuild(models.Model):
    """One file of a round's report: its scope, format, table (blank: the whole report),
    language and the fingerprint of the data it was built from."""

    class Scope(models.TextChoices):
        # The values of surveys.reports.tables.Scope.
        PUBLISHED = "published", _("published responses")
        REVIEWED = "reviewed", _("accepted and published responses")
        WITH_SUBMITTED = "with_submitted", _("submitted, accepted and published responses")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", _("CSV (zip)")  # the whole report's tables, one CSV file each
        OPEN_DATA = "opendata", _("open dataset (zip)")  # one version of the round's open data (reports/opendata.py)
        # The report page's own data (every table's rows, totals, charts): read a page at a time.
        PAGE = "page", _("report page")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="export_builds")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    table_id = models.CharField(max_length=40, blank=True, help_text="Blank: the whole report.")
    language = models.CharField(max_length=8)
    fingerprint = models.CharField(max_length=64, help_text="What the data looked like when the build was asked for.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done_units = models.PositiveSmallIntegerField(default=0)
    total_units = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=255, blank=True)
    filename = models.CharField(max_length=200, blank=True, help_text="The name the download is saved under.")
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, for the secretariat (admin, logs); pages show a sentence of their own.
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scope", "format", "table_id", "language", "fingerprint"],
                name="export_build_once_per_data",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]), name="export_build_state_known"
            ),
        ]
        indexes = [models.Index(fields=["round", "scope", "format", "table_id", "language"], name="export_build_key")]

    def __str__(self) -> str:
        what = self.table_id or "report"
        return f"{self.round_id} {what} {self.format} ({self.scope}, {self.language}): {self.state}"
