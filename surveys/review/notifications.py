"""E-mails about responses: to the office when the secretariat returns or accepts, to the
secretariat when an office submits, and reminders from the round dashboard.

Each message is recorded in the step's transaction and sent by a background task after
it commits (surveys/review/mail.py): a rolled-back step sends nothing, and a mail server
that fails is recorded and retried, never shown to the person who took the step.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from surveys.models import Invitation, OutgoingMail, SurveyResponse
from surveys.permissions import office_members, secretariat_members
from surveys.review.mail import queue_mail


def _office_addresses(office_id: str) -> list[str]:
    users = office_members(office_id).filter(is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def _secretariat_addresses() -> list[str]:
    users = secretariat_members().filter(is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject: str, body: str, recipients: list[str]) -> OutgoingMail | None:
    return queue_mail(subject, body, recipients)


def _in_every_language(write: Callable[[], str]) -> str:
    """The message in each of the site's languages, the default one (English) first.

    Nobody's language is on record (the switcher only sets a cookie in one browser), so
    one e-mail carries every language; the English text is the one it always was.
    """
    parts = []
    for code, name in sorted(settings.LANGUAGES, key=lambda language: language[0] != settings.LANGUAGE_CODE):
        with translation.override(code):
            text = write()
        parts.append(text if not parts else f"— {name} —\n{text}")
    return "\n\n\n".join(parts)


def response_changed(response: SurveyResponse, action: str, comment: str) -> OutgoingMail | None:
    name = f"{response.numbering_system.label} ({response.public_key}), {response.round.title}"
    if action == "submit":
        return _send(
            f"[wipostad] {response.office_id} submitted {response.public_key}",
            _in_every_language(
                lambda: (
                    _("%(office)s submitted its response for %(name)s. It is waiting for review.")
                    % {"office": response.office.local_name, "name": name}
                )
            ),
            _secretariat_addresses(),
        )
    if action in ("return", "accept", "reopen"):
        sentences = {
            "return": gettext_noop(
                "Your response for %(name)s was returned to your office with comments from the International Bureau."
            ),
            "accept": gettext_noop("Your response for %(name)s was accepted by the International Bureau."),
            "reopen": gettext_noop(
                "Your response for %(name)s was reopened by the International Bureau so that your office can change it."
            ),
        }

        def write() -> str:
            body = _(sentences[action]) % {"name": name}
            if comment:
                body += "\n\n" + _("Comment:") + f"\n{comment}"
            return body + "\n\n" + _("Sign in to wipostad to see the comments beside each question.")

        return _send(
            f"[wipostad] {response.public_key}: {action}",
            _in_every_language(write),
            _office_addresses(response.office_id),
        )
    return None


def reminder(invitation: Invitation) -> OutgoingMail | None:
    survey_round = invitation.round
    body = _in_every_language(
        lambda: (
            _(
                "The International Bureau reminds your office that the survey “%(title)s” closes on %(date)s. "
                "Your office has not submitted all of its responses yet: one response per numbering system. "
                "Sign in to wipostad to continue."
            )
            % {"title": survey_round.title, "date": f"{survey_round.closes_on:%d/%m/%Y}"}
        )
    )
    return _send(f"[wipostad] Reminder: {survey_round.title}", body, _office_addresses(invitation.office_id))
