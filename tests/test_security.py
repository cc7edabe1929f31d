"""Production settings, security headers, error pages (the sign-in lockout: tests/security/test_lockout.py)."""

import os
import secrets
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
    # The example's key is a placeholder, which production refuses: a real one, as an operator generates it.
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
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
