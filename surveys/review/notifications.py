"""E-mails about responses: to the office when the secretariat returns or accepts, to the
secretariat when an office submits, and reminders from the round dashboard.

Each person is written to in their own language (``Preferences``, the site's default for
those who never chose): the recipients are grouped by language and one message is queued
per language. Each message is recorded in the step's transaction and sent by a background
task after it commits (surveys/review/mail.py): a rolled-back step sends nothing, and a
mail server that fails is recorded and retried, never shown to the person who took the step.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from surveys.models import Invitation, OutgoingMail, SurveyResponse, SurveyRound
from surveys.permissions import office_approvers, office_members, office_respondents, secretariat_members
from surveys.review.mail import queue_mail

KNOWN_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def addresses_by_language(users: QuerySet[User]) -> dict[str, list[str]]:
    """The addresses of the active users with one, grouped by each user's language (the
    site's default for those who never chose one); an address shared by two users goes
    to the first one's language only. One query."""
    rows = (
        users.filter(is_active=True)
        .exclude(email="")
        .values_list("email", "preferences__language")
        .order_by("email", "pk")
    )
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for email, language in rows:
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        groups.setdefault(language if language in KNOWN_LANGUAGES else settings.LANGUAGE_CODE, []).append(email)
    return dict(sorted(groups.items()))


def send_in_each_language(
    users: QuerySet[User], subject: Callable[[], str], body: Callable[[], str]
) -> list[OutgoingMail]:
    """One message per language of the users, written (subject and body) in that language."""
    queued = []
    for language, addresses in addresses_by_language(users).items():
        with translation.override(language):
            outgoing = queue_mail(subject(), body(), addresses)
        if outgoing is not None:
            queued.append(outgoing)
    return queued


def _name(response: SurveyResponse) -> str:
    """The response as a message names it, with the round's title in the message's language
    (called while that language is in force)."""
    return f"{response.numbering_system.label} ({response.public_key}), {response.round.local_title}"


def response_changed(response: SurveyResponse, action: str, comment: str) -> list[OutgoingMail]:
    key = response.public_key
    if action == "submit":
        return send_in_each_language(
            secretariat_members(),
            lambda: _("[wipostad] %(office)s submitted %(key)s") % {"office": response.office_id, "key": key},
            lambda: (
                _("%(office)s submitted its response for %(name)s. It is waiting for review.")
                % {"office": response.office.local_name, "name": _name(response)}
            ),
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
        subjects = {
            "return": gettext_noop("[wipostad] %(key)s: returned with comments"),
            "accept": gettext_noop("[wipostad] %(key)s: accepted"),
            "reopen": gettext_noop("[wipostad] %(key)s: reopened"),
        }

        def write() -> str:
            body = _(sentences[action]) % {"name": _name(response)}
            if comment:
                body += "\n\n" + _("Comment:") + f"\n{comment}"
            return body + "\n\n" + _("Sign in to wipostad to see the comments beside each question.")

        return send_in_each_language(
            office_members(response.office_id), lambda: _(subjects[action]) % {"key": key}, write
        )
    return []


def reminder(invitation: Invitation, *, late: bool | None = None) -> list[OutgoingMail]:
    """The reminder to an office; ``late``: sent after the deadline (by default, whether
    today is past it)."""
    survey_round = invitation.round
    if late is None:
        late = timezone.localdate() > survey_round.closes_on
    return send_in_each_language(
        office_members(invitation.office_id),
        lambda: _("[wipostad] Reminder: %(title)s") % {"title": survey_round.local_title},
        lambda: _reminder_body(survey_round, late),
    )


def _reminder_body(survey_round: SurveyRound, late: bool) -> str:
    """Before the deadline: when it falls; after it: that it has passed (the round is still
    open, so the office can still submit)."""
    values = {"title": survey_round.local_title, "date": f"{survey_round.closes_on:%d/%m/%Y}"}
    if late:
        return (
            _(
                "The International Bureau reminds your office that the deadline of the survey “%(title)s” was "
                "%(date)s. Your office has not submitted all of its responses yet: one response per numbering "
                "system. The survey is still open: sign in to wipostad to finish and submit."
            )
            % values
        )
    return (
        _(
            "The International Bureau reminds your office that the survey “%(title)s” closes on %(date)s. "
            "Your office has not submitted all of its responses yet: one response per numbering system. "
            "Sign in to wipostad to continue."
        )
        % values
    )


def handed_over(response: SurveyResponse, action: str, note: str) -> list[OutgoingMail]:
    """Inside the office: its approvers are told a response is ready for approval ("ready"),
    its respondents that an approver handed it back ("hand_back"), with the note."""
    if action == "ready":
        sentence = gettext_noop(
            "A response of your office, %(name)s, is ready for approval: an approver can check it "
            "and submit it to the International Bureau."
        )
        subject = gettext_noop("[wipostad] %(key)s: ready for approval")
        users = office_approvers(response.office_id)
    else:
        sentence = gettext_noop("An approver of your office handed the response %(name)s back to you.")
        subject = gettext_noop("[wipostad] %(key)s: handed back")
        users = office_respondents(response.office_id)

    def write() -> str:
        body = _(sentence) % {"name": _name(response)}
        if note:
            body += "\n\n" + _("Note:") + f"\n{note}"
        return body + "\n\n" + _("Sign in to wipostad to open the response.")

    return send_in_each_language(users, lambda: _(subject) % {"key": response.public_key}, write)
