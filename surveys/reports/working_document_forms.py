"""The secretariat's settings of a round's CWS working document."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import WorkingDocument


class WorkingDocumentForm(forms.ModelForm):
    class Meta:
        model = WorkingDocument
        fields = [
            "session",
            "number",
            "date",
            "meeting_place",
            "meeting_starts",
            "meeting_ends",
            "proposal_en",
            "proposal_fr",
            "proposal_es",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "meeting_starts": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "meeting_ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "proposal_en": forms.Textarea(attrs={"rows": 5}),
            "proposal_fr": forms.Textarea(attrs={"rows": 5}),
            "proposal_es": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("meeting_starts"), data.get("meeting_ends")
        if starts and ends and ends < starts:
            self.add_error("meeting_ends", _("The session cannot end before it starts."))
        if bool(starts) != bool(ends):
            self.add_error(
                "meeting_ends" if starts else "meeting_starts", _("Give both days of the session, or neither.")
            )
        return data

    def validate_unique(self):
        # The symbol names one document: say so in words rather than with the constraint's name.
        session, number = self.cleaned_data.get("session"), self.cleaned_data.get("number")
        taken = WorkingDocument.objects.filter(session=session, number=number).exclude(pk=self.instance.pk)
        if session and number and taken.exists():
            self.add_error(
                "number",
                _("CWS/%(session)s/%(number)s is already the symbol of the working document of another round.")
                % {"session": session, "number": number},
            )
        super().validate_unique()
