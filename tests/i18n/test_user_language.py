"""A person's language is kept with their account: stored by the switcher when they are
signed in, put in force when they sign in, and used for every e-mail sent to them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys.accounts.services import language_of, language_set
from surveys.models import SECRETARIAT_GROUP, Membership, Preferences
from surveys.review.notifications import addresses_by_language

pytestmark = pytest.mark.django_db


def test_the_switcher_stores_a_signed_in_persons_choice(office_a_respondent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_respondent)
    token = client.get("/").cookies["csrftoken"].value
    answer = client.post(reverse("set_language"), {"language": "es", "next": "/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert language_of(office_a_respondent) == "es"
    client.post(reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
    assert language_of(office_a_respondent) == "fr"
    # An unknown language changes nothing; without the CSRF token, nothing either.
    client.post(reverse("set_language"), {"language": "xx", "next": "/", "csrfmiddlewaretoken": token})
    Client(enforce_csrf_checks=True).post(reverse("set_language"), {"language": "es", "next": "/"})
    assert language_of(office_a_respondent) == "fr"


def test_the_switcher_stores_nothing_for_a_visitor(client, reference_data):
    answer = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert not Preferences.objects.exists()


def test_signing_in_puts_the_stored_language_in_force(office_a_respondent, client):
    language_set(user=office_a_respondent, language="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    answer = client.post(reverse("login"), {"username": "a.respondent", "password": "persona-password"})
    assert answer.status_code == 302
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get(reverse("surveys:dashboard")).content.decode()


def test_signing_in_without_a_stored_language_keeps_the_browsers(office_a_respondent, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    answer = client.post(reverse("login"), {"username": "a.respondent", "password": "persona-password"})
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies
    assert '<html lang="fr">' in client.get(reverse("surveys:dashboard")).content.decode()


def test_addresses_are_grouped_by_language_in_one_query(django_assert_num_queries, reference_data):
    people = []
    for name, language in (("fr1", "fr"), ("es1", "es"), ("fr2", "fr"), ("none", None), ("off", "es")):
        user = User.objects.create_user(name, email=f"{name}@example.org", is_active=name != "off")
        if language:
            language_set(user=user, language=language)
        people.append(user)
    User.objects.create_user("noaddress", email="")
    with django_assert_num_queries(1):
        groups = addresses_by_language(User.objects.all())
    assert groups == {
        "en": ["none@example.org"],
        "es": ["es1@example.org"],
        "fr": ["fr1@example.org", "fr2@example.org"],
    }


def test_a_submission_reaches_each_of_the_secretariat_in_their_language(
    make_response, office_a_respondent, moldova_answers, django_capture_on_commit_callbacks, reference_data
):
    group = Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0]
    for name, language in (("ib.fr", "fr"), ("ib.es", "es")):
        user = User.objects.create_user(name, email=f"{name}@example.org")
        user.groups.add(group)
        language_set(user=user, language=language)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_response(office_a_respondent, moldova_answers, submit=True)
    subjects = {m.to[0]: (m.subject, m.body) for m in mail.outbox if m.to[0].startswith("ib.")}
    assert subjects["ib.fr@example.org"][0] == "[wipostad] MD a soumis md-001"
    assert "a soumis sa réponse" in subjects["ib.fr@example.org"][1]
    assert subjects["ib.es@example.org"][0] == "[wipostad] MD envió md-001"


def test_a_reminder_reaches_each_person_in_their_language(
    survey_round, office_a_respondent, office_a_approver, secretariat_reviewer, django_capture_on_commit_callbacks
):
    from surveys.review.rounds import round_send_reminders

    language_set(user=office_a_respondent, language="fr")
    language_set(user=office_a_approver, language="es")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        round_send_reminders(survey_round=survey_round, user=secretariat_reviewer, office_codes=["MD"])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["a.respondent@example.org"].subject == f"[wipostad] Rappel\u00a0: {survey_round.title}"
    assert "rappelle à votre office" in by_address["a.respondent@example.org"].body
    assert by_address["a.approver@example.org"].subject.startswith("[wipostad] Recordatorio: ")
    assert Membership.objects.filter(office_id="MD").count() == 2 and len(mail.outbox) == 2
