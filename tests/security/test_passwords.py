"""Password reset by e-mail and password change: the reset mail goes through the recorded
mail queue in the person's language, the request page never tells whether an address is
known, a reset neither signs in nor lifts a lockout, and a new password signs every other
session out."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from surveys.accounts.services import language_set
from surveys.models import OutgoingMail

PASSWORD = "persona-password"
NEW_PASSWORD = "a-new-Password-for-2026"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def reset_link(mail) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def choose_password(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)  # the link moves the token into the session
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_reset_mail_is_recorded_and_sent_in_the_users_language(
    office_a_respondent, mailoutbox, django_capture_on_commit_callbacks
):
    language_set(user=office_a_respondent, language="fr")
    client = Client()
    page = request_reset(client, "A.Respondent@example.org", django_capture_on_commit_callbacks)
    assert page.status_code == 302
    assert page["Location"] == reverse("password_reset_done")
    recorded = OutgoingMail.objects.get()
    assert recorded.recipients == ["a.respondent@example.org"]
    assert recorded.status == OutgoingMail.Status.SENT
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["a.respondent@example.org"]
    assert "Choisissez un nouveau mot de passe" in mail.subject
    assert "a.respondent" in mail.body
    assert "ignorez" in mail.body.lower()
    assert reset_link(mail).startswith("/accounts/password-reset/")


def test_the_page_never_tells_whether_an_address_is_known(
    office_a_respondent, mailoutbox, django_capture_on_commit_callbacks
):
    known = request_reset(Client(), "a.respondent@example.org", django_capture_on_commit_callbacks)
    unknown = request_reset(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    done_known = without_csrf_tokens(Client().get(known["Location"]).content.decode())
    done_unknown = without_csrf_tokens(Client().get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    assert "If the address you entered belongs to an account" in done_known
    assert [m.to for m in mailoutbox] == [["a.respondent@example.org"]]
    assert OutgoingMail.objects.count() == 1


def test_an_inactive_account_gets_no_reset_mail(office_a_respondent, mailoutbox, django_capture_on_commit_callbacks):
    office_a_respondent.is_active = False
    office_a_respondent.save(update_fields=["is_active"])
    page = request_reset(Client(), "a.respondent@example.org", django_capture_on_commit_callbacks)
    assert page.status_code == 302
    assert mailoutbox == []


def test_a_reset_sets_the_password_signs_nobody_in_and_ends_other_sessions(
    office_a_respondent, mailoutbox, django_capture_on_commit_callbacks
):
    elsewhere = Client()
    elsewhere.force_login(office_a_respondent)
    assert elsewhere.get(reverse("surveys:dashboard")).status_code == 200

    client = Client()
    request_reset(client, "a.respondent@example.org", django_capture_on_commit_callbacks)
    link = reset_link(mailoutbox[0])
    done = choose_password(client, link)
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert not signed_in(client)  # the reset page never signs in (lockout and code stay in front)
    office_a_respondent.refresh_from_db()
    assert office_a_respondent.check_password(NEW_PASSWORD)

    # The other browser's session was opened with the old password: it is signed out.
    page = elsewhere.get(reverse("surveys:dashboard"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))

    # The link works once.
    again = client.get(link, follow=True)
    assert "This link cannot be used" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()

    signing_in = Client()
    assert signing_in.post(reverse("login"), {"username": "a.respondent", "password": NEW_PASSWORD}).status_code == 302
    assert signed_in(signing_in)


def test_a_reset_does_not_lift_a_lockout(office_a_respondent, settings, mailoutbox, django_capture_on_commit_callbacks):
    # Decision: a reset proves the mailbox, not the right to skip the lockout. Whoever is
    # locked out from an address stays locked out from it until the window ends (or the
    # secretariat lifts it), new password or not; the reset page says so.
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": "a.respondent", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "a.respondent", "password": PASSWORD}).status_code == 429

    request_reset(client, "a.respondent@example.org", django_capture_on_commit_callbacks)
    done = choose_password(client, reset_link(mailoutbox[0]))
    complete = client.get(done["Location"])
    body = complete.content.decode()
    assert "still locked" in body and "15 minutes" in body

    locked = Client()
    assert locked.post(reverse("login"), {"username": "a.respondent", "password": NEW_PASSWORD}).status_code == 429
    assert not signed_in(locked)
    # From another address the new password works (the lockout is per username and address).
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post(reverse("login"), {"username": "a.respondent", "password": NEW_PASSWORD}).status_code == 302


def test_a_bad_link_is_refused_without_a_stack_trace(office_a_respondent):
    page = Client().get("/accounts/password-reset/MQ/not-a-token/", follow=True)
    assert page.status_code == 200
    body = page.content.decode()
    assert "This link cannot be used" in body
    assert "Traceback" not in body


def test_password_change_keeps_this_session_and_ends_the_others(office_a_respondent):
    here, elsewhere = Client(), Client()
    here.force_login(office_a_respondent)
    elsewhere.force_login(office_a_respondent)
    page = here.get(reverse("password_change"))
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    wrong = here.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    office_a_respondent.refresh_from_db()
    assert office_a_respondent.check_password(PASSWORD)
    changed = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert changed["Location"] == reverse("password_change_done")
    office_a_respondent.refresh_from_db()
    assert office_a_respondent.check_password(NEW_PASSWORD)
    assert here.get(reverse("surveys:dashboard")).status_code == 200
    assert elsewhere.get(reverse("surveys:dashboard")).status_code == 302


def test_password_change_needs_signing_in(db):
    page = Client().get(reverse("password_change"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_the_pages_link_to_each_other_in_every_language(office_a_respondent):
    login = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert reverse("password_reset") in login
    assert "¿Olvidó su contraseña?" in login
    client = Client()
    client.force_login(office_a_respondent)
    header = client.get(reverse("surveys:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert reverse("password_change") in header
    assert "Changer le mot de passe" in header
    reset = Client().get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Réinitialiser votre mot de passe" in reset
    assert "csrfmiddlewaretoken" in reset


@pytest.mark.parametrize("name", ["password_reset", "password_change"])
def test_the_forms_check_csrf(office_a_respondent, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_respondent)
    page = client.post(reverse(name), {"email": "a.respondent@example.org"})
    assert page.status_code == 403


def test_one_account_gets_at_most_the_hourly_allowance_of_reset_mails(
    office_a_respondent, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Each request comes from another address, so only the allowance per account applies.
    settings.WIPOSTAD_RESET_MAILS_PER_HOUR = 2
    capture = django_capture_on_commit_callbacks
    answers = [
        request_reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), "a.respondent@example.org", capture) for n in range(1, 5)
    ]
    # The page answers the same every time: it never tells that an address is known.
    assert {(page.status_code, page["Location"]) for page in answers} == {(302, reverse("password_reset_done"))}
    assert len(mailoutbox) == 2
    assert OutgoingMail.objects.count() == 2


def test_one_client_address_may_ask_for_resets_only_so_often(
    office_a_respondent, office_b_respondent, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WIPOSTAD_RESET_REQUESTS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for email in ("nobody@example.org", "b.respondent@example.org", "someone@example.org"):
        assert request_reset(client, email, django_capture_on_commit_callbacks).status_code == 302
    refused = request_reset(client, "a.respondent@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert 3000 < int(refused["Retry-After"]) <= 3600
    content = refused.content.decode()
    assert "Too many password reset requests from your address. Nothing was sent this time" in content
    assert "try again in 60 minutes" in content
    assert 'value="a.respondent@example.org"' in content  # the address entered is kept
    assert [m.to for m in mailoutbox] == [["b.respondent@example.org"]]
    # Another address is not held back by this one.
    other_client = Client(REMOTE_ADDR="203.0.113.10")
    other = request_reset(other_client, "a.respondent@example.org", django_capture_on_commit_callbacks)
    assert other.status_code == 302
    assert [m.to for m in mailoutbox] == [["b.respondent@example.org"], ["a.respondent@example.org"]]
