"""Password reset e-mail: written in the person's own language and sent through the
recorded mail queue (surveys/review/mail.py), like every e-mail of the site.

A reset never signs the person in: they sign in on the sign-in page with the new
password, where the sign-in lockout and the two-factor code still apply. Changing the
password (by a reset or on the password page) ends the person's other sessions: each
session carries a digest of the password it was opened with (Django's session
verification), which no longer matches.

The reset page cannot be used to flood: one account receives at most
WIPOSTAD_RESET_MAILS_PER_HOUR reset e-mails an hour (later requests send nothing, and
the page answers as always, so it still tells nobody whether an address is known), and
one client address may ask at most WIPOSTAD_RESET_REQUESTS_PER_HOUR times an hour,
whatever addresses it enters. The counts are kept in the shared cache, so they hold
across every process.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from surveys.accounts import allowance
from surveys.accounts.services import language_of
from surveys.models import OutgoingMail
from surveys.review.mail import queue_mail

logger = logging.getLogger(__name__)

# Plain text (the body turns escaping off), named .html like Django's own reset e-mail.
SUBJECT_TEMPLATE = "registration/password_reset_subject.html"
BODY_TEMPLATE = "registration/password_reset_email.html"


def request_wait(address: str) -> int:
    """Count a reset request from this client address: 0 when it may go on, else the
    seconds to wait before asking again."""
    key = f"password-reset:address:{allowance.digest(address)}"
    return allowance.take(key, settings.WIPOSTAD_RESET_REQUESTS_PER_HOUR)


def wait_message(seconds: int) -> str:
    minutes = allowance.minutes(seconds)
    return ngettext(
        "Too many password reset requests from your address. Nothing was sent this time: "
        "try again in %(minutes)s minute.",
        "Too many password reset requests from your address. Nothing was sent this time: "
        "try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def reset_mail_queue(*, user: User, context: dict, to_email: str) -> OutgoingMail | None:
    """Record the reset e-mail (with its single-use link) in the user's language and queue
    it; None, and nothing sent, when the account has had its hourly allowance of them."""
    if allowance.take(f"password-reset:account:{user.pk}", settings.WIPOSTAD_RESET_MAILS_PER_HOUR):
        logger.warning("Password reset e-mail to account %s not sent: hourly allowance reached", user.pk)
        return None
    with translation.override(language_of(user)):
        subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(BODY_TEMPLATE, context)
    return queue_mail(subject, body, [to_email])
