"""The CWS working document that presents a round's results to a session of the Committee."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from surveys.models.rounds import SurveyRound


class WorkingDocument(models.Model):
    """What the secretariat sets for the document: its symbol (CWS/<session>/<number>), its
    date, the session it goes to and the proposal paragraphs in each language. The rest of
    the document (introduction, annex, comparison) is computed from the round's data."""

    round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="working_document")
    session = models.PositiveSmallIntegerField(
        _("CWS session"), validators=[MinValueValidator(1)], help_text=_("The session's number, e.g. 3 for CWS/3.")
    )
    number = models.PositiveSmallIntegerField(
        _("document number"), validators=[MinValueValidator(1)], help_text=_("n in the symbol CWS/<session>/n.")
    )
    date = models.DateField(_("date of the document"))
    meeting_place = models.CharField(_("place of the session"), max_length=100, default="Geneva")
    meeting_starts = models.DateField(_("first day of the session"), null=True, blank=True)
    meeting_ends = models.DateField(_("last day of the session"), null=True, blank=True)
    proposal_en = models.TextField(
        _("proposal (English)"),
        blank=True,
        help_text=_("One paragraph per block of text, blocks separated by an empty line. Empty: the standard text."),
    )
    proposal_fr = models.TextField(_("proposal (French)"), blank=True)
    proposal_es = models.TextField(_("proposal (Spanish)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="working_document_symbol_once"),
            models.CheckConstraint(
                condition=Q(meeting_ends__isnull=True)
                | Q(meeting_starts__isnull=True)
                | Q(meeting_ends__gte=F("meeting_starts")),
                name="working_document_meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.symbol

    @property
    def symbol(self) -> str:
        return f"CWS/{self.session}/{self.number}"

    def proposal(self, language: str) -> list[str]:
        """The proposal's paragraphs in a language (empty: the standard text is used)."""
        text = getattr(self, f"proposal_{language}", "") or ""
        return [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
