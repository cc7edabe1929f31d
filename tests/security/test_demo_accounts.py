"""Demo accounts have a published password: they sign in during development only."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from surveys.demo import DEMO_PASSWORD


@pytest.fixture
def demo(reference_data):
    from surveys.demo import demo_load

    demo_load()


def _web(username, password):
    client = Client()
    page = client.post(reverse("login"), {"username": username, "password": password})
    return page, "_auth_user_id" in client.session


def test_demo_accounts_sign_in_with_debug_on(settings, demo):
    settings.DEBUG = True
    page, signed_in = _web("md.respondent", DEMO_PASSWORD)
    assert page.status_code == 302 and signed_in
    token = APIClient().post("/api/auth/token/", {"username": "ep.approver", "password": DEMO_PASSWORD})
    assert token.status_code == 200


def test_demo_accounts_cannot_sign_in_with_debug_off(settings, demo):
    settings.DEBUG = False
    for username in ("ib.reviewer", "md.respondent"):
        page, signed_in = _web(username, DEMO_PASSWORD)
        assert page.status_code == 200 and not signed_in
        assert "did not match" in page.content.decode()
    admin = Client()
    admin.post("/admin/login/", {"username": "ib.reviewer", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in admin.session
    token = APIClient().post("/api/auth/token/", {"username": "ep.approver", "password": DEMO_PASSWORD})
    assert token.status_code == 400
    assert not Token.objects.exists()


def test_the_published_password_is_refused_for_any_account_with_debug_off(settings, office_a_respondent):
    settings.DEBUG = False
    office_a_respondent.set_password(DEMO_PASSWORD)
    office_a_respondent.save()
    assert _web("a.respondent", DEMO_PASSWORD)[1] is False


def test_load_demo_with_its_own_password_outside_development(settings, reference_data, capsys):
    settings.DEBUG = False
    call_command("load_demo", "--allow-without-debug", "--password", "a-throw-away-password-for-load-tests")
    assert "a-throw-away-password-for-load-tests" in capsys.readouterr().out
    assert _web("md.respondent", "a-throw-away-password-for-load-tests")[1] is True
    assert _web("md.approver", DEMO_PASSWORD)[1] is False


def test_load_demo_prints_the_demo_logins_in_development(settings, reference_data, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "md.respondent" in out
