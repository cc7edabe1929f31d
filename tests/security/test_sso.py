"""Single sign-on (OpenID Connect) against a small provider started by the test suite
(django-oauth-toolkit on the live server): the site's token, user-information and key
requests go over HTTP to it. An identity is let in only as the existing active account
with the address the provider says it has verified; no account is ever created; every
refusal is said on the sign-in page; and without the setting there is no such page."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests import sso_provider

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/callback/"
CLIENT_ID = "wipostad-tests"
CLIENT_SECRET = secrets.token_urlsafe(32)


@pytest.fixture
def provider(settings, live_server, reference_data):
    """The provider on the live server, the site configured to use it, and the person's
    account at the provider (an account of its own, holding no e-mail address)."""
    from oauth2_provider.models import Application

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode(),
        "PKCE_REQUIRED": True,
        "SCOPES": {"openid": "OpenID Connect", "email": "E-mail address"},
        "OAUTH2_VALIDATOR_CLASS": "tests.sso_provider.ClaimsValidator",
    }
    settings.ROOT_URLCONF = "tests.sso_provider"
    settings.WIPOSTAD_OIDC_ENABLED = True
    settings.WIPOSTAD_OIDC_NAME = "WIPO Accounts"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{live_server.url}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{live_server.url}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{live_server.url}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{live_server.url}/o/.well-known/jwks.json"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    backends = list(settings.AUTHENTICATION_BACKENDS)
    settings.AUTHENTICATION_BACKENDS = [backends[0], "surveys.accounts.sso.VerifiedEmailBackend", *backends[1:]]
    Application.objects.create(
        name="wipostad",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    person = User.objects.create_user("someone.at.the.provider")
    yield person
    sso_provider.IDENTITY.clear()


def sign_in_through_provider(person, live_server, language="en", **claims):
    """The whole authorisation-code flow; (the site's client, the provider's return page)."""
    sso_provider.IDENTITY.clear()
    sso_provider.IDENTITY.update(claims)
    site = Client()
    start = site.get(reverse("oidc_authentication_init") + "?next=/surveys/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{live_server.url}/o/authorize/?")
    query = urlsplit(start["Location"]).query
    assert "code_challenge=" in query and "nonce=" in query and "scope=openid+email" in query
    # At the provider the person is signed in and the site is trusted: back with a code.
    at_provider = Client()
    at_provider.force_login(person)
    back = at_provider.get(f"/o/authorize/?{query}")
    assert back.status_code == 302, back.content.decode()[:2000]
    assert back["Location"].startswith(CALLBACK + "?")
    returned = site.get(back["Location"].removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE=language)
    return site, returned


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def refusal(site, returned) -> str:
    assert returned.status_code == 302
    assert returned["Location"] == reverse("login")
    assert signed_in_as(site) is None
    page = site.get(returned["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Traceback" not in body
    return body


def test_a_verified_address_of_an_existing_account_signs_that_account_in(provider, live_server, office_a_respondent):
    accounts = User.objects.count()
    site, returned = sign_in_through_provider(
        provider, live_server, email="A.Respondent@EXAMPLE.org", email_verified=True
    )
    assert returned.status_code == 302
    assert returned["Location"] == "/surveys/"
    assert signed_in_as(site) == office_a_respondent.pk
    assert site.get("/surveys/").status_code == 200
    assert User.objects.count() == accounts  # nobody created


def test_an_unverified_address_is_refused(provider, live_server, office_a_respondent):
    site, returned = sign_in_through_provider(
        provider, live_server, email="a.respondent@example.org", email_verified=False
    )
    body = refusal(site, returned)
    assert "has not verified the e-mail address a.respondent@example.org" in body


def test_a_missing_verification_claim_is_refused(provider, live_server, office_a_respondent):
    site, returned = sign_in_through_provider(provider, live_server, email="a.respondent@example.org")
    assert "has not verified" in refusal(site, returned)


def test_an_unknown_address_is_refused_and_no_account_is_created(provider, live_server, office_a_respondent):
    accounts = User.objects.count()
    site, returned = sign_in_through_provider(provider, live_server, email="stranger@example.org", email_verified=True)
    body = refusal(site, returned)
    assert "No account here can be matched to stranger@example.org" in body
    assert User.objects.count() == accounts
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_an_inactive_account_is_refused(provider, live_server, office_a_respondent):
    office_a_respondent.is_active = False
    office_a_respondent.save(update_fields=["is_active"])
    site, returned = sign_in_through_provider(
        provider, live_server, email="a.respondent@example.org", email_verified=True
    )
    assert "No account here can be matched" in refusal(site, returned)


def test_the_refusal_is_in_the_readers_language(provider, live_server, office_a_respondent):
    site, returned = sign_in_through_provider(
        provider, live_server, language="fr", email="stranger@example.org", email_verified=True
    )
    page = site.get(returned["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aucun compte" in page


def test_an_account_locked_out_from_the_address_is_not_let_in_by_the_provider(
    provider, live_server, office_a_respondent, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        Client().post(reverse("login"), {"username": "a.respondent", "password": "wrong"})
    site, returned = sign_in_through_provider(
        provider, live_server, email="a.respondent@example.org", email_verified=True
    )
    assert "Too many failed sign-in attempts" in refusal(site, returned)


def test_failed_sign_ins_through_the_provider_are_counted_and_locked_out(
    provider, live_server, office_a_respondent, settings
):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    site, returned = sign_in_through_provider(provider, live_server, email="x@example.org", email_verified=True)
    refusal(site, returned)
    # The second failure from the address reaches the limit: the lockout page.
    site, returned = sign_in_through_provider(provider, live_server, email="x@example.org", email_verified=True)
    assert returned.status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 2
    assert "code=" in attempt.get_data and "********" in attempt.get_data  # the code itself is not kept
    # The address is now locked out of single sign-on: refused before the provider is asked.
    site, returned = sign_in_through_provider(
        provider, live_server, email="a.respondent@example.org", email_verified=True
    )
    assert returned.status_code == 429
    assert "Too many failed sign-in attempts" in returned.content.decode()
    assert signed_in_as(site) is None


def test_a_provider_that_refuses_the_site_is_said_plainly(provider, live_server, office_a_respondent, settings):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    site, returned = sign_in_through_provider(
        provider, live_server, email="a.respondent@example.org", email_verified=True
    )
    assert "could not be completed" in refusal(site, returned)


def test_the_sign_in_page_offers_the_provider_when_on(provider, live_server):
    page = Client().get(reverse("login") + "?next=/surveys/rounds/").content.decode()
    assert "Sign in with WIPO Accounts" in page
    assert 'href="/accounts/oidc/authenticate/?next=/surveys/rounds/"' in page
    assert (
        "Se connecter avec WIPO Accounts" in Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )


def test_off_by_default_no_pages_and_no_button(db):
    from django.conf import settings

    assert settings.WIPOSTAD_OIDC_ENABLED is False
    assert "surveys.accounts.sso.VerifiedEmailBackend" not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    client = Client()
    for url in ("/accounts/oidc/authenticate/", "/accounts/oidc/callback/?code=x&state=y"):
        assert client.get(url).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert "oidc" not in page


# --- configured from the environment ---------------------------------------------------

ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "WIPOSTAD_OIDC_ENABLED": "1",
    "WIPOSTAD_OIDC_NAME": "WIPO Accounts",
    "WIPOSTAD_OIDC_CLIENT_ID": "wipostad",
    "WIPOSTAD_OIDC_CLIENT_SECRET": "s3cret",
    "WIPOSTAD_OIDC_AUTHORIZATION_ENDPOINT": "https://id.example.org/authorize",
    "WIPOSTAD_OIDC_TOKEN_ENDPOINT": "https://id.example.org/token",
    "WIPOSTAD_OIDC_USERINFO_ENDPOINT": "https://id.example.org/userinfo",
    "WIPOSTAD_OIDC_JWKS_ENDPOINT": "https://id.example.org/jwks",
}
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; from django.urls import reverse; "
    "print(reverse('oidc_authentication_init'), s.AUTHENTICATION_BACKENDS[:2], s.OIDC_OP_TOKEN_ENDPOINT, "
    "s.OIDC_RP_SIGN_ALGO, s.OIDC_CREATE_USER)"
)


def run_settings(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "WIPOSTAD_"))}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "wipostad.settings", **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_turned_on_entirely_from_the_environment():
    result = run_settings(**ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[0] == "/accounts/oidc/authenticate/"
    # django-axes stays first, the provider's backend right after it.
    assert "['axes.backends.AxesBackend', 'surveys.accounts.sso.VerifiedEmailBackend']" in result.stdout
    assert "https://id.example.org/token RS256 False" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"WIPOSTAD_OIDC_CLIENT_SECRET": ""}, "WIPOSTAD_OIDC_CLIENT_SECRET is not set"),
        ({"WIPOSTAD_OIDC_JWKS_ENDPOINT": ""}, "WIPOSTAD_OIDC_JWKS_ENDPOINT is not set"),
        ({"WIPOSTAD_OIDC_NAME": ""}, "WIPOSTAD_OIDC_NAME is not set"),
        ({"WIPOSTAD_OIDC_SIGN_ALGO": "none"}, "WIPOSTAD_OIDC_SIGN_ALGO must be one of"),
        ({"WIPOSTAD_OIDC_TOKEN_ENDPOINT": "http://id.example.org/token"}, "must be an https:// address"),
    ],
)
def test_incomplete_settings_stop_the_process_naming_the_variable(change, message):
    result = run_settings(**{**ENVIRONMENT, **change})
    assert result.returncode != 0
    assert message in result.stderr
    assert "s3cret" not in result.stderr


def test_a_cancelled_or_replayed_return_is_refused_plainly(provider, live_server):
    site = Client()
    cancelled = site.get("/accounts/oidc/callback/?error=access_denied&state=whatever")
    assert "was cancelled or refused" in refusal(site, cancelled)
    # A code and state this browser never asked for (no flow started, or one replayed).
    site.get(reverse("oidc_authentication_init"))
    replayed = site.get("/accounts/oidc/callback/?code=stolen&state=not-this-one")
    assert "could not be completed" in refusal(site, replayed)
