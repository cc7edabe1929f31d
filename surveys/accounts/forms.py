"""Forms of the account pages: the password reset request, a two-factor code, invitations
and an office's people."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from surveys.accounts import passwords
from surveys.accounts.invitations import MAX_ADDRESSES, addresses_in
from surveys.models import Membership


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request; the e-mail goes through the recorded mail queue in the
    person's language. Addresses that match no active account get no e-mail and the
    same answer, so the page never tells whether an address is known."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        passwords.reset_mail_queue(user=context["user"], context=context, to_email=to_email)


class TwoFactorCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("One or more, separated by commas, spaces or new lines. Each person receives their own link."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.RESPONDENT)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the invitation and of every later e-mail to these people."),
    )

    def clean_emails(self) -> list[str]:
        addresses = addresses_in(self.cleaned_data["emails"])
        if not addresses:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        if len(addresses) > MAX_ADDRESSES:
            raise forms.ValidationError(_("At most %(n)s addresses at a time.") % {"n": MAX_ADDRESSES})
        return addresses


class RoundInviteForm(InviteForm):
    """The secretariat's form on a round: the office among those invited to the round."""

    field_order = ["office", "emails", "role", "language"]

    office = forms.ModelChoiceField(queryset=None, label=_("Office"), empty_label=_("Choose the office"))

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["office"].label_from_instance = lambda office: f"{office.code} – {office.name}"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
