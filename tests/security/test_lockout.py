"""One sign-in lockout for every way in — the sign-in page, the admin's login and the API
token — kept in the database (shared by every worker), keyed on the username and the
client address together; the secretariat lifts a lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "persona-password"
TOKEN_URL = "/api/auth/token/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def web(username, password, client=None, **meta):
    return (client or Client()).post(reverse("login"), {"username": username, "password": password}, **meta)


def admin(username, password, client=None, **meta):
    return (client or Client()).post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, **meta
    )


def api(username, password, **meta):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **meta)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_reviewer(secretariat_reviewer):
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save(update_fields=["is_staff"])
    return secretariat_reviewer


# --- every way in counts toward the same lockout ------------------------------------------


def test_web_admin_and_api_failures_count_toward_one_lockout(staff_reviewer):
    assert web("ib.reviewer", "wrong").status_code == 200
    assert admin("ib.reviewer", "wrong").status_code == 200
    api("ib.reviewer", "wrong")
    # Three failures, one through each door: every door is now shut, even to the right password.
    client = Client()
    page = web("ib.reviewer", PASSWORD, client)
    assert page.status_code == 429
    assert not signed_in(client)
    client = Client()
    page = admin("ib.reviewer", PASSWORD, client)
    assert page.status_code == 429
    assert not signed_in(client)
    token = api("ib.reviewer", PASSWORD)
    assert token.status_code == 429
    assert "token" not in token.json()
    assert not Token.objects.exists()


def test_the_admin_login_is_counted_and_locked(staff_reviewer):
    for _ in range(2):
        assert admin("ib.reviewer", "wrong").status_code == 200
    page = admin("ib.reviewer", "wrong")
    assert page.status_code == 429
    body = page.content.decode()
    assert "Too many failed sign-in attempts" in body
    assert "try again" in body
    client = Client()
    assert admin("ib.reviewer", PASSWORD, client).status_code == 429
    assert not signed_in(client)


def test_a_user_locked_out_on_the_web_gets_no_token(office_a_respondent):
    for _ in range(3):
        web("a.respondent", "wrong")
    page = api("a.respondent", PASSWORD)
    assert page.status_code == 429
    body = page.json()
    assert "token" not in body
    assert "Too many failed sign-in attempts" in body["detail"]
    assert "try again" in body["detail"]
    assert int(page["Retry-After"]) > 0
    assert not Token.objects.exists()


def test_a_refused_attempt_checks_no_password(office_a_respondent, monkeypatch):
    # Checking a password is slow on purpose: while locked out, an attempt (on any door)
    # must not cost the server a password hash.
    from surveys.accounts.backends import PasswordBackend

    for _ in range(3):
        web("a.respondent", "wrong")
    checked = []
    monkeypatch.setattr(PasswordBackend, "authenticate", lambda *a, **k: checked.append(a))
    assert web("a.respondent", PASSWORD).status_code == 429
    assert admin("a.respondent", PASSWORD).status_code == 429
    assert api("a.respondent", PASSWORD).status_code == 429
    assert checked == []


def test_api_token_failures_are_counted(office_a_respondent):
    assert api("a.respondent", "wrong").status_code == 400
    assert api("a.respondent", "wrong").status_code == 400
    assert api("a.respondent", "wrong").status_code == 429
    client = Client()
    assert web("a.respondent", PASSWORD, client).status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_says_when_to_try_again_in_the_readers_language(office_a_respondent):
    for _ in range(3):
        page = web("a.respondent", "wrong", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 429
    body = page.content.decode()
    assert "Trop de tentatives de connexion infructueuses" in body
    assert "15 minutes" in body
    assert "<form" not in body or 'name="password"' not in body


def test_the_lockout_is_kept_in_the_database_not_in_a_worker(office_a_respondent):
    from axes.models import AccessAttempt

    for _ in range(3):
        web("a.respondent", "wrong")
    assert AccessAttempt.objects.filter(username="a.respondent").exists()
    cache.clear()  # nothing of it lives in a process's memory
    assert web("a.respondent", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_earlier_failures(office_a_respondent):
    from axes.models import AccessAttempt

    web("a.respondent", "wrong")
    assert web("a.respondent", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="a.respondent").exists()


def test_the_lockout_ends_after_the_window(settings, office_a_respondent):
    from axes.models import AccessAttempt

    for _ in range(3):
        web("a.respondent", "wrong")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(seconds=settings.WIPOSTAD_SIGNIN_WINDOW_SECONDS + 5)
    )
    assert web("a.respondent", PASSWORD).status_code == 302


# --- nobody locks anybody else out ------------------------------------------------------


def test_failures_for_made_up_names_do_not_lock_a_real_user_at_that_address(office_a_respondent):
    for n in range(10):
        web(f"nobody-{n}", "guess")
        web("nobody", "guess")
    client = Client()
    assert web("a.respondent", PASSWORD, client).status_code == 302
    assert signed_in(client)
    assert api("a.respondent", PASSWORD).status_code == 200


def test_a_user_locked_at_one_address_signs_in_from_another(settings, office_a_respondent):
    for _ in range(3):
        web("a.respondent", "wrong", REMOTE_ADDR="203.0.113.7")
    assert web("a.respondent", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert web("a.respondent", PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_spoofed_forwarded_for_does_not_change_the_key_without_trusted_proxies(settings, office_a_respondent):
    from axes.models import AccessAttempt

    settings.WIPOSTAD_TRUSTED_PROXIES = 0
    for n in range(3):
        web("a.respondent", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert web("a.respondent", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert api("a.respondent", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.98").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_client_is_read_from_the_forwarded_for(settings, office_a_respondent):
    settings.WIPOSTAD_TRUSTED_PROXIES = 1
    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    for n in range(3):
        web("a.respondent", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert web("a.respondent", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1").status_code == 429
    # Someone else behind the same proxy is not affected.
    assert web("a.respondent", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", REMOTE_ADDR="10.0.0.1").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "127.0.0.1"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "127.0.0.1"),  # fewer hops than proxies: not through the proxies
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_client_address(settings, rf, proxies, forwarded, expected):
    from surveys.client_address import client_address

    settings.WIPOSTAD_TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected


# --- the secretariat lifts a lockout ----------------------------------------------------


def _lock(username="a.respondent"):
    for _ in range(3):
        web(username, "wrong")


def test_the_secretariat_sees_and_lifts_a_lockout(office_a_respondent, secretariat_reviewer):
    _lock()
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_reviewer)
    page = client.get(reverse("lockouts"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "a.respondent" in body and "127.0.0.1" in body and "Unlock" in body
    unlocked = client.post(
        reverse("lockouts"),
        {
            "username": "a.respondent",
            "ip_address": "127.0.0.1",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert unlocked.status_code == 302
    after = client.get(reverse("lockouts")).content.decode()
    assert "Lockout lifted: a.respondent can sign in again from 127.0.0.1." in after
    assert "Nobody is locked out." in after
    assert web("a.respondent", PASSWORD).status_code == 302


def test_unlocking_needs_the_csrf_token(office_a_respondent, secretariat_reviewer):
    _lock()
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_reviewer)
    assert client.post(reverse("lockouts"), {"username": "a.respondent", "ip_address": "127.0.0.1"}).status_code == 403
    assert web("a.respondent", PASSWORD).status_code == 429


def test_an_office_user_cannot_see_or_lift_lockouts(office_a_respondent, office_b_respondent):
    _lock()
    client = Client()
    client.force_login(office_b_respondent)
    assert client.get(reverse("lockouts")).status_code == 403
    assert client.post(reverse("lockouts"), {"username": "a.respondent", "ip_address": "127.0.0.1"}).status_code == 403
    assert web("a.respondent", PASSWORD).status_code == 429
    assert Client().get(reverse("lockouts")).status_code == 302  # to the sign-in page


def test_unlock_permission_by_persona(office_a_respondent, office_a_approver, secretariat_reviewer):
    from django.contrib.auth.models import AnonymousUser

    from surveys.permissions import may

    assert may(secretariat_reviewer, "surveys.unlock_signin")
    assert not may(office_a_respondent, "surveys.unlock_signin")
    assert not may(office_a_approver, "surveys.unlock_signin")
    assert not may(AnonymousUser(), "surveys.unlock_signin")


def test_unlocking_something_not_locked_says_so(secretariat_reviewer):
    client = Client()
    client.force_login(secretariat_reviewer)
    page = client.post(reverse("lockouts"), {"username": "nobody", "ip_address": "127.0.0.1"}, follow=True)
    assert "No lockout" in page.content.decode()


def test_the_lockouts_page_reads_a_page_at_a_time_with_a_fixed_number_of_queries(
    secretariat_reviewer, django_assert_max_num_queries
):
    # Anyone can cause lockouts by trying made-up names: the list must not grow with them.
    from axes.models import AccessAttempt

    from surveys.accounts.lockout import LOCKOUTS_PER_PAGE

    now = timezone.now()
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"made-up-{i:03}", ip_address="192.0.2.7", failures_since_start=3, attempt_time=now)
        for i in range(LOCKOUTS_PER_PAGE + 5)
    )
    client = Client()
    client.force_login(secretariat_reviewer)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("lockouts")).content.decode()
    assert first.count('name="username"') == LOCKOUTS_PER_PAGE
    assert "Page 1 of 2" in first and 'rel="next"' in first
    with django_assert_max_num_queries(12):
        second = client.get(reverse("lockouts"), {"page": 2}).content.decode()
    assert second.count('name="username"') == 5 and 'rel="prev"' in second
    shown = {u for u in range(LOCKOUTS_PER_PAGE + 5) if f"made-up-{u:03}" in first + second}
    assert len(shown) == LOCKOUTS_PER_PAGE + 5
