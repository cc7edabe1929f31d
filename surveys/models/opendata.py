"""The versions of a round's open dataset (surveys/reports/opendata.py): what each one
holds and what changed since the one before."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from surveys.models.rounds import SurveyRound


class OpenDataRelease(models.Model):
    """One version of a round's open dataset: the published responses it holds (each at
    the version it was published in) and the change-log lines of this version.

    A new version is recorded whenever the published content changes (a response
    published, reopened, republished, or the edition's texts corrected); the file itself
    is an ``ExportBuild`` of format ``opendata`` built from these references, so any
    recorded version can be built again from the responses' revisions.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="open_data_releases")
    version = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64, help_text="Digest of the content this version holds.")
    # [[response id, response version], …] in the order of the dataset.
    responses = models.JSONField(default=list)
    # The change-log lines: [{"change": …, "response": "md-002", "at": ISO time, "questions": [...]}, …]
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="open_data_release_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="open_data_release_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} open data version {self.version}"
