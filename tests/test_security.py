"""Production settings, security headers, error pages, sign-in throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def example_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "WIPOSTAD_"))}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def test_deploy_check_passes_with_the_example_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=example_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_https_settings():
    env = {**example_environment(), "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_COOKIES": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS
    assert "security.W012" in result.stderr + result.stdout  # session cookie


@pytest.mark.django_db
def test_security_headers_on_every_page(client, edition):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_inline_scripts_or_styles_in_our_pages(client, office_a_respondent, make_response, moldova_answers):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    client.force_login(office_a_respondent)
    for url in (
        "/",
        reverse("surveys:dashboard"),
        f"/surveys/responses/{response.pk}/",
        f"/surveys/application-numbering-2012/responses/{response.public_key}/",
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and '<script type="text/javascript">' not in html
        assert 'style="' not in html and "<style" not in html, url
        assert " onclick=" not in html and " onload=" not in html


@pytest.mark.django_db
def test_errors_never_show_a_stack_trace(settings, edition, monkeypatch):
    from surveys import views

    monkeypatch.setattr(views, "QuestionnaireEdition", None)  # makes the home page fail
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body and "QuestionnaireEdition" not in body and 'File "' not in body


@pytest.mark.django_db
def test_sign_in_is_throttled_after_repeated_failures(settings, office_a_respondent):
    settings.WIPOSTAD_SIGNIN_MAX_FAILURES = 3
    client = Client()
    url = reverse("login")
    for _ in range(3):
        response = client.post(url, {"username": "a.respondent", "password": "wrong"})
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    # Now even the right password is refused until the window passes.
    response = client.post(url, {"username": "a.respondent", "password": "persona-password"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address is refused too.
    response = client.post(url, {"username": "someone.else", "password": "x"})
    assert response.status_code == 429


def test_a_refused_sign_in_attempt_checks_no_password(settings, office_a_respondent, monkeypatch):
    # Checking a password is slow on purpose: a refused attempt must cost the server nothing of it.
    from django.contrib.auth import backends

    settings.WIPOSTAD_SIGNIN_MAX_FAILURES = 1
    client = Client()
    client.post(reverse("login"), {"username": "a.respondent", "password": "wrong"})
    checked = []
    monkeypatch.setattr(backends.ModelBackend, "authenticate", lambda *a, **k: checked.append(a))
    response = client.post(reverse("login"), {"username": "a.respondent", "password": "persona-password"})
    assert response.status_code == 429
    assert checked == []
    content = response.content.decode()
    assert "Too many failed sign-in attempts" in content and 'value="a.respondent"' in content


@pytest.mark.django_db
def test_successful_sign_in_clears_earlier_failures(settings, office_a_respondent):
    from surveys.models import SignInFailure

    settings.WIPOSTAD_SIGNIN_MAX_FAILURES = 3
    client = Client()
    url = reverse("login")
    client.post(url, {"username": "a.respondent", "password": "wrong"})
    response = client.post(url, {"username": "a.respondent", "password": "persona-password"})
    assert response.status_code == 302
    assert not SignInFailure.objects.filter(username="a.respondent").exists()


@pytest.mark.django_db
def test_the_window_passes(settings, office_a_respondent):
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import SignInFailure

    settings.WIPOSTAD_SIGNIN_MAX_FAILURES = 2
    SignInFailure.objects.bulk_create([SignInFailure(username="a.respondent", address="10.0.0.1")] * 2)
    SignInFailure.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.WIPOSTAD_SIGNIN_WINDOW_SECONDS + 5)
    )
    response = Client().post(reverse("login"), {"username": "a.respondent", "password": "persona-password"})
    assert response.status_code == 302
