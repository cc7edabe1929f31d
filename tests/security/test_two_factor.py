"""Two-factor authentication (TOTP codes from an authenticator app) for the secretariat and
the site's staff: setting it up, the code after the password, the setting that requires
it, office members never asked, and wrong codes throttled and counted."""

from __future__ import annotations

import binascii
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from surveys.accounts.two_factor import PENDING_KEY

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "persona-password"
DASHBOARD = "/surveys/"


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    totp = TOTP(binascii.unhexlify(key_hex))
    totp.time += steps_ahead * 30
    return f"{totp.token():06d}"


def sign_in(username: str) -> Client:
    client = Client()
    page = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert page.status_code == 302, page.content.decode()[:500]
    return client


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True, tolerance=1)


def test_setting_up_an_authenticator(secretariat_reviewer):
    client = sign_in("ib.reviewer")
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'role="img"' in body and "<title>" in body
    assert 'name="otp_token"' in body and "csrfmiddlewaretoken" in body
    key = client.session[PENDING_KEY]
    secret = page.context["secret"]
    assert secret in body
    assert len(secret.replace(" ", "")) == 32  # 20 bytes in base 32
    # The same secret on the next visit, and nothing recorded before it is confirmed.
    assert client.get(reverse("two_factor_setup")).context["secret"] == secret
    assert not TOTPDevice.objects.exists()

    wrong = client.post(reverse("two_factor_setup"), {"otp_token": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()

    done = client.post(reverse("two_factor_setup"), {"otp_token": code_for(key), "next": "/surveys/rounds/"})
    assert done.status_code == 302
    assert done["Location"] == "/surveys/rounds/"
    device = TOTPDevice.objects.get(user=secretariat_reviewer)
    assert device.confirmed and device.key == key
    assert PENDING_KEY not in client.session
    assert client.get(DASHBOARD).status_code == 200  # this session counts as verified

    # Signing in again asks for a code.
    again = sign_in("ib.reviewer")
    page = again.get(DASHBOARD)
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('two_factor_verify')}?next=%2Fsurveys%2F"


def test_a_new_authenticator_replaces_the_old_one(secretariat_reviewer):
    old = with_device(secretariat_reviewer)
    client = Client()
    client.force_login(secretariat_reviewer)
    # Not verified yet: the setup page (which would replace the device) is not reachable.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"otp_token": code_for(old.key)})
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "replaces it" in page.content.decode()
    assert "Your account has an API token" not in page.content.decode()
    client.post(reverse("two_factor_setup"), {"otp_token": code_for(client.session[PENDING_KEY])})
    assert list(TOTPDevice.objects.filter(user=secretariat_reviewer)) != [old]
    assert TOTPDevice.objects.filter(user=secretariat_reviewer).count() == 1


def test_setting_up_an_authenticator_ends_the_api_token_given_before(secretariat_reviewer):
    # Two-factor not required: the password alone gave a token, which would otherwise go on
    # working without the second step once an authenticator is set up.
    token = ask_for_token(username="ib.reviewer", password=PASSWORD).json()["token"]
    assert Client().get("/api/responses/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    client = sign_in("ib.reviewer")
    page = client.get(reverse("two_factor_setup"))
    assert "Your account has an API token. Setting up an authenticator ends it" in page.content.decode()
    client.post(reverse("two_factor_setup"), {"otp_token": code_for(client.session[PENDING_KEY])})
    assert Client().get("/api/responses/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert not Token.objects.filter(user=secretariat_reviewer).exists()


def test_the_code_is_asked_after_the_password_before_any_page(secretariat_reviewer, settings):
    device = with_device(secretariat_reviewer)
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save(update_fields=["is_staff"])
    client = sign_in("ib.reviewer")
    for url in (DASHBOARD, "/admin/", reverse("password_change"), reverse("lockouts")):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(reverse("two_factor_verify")), url
    # The API with the session's cookie: refused, not redirected.
    api = client.get("/api/responses/")
    assert api.status_code == 403
    assert "Two-factor" in api.json()["detail"]
    # A post elsewhere is not let through either.
    assert client.post(reverse("surveys:round_new"), {})["Location"] == reverse("two_factor_verify")

    page = client.get(reverse("two_factor_verify") + "?next=/admin/")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    done = client.post(reverse("two_factor_verify"), {"otp_token": code_for(device.key), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/responses/").status_code == 200


def test_signing_out_is_always_allowed(secretariat_reviewer):
    with_device(secretariat_reviewer)
    client = sign_in("ib.reviewer")
    page = client.post(reverse("logout"))
    assert page.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_external_next_is_not_followed(secretariat_reviewer):
    device = with_device(secretariat_reviewer)
    client = sign_in("ib.reviewer")
    done = client.post(
        reverse("two_factor_verify"), {"otp_token": code_for(device.key), "next": "https://elsewhere.example/"}
    )
    assert done["Location"] == reverse("surveys:dashboard")


def test_wrong_codes_are_throttled_and_counted(secretariat_reviewer, settings):
    # django-otp's throttling: after n wrong codes in a row the next try waits factor × 2^(n-1)
    # seconds (1, 2, 4 … in production); a minute here, so that no test is a race.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = with_device(secretariat_reviewer)
    client = sign_in("ib.reviewer")
    right = code_for(device.key)
    wrong = "123456" if right != "123456" else "654321"
    page = client.post(reverse("two_factor_verify"), {"otp_token": wrong})
    assert page.status_code == 200
    assert "1 wrong code in a row" in page.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # During the wait, even the right code is refused.
    page = client.post(reverse("two_factor_verify"), {"otp_token": right})
    assert "Too many wrong codes" in page.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    # After the wait, a second wrong code: counted, and the wait doubles.
    earlier = timezone.now() - timedelta(seconds=61)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=earlier)
    page = client.post(reverse("two_factor_verify"), {"otp_token": "abc"})
    assert "2 wrong codes in a row" in page.content.decode()
    page = client.post(reverse("two_factor_verify"), {"otp_token": right})
    wait = int(re.search(r"Wait (\d+) seconds", page.content.decode()).group(1))
    assert 60 < wait <= 120
    # Once the wait is over the right code is taken and the count starts again.
    earlier = timezone.now() - timedelta(seconds=121)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=earlier)
    page = client.post(reverse("two_factor_verify"), {"otp_token": right})
    assert page.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get(DASHBOARD).status_code == 200


def test_a_code_is_used_once(secretariat_reviewer):
    device = with_device(secretariat_reviewer)
    code = code_for(device.key)
    first = sign_in("ib.reviewer")
    assert first.post(reverse("two_factor_verify"), {"otp_token": code}).status_code == 302
    second = sign_in("ib.reviewer")
    page = second.post(reverse("two_factor_verify"), {"otp_token": code})
    assert page.status_code == 200
    assert "That code is not right" in page.content.decode()


def ask_for_token(**fields):
    return Client().post("/api/auth/token/", fields, content_type="application/json")


def test_an_api_token_needs_the_code_of_whoever_has_an_authenticator(secretariat_reviewer, settings):
    # A token works without a session, so the password alone must not give one to an
    # account that signs in with a code.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = with_device(secretariat_reviewer)
    page = ask_for_token(username="ib.reviewer", password=PASSWORD)
    assert page.status_code == 400
    assert 'send the code your authenticator app shows now as "code"' in page.json()["detail"]
    right = code_for(device.key)
    wrong = "123456" if right != "123456" else "654321"
    page = ask_for_token(username="ib.reviewer", password=PASSWORD, code=wrong)
    assert page.status_code == 400
    assert "1 wrong code in a row" in page.json()["detail"]
    # Wrong codes are throttled as on the site: during the wait even the right one is refused.
    page = ask_for_token(username="ib.reviewer", password=PASSWORD, code=right)
    assert "Too many wrong codes" in page.json()["detail"]
    assert not Token.objects.exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=61))
    page = ask_for_token(username="ib.reviewer", password=PASSWORD, code=right)
    assert page.status_code == 200
    token = page.json()["token"]
    assert Token.objects.get(user=secretariat_reviewer).key == token
    assert Client().get("/api/responses/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    # The code is used once, here as on the sign-in page.
    assert ask_for_token(username="ib.reviewer", password=PASSWORD, code=right).status_code == 400
    # A wrong password is refused before any code is looked at.
    page = ask_for_token(username="ib.reviewer", password="not-the-password", code=code_for(device.key, 1))
    assert page.json()["detail"] == "Unable to log in with provided credentials."


def test_no_api_token_before_a_required_authenticator_is_set_up(secretariat_reviewer, settings):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = True
    page = ask_for_token(username="ib.reviewer", password=PASSWORD)
    assert page.status_code == 400
    assert "must set up two-factor authentication before it can have an API token" in page.json()["detail"]
    assert not Token.objects.exists()
    # Not required: the secretariat without an authenticator gets a token with the password.
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = False
    assert ask_for_token(username="ib.reviewer", password=PASSWORD).status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_an_office_member_gets_an_api_token_with_the_password(office_a_respondent, settings, required):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = required
    page = ask_for_token(username="a.respondent", password=PASSWORD)
    assert page.status_code == 200
    assert Token.objects.get(user=office_a_respondent).key == page.json()["token"]


def test_required_sends_the_secretariat_to_set_up_first(secretariat_reviewer, settings):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = True
    client = sign_in("ib.reviewer")
    for url in (DASHBOARD, "/admin/", reverse("two_factor_verify")):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(reverse("two_factor_setup")), url
    assert client.get("/api/responses/").status_code == 403
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "must be protected" in page.content.decode()
    client.post(reverse("two_factor_setup"), {"otp_token": code_for(client.session[PENDING_KEY])})
    assert client.get(DASHBOARD).status_code == 200


def test_staff_are_asked_too(office_a_respondent, settings):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = True
    office_a_respondent.is_staff = True
    office_a_respondent.save(update_fields=["is_staff"])
    client = sign_in("a.respondent")
    assert client.get(DASHBOARD)["Location"].startswith(reverse("two_factor_setup"))


def test_not_required_the_secretariat_without_an_authenticator_goes_in(secretariat_reviewer, settings):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = False
    client = sign_in("ib.reviewer")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 200  # may still set it up


@pytest.mark.parametrize("required", [True, False])
def test_an_office_member_is_never_asked(office_a_respondent, settings, required):
    settings.WIPOSTAD_REQUIRE_TWO_FACTOR = required
    client = sign_in("a.respondent")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 403
    assert client.get(reverse("two_factor_verify"))["Location"] == reverse("surveys:dashboard")


def test_the_pages_need_signing_in_and_are_translated(secretariat_reviewer):
    assert Client().get(reverse("two_factor_setup"))["Location"].startswith(reverse("login"))
    assert Client().get(reverse("two_factor_verify"))["Location"].startswith(reverse("login"))
    with_device(secretariat_reviewer)
    client = sign_in("ib.reviewer")
    page = client.get(reverse("two_factor_verify"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Saisissez votre code" in page
    page = client.get(reverse("two_factor_verify"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Introduzca su código" in page


def test_the_code_forms_check_csrf(secretariat_reviewer):
    with_device(secretariat_reviewer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_reviewer)
    assert client.post(reverse("two_factor_verify"), {"otp_token": "123456"}).status_code == 403


def settings_value(name: str, **env) -> str:
    """A setting as the project's settings read it from this environment (a fresh process)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "WIPOSTAD_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import wipostad.settings as s; print(s.{name})"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_production_settings_require_it_and_development_does_not():
    key = secrets.token_urlsafe(50)
    assert settings_value("WIPOSTAD_REQUIRE_TWO_FACTOR", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key) == "True"
    assert settings_value("WIPOSTAD_REQUIRE_TWO_FACTOR", DJANGO_DEBUG="1") == "False"
    production_without = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": key, "WIPOSTAD_REQUIRE_TWO_FACTOR": "0"}
    assert settings_value("WIPOSTAD_REQUIRE_TWO_FACTOR", **production_without) == "False"
