"""Password reset e-mail: written in the person's own language and sent through the
recorded mail queue (surveys/review/mail.py), like every e-mail of the site.

A reset never signs the person in: they sign in on the sign-in page with the new
password, where the sign-in lockout and the two-factor code still apply. Changing the
password (by a reset or on the password page) ends the person's other sessions: each
session carries a digest of the password it was opened with (Django's session
verification), which no longer matches.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import translation

from surveys.accounts.services import language_of
from surveys.models import OutgoingMail
from surveys.review.mail import queue_mail

# Plain text (the body turns escaping off), named .html like Django's own reset e-mail.
SUBJECT_TEMPLATE = "registration/password_reset_subject.html"
BODY_TEMPLATE = "registration/password_reset_email.html"


def reset_mail_queue(*, user: User, context: dict, to_email: str) -> OutgoingMail | None:
    """Record the reset e-mail (with its single-use link) in the user's language and queue it."""
    with translation.override(language_of(user)):
        subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(BODY_TEMPLATE, context)
    return queue_mail(subject, body, [to_email])
