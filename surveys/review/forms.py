from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RoundTextsForm(forms.Form):
    """A round's title in French and Spanish."""

    title_fr = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title in French"),
        help_text=_("Leave blank to show the English title on French pages and e-mails."),
    )
    title_es = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title in Spanish"),
        help_text=_("Leave blank to show the English title on Spanish pages and e-mails."),
    )


class PresentationForm(forms.Form):
    """The CWS session a round's results are presented to, and the day: the editorial note
    of the round's Handbook 7.2.5 report."""

    cws_session = forms.CharField(
        max_length=20,
        required=False,
        label=_("CWS session"),
        help_text=_(
            "The session of the Committee on WIPO Standards the results are presented to, e.g. “CWS/3”; "
            "the report's editorial note names it. Leave blank until then."
        ),
    )
    presented_on = forms.DateField(
        required=False,
        label=_("Presented on"),
        help_text=_("The day the results are presented to that session."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_cws_session(self) -> str:
        return " ".join(self.cleaned_data["cws_session"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("presented_on") and not cleaned.get("cws_session"):
            self.add_error("cws_session", _("Name the session the results were presented to."))
        return cleaned


class ReminderScheduleForm(forms.Form):
    """When offices that have not submitted every response are reminded automatically."""

    reminder_days_before = forms.CharField(
        max_length=100,
        required=False,
        label=_("Reminders before the deadline (days)"),
        help_text=_("Days before the deadline, separated by commas, e.g. “14, 7, 1”. Leave blank for none."),
    )
    reminder_days_after = forms.CharField(
        max_length=100,
        required=False,
        label=_("Reminders after the deadline (days)"),
        help_text=_(
            "Days after the deadline, separated by commas, e.g. “7, 14”, for offices that have still not "
            "submitted. Leave blank for none."
        ),
    )

    def _days(self, name: str) -> str:
        from surveys.models.rounds import parse_reminder_days

        try:
            return ", ".join(map(str, sorted(parse_reminder_days(self.cleaned_data[name]))))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_reminder_days_before(self) -> str:
        return self._days("reminder_days_before")

    def clean_reminder_days_after(self) -> str:
        return self._days("reminder_days_after")


class RoundForm(PresentationForm, ReminderScheduleForm):
    field_order = [
        "edition",
        "title",
        "slug",
        "year",
        "opens_on",
        "closes_on",
        "reminder_days_before",
        "reminder_days_after",
        "cws_session",
        "presented_on",
    ]

    edition = forms.ModelChoiceField(queryset=None, label=_("Questionnaire edition"), empty_label=None)
    title = forms.CharField(
        max_length=200,
        label=_("Title"),
        help_text=_("Shown to offices, e.g. “Questionnaire on application numbering (2027)”."),
    )
    slug = forms.SlugField(
        max_length=80, label=_("Short name"), help_text=_("Used in addresses, e.g. application-numbering-2027.")
    )
    year = forms.IntegerField(min_value=1900, max_value=2100, label=_("Year of the survey"))
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    offices = forms.CharField(
        label=_("Invited offices"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ST.3 codes separated by commas or spaces, e.g. “MD, EP, CN”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from surveys.models import QuestionnaireEdition

        # Drafts cannot open rounds: only published editions are offered.
        self.fields["edition"].queryset = QuestionnaireEdition.objects.published()
        self.fields["reminder_days_before"].initial = settings.WIPOSTAD_REMINDER_DAYS_BEFORE
        self.fields["reminder_days_after"].initial = settings.WIPOSTAD_REMINDER_DAYS_AFTER

    def office_codes(self) -> list[str]:
        return [c for c in self.cleaned_data["offices"].replace(",", " ").split() if c]


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("return", "accept", "publish", "reopen")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    version = forms.IntegerField(required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    question_id = forms.CharField(required=False, max_length=40)
