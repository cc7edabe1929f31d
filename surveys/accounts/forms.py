"""Forms of the account pages: the password reset request, and a two-factor code."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from surveys.accounts import passwords


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
