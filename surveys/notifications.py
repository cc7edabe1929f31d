"""E-mails about responses: to the office when the secretariat returns or accepts, to the
secretariat when an office submits, and reminders from the round dashboard.

Sent after the transaction commits (a rolled-back step sends nothing); the backend
comes from the environment (console by default, SMTP in production).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from surveys.models import SECRETARIAT_GROUP, Invitation, Response

log = logging.getLogger(__name__)


def _office_addresses(office_id: str) -> list[str]:
    users = get_user_model().objects.filter(membership__office_id=office_id, is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def _secretariat_addresses() -> list[str]:
    users = get_user_model().objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject: str, body: str, recipients: list[str]) -> int:
    if not recipients:
        log.info("no recipient for %r", subject)
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def response_changed(response: Response, action: str, comment: str) -> int:
    name = f"{response.numbering_system.label} ({response.public_key}), {response.round.title}"
    if action == "submit":
        return _send(
            f"[wipostad] {response.office_id} submitted {response.public_key}",
            f"{response.office.name} submitted its response for {name}. It is waiting for review.",
            _secretariat_addresses(),
        )
    if action in ("return", "accept", "reopen"):
        what = {
            "return": "was returned to your office with comments from the International Bureau",
            "accept": "was accepted by the International Bureau",
            "reopen": "was reopened by the International Bureau so that your office can change it",
        }[action]
        body = f"Your response for {name} {what}."
        if comment:
            body += f"\n\nComment:\n{comment}"
        body += "\n\nSign in to wipostad to see the comments beside each question."
        return _send(f"[wipostad] {response.public_key}: {action}", body, _office_addresses(response.office_id))
    return 0


def reminder(invitation: Invitation) -> int:
    survey_round = invitation.round
    body = (
        f"The International Bureau reminds your office that the survey “{survey_round.title}” closes on "
        f"{survey_round.closes_on:%d/%m/%Y}. Your office has not submitted all of its responses yet: one response "
        "per numbering system. Sign in to wipostad to continue."
    )
    return _send(f"[wipostad] Reminder: {survey_round.title}", body, _office_addresses(invitation.office_id))
