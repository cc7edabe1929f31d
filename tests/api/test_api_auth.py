"""REST API authentication: a token for a username and password, used in the header;
wrong and revoked tokens; the token endpoint's throttle; the CSRF check on session changes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from surveys.models import ResponseStatus, SurveyResponse
from tests.api.helpers import state, url

PASSWORD = "persona-password"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # The token endpoint's throttle counts in the cache (a database table: the test's
    # transaction undoes it too, but a test that commits would leave it behind).
    cache.clear()
    yield
    cache.clear()


def test_token_for_username_and_password_and_used_in_the_header(
    make_response, office_a_respondent, office_b_respondent
):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    page = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": PASSWORD}, format="json")
    assert page.status_code == 200
    token = Token.objects.get(user=office_a_respondent)
    assert page.json() == {"token": token.key}
    # The same token comes back on a second request.
    again = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": PASSWORD}, format="json")
    assert again.json() == {"token": token.key}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listing = client.get(url("responses/"))
    assert listing.status_code == 200
    assert [r["public_key"] for r in listing.json()["results"]] == ["md-001"]
    saved = client.patch(
        url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1978"}, "version": draft.version}, format="json"
    )
    assert saved.status_code == 200
    assert SurveyResponse.objects.get(pk=draft.pk).answers == {"q1a": ["patents"], "q1b": "1978"}


def test_wrong_password_gives_no_token(office_a_respondent):
    page = APIClient().post(url("auth/token/"), {"username": "a.respondent", "password": "guess"}, format="json")
    assert page.status_code == 400
    assert "token" not in page.json()
    assert not Token.objects.exists()


def test_a_wrong_token_is_401_and_changes_nothing(make_response, office_a_respondent):
    draft = make_response(office_a_respondent, {"q1a": ["patents"]}, label="Patents")
    before = state(draft)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    page = client.patch(url(f"responses/{draft.pk}/"), {"answers": {"q1b": "1978"}, "version": 2}, format="json")
    assert page.status_code == 401
    assert page["WWW-Authenticate"] == "Token"
    assert state(draft) == before


def test_a_revoked_token_stops_working(office_a_respondent):
    token = Token.objects.create(user=office_a_respondent)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.delete(url("auth/token/")).status_code == 204
    assert not Token.objects.filter(user=office_a_respondent).exists()
    assert client.get(url("responses/")).status_code == 401


def test_token_requests_are_throttled(reference_data):
    client = APIClient()
    codes = [
        client.post(url("auth/token/"), {"username": "nobody", "password": "guess"}, format="json").status_code
        for _ in range(31)
    ]
    assert codes[:30] == [400] * 30
    assert codes[30] == 429
    assert not Token.objects.exists()


def test_a_forged_forwarded_for_header_does_not_escape_the_token_throttle(reference_data, settings):
    settings.WIPOSTAD_TRUSTED_PROXIES = 0
    client = APIClient()
    codes = [
        client.post(
            url("auth/token/"),
            {"username": "nobody", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.{i // 250}.{i % 250}",
        ).status_code
        for i in range(31)
    ]
    assert codes[30] == 429


def test_session_changes_need_the_csrf_token(make_response, office_a_respondent, moldova_answers, office_a_approver):
    draft = make_response(office_a_respondent, moldova_answers, label="Trademarks")
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a_approver)
    before = state(draft)
    refused = client.post(url(f"responses/{draft.pk}/submit/"), {}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert state(draft) == before
    # With the token from the cookie, as a browser sends it.
    client.get("/")  # the sign-out form on every page sets the cookie
    accepted = client.post(
        url(f"responses/{draft.pk}/submit/"),
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 200
    assert SurveyResponse.objects.get(pk=draft.pk).status == ResponseStatus.SUBMITTED
