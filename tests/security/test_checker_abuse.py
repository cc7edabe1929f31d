"""The public ST.13 checker cannot be used to tie up the server: the work of one request
is capped (413, nothing read), anonymous clients are throttled (429 with Retry-After),
and the throttle counts per client address, shared by the page and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.surveys.test_checker import EPO_FORM

API = "/api/st13/parse/"
PAGE = reverse("toolkit:checker")
EPO_API = {"profile": "ep", "numbers": ["EP 99403122.7"]}


def api_post(client, body, **extra):
    return client.post(API, body, format="json", **extra)


# --- the work of one request --------------------------------------------------------------------


def test_api_more_numbers_than_allowed_is_413_and_nothing_is_read(reference_data, settings):
    settings.WIPOSTAD_CHECKER_MAX_NUMBERS = 3
    answer = api_post(APIClient(), {**EPO_API, "numbers": ["EP 99403122.7"] * 4})
    assert answer.status_code == 413
    assert answer.json() == {
        "detail": "You sent 4 numbers; at most 3 can be checked at once. "
        "Nothing was checked: split the list and check it in parts."
    }
    assert api_post(APIClient(), {**EPO_API, "numbers": ["EP 99403122.7"] * 3}).status_code == 200


def test_api_more_characters_than_allowed_is_413(reference_data, settings):
    settings.WIPOSTAD_CHECKER_MAX_CHARACTERS = 100
    answer = api_post(APIClient(), {"numbers": ["1" * 50, "2" * 51]})
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("You sent 101 characters; at most 100 can be checked at once.")


def test_the_default_caps_refuse_the_reported_flood(reference_data):
    flood = {"office": "EP", "answers": {"q2a": ["year", "serial"]}, "numbers": ["9" * 200] * 10_000}
    answer = api_post(APIClient(), flood)
    assert answer.status_code == 413
    assert "Nothing was checked" in answer.json()["detail"]


def test_page_more_numbers_than_allowed_is_413_on_the_page(client, reference_data, settings):
    settings.WIPOSTAD_CHECKER_MAX_NUMBERS = 2
    page = client.post(PAGE, {**EPO_FORM, "numbers": "EP 99403122.7\n\nEP 99403122.7\nEP 99403122.7"})
    assert page.status_code == 413
    content = page.content.decode()
    assert "You sent 3 numbers; at most 2 can be checked at once." in content
    assert "results-title" not in content


def test_page_more_characters_than_allowed_is_413(client, reference_data, settings):
    settings.WIPOSTAD_CHECKER_MAX_CHARACTERS = 20
    page = client.post(PAGE, {**EPO_FORM, "numbers": "EP 99403122.7\nEP 99403122.7", "download": "1"})
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/html")
    assert "You sent 26 characters; at most 20 can be checked at once." in page.content.decode()


# --- anonymous clients, per address ---------------------------------------------------------------


@pytest.fixture
def two_a_minute(settings):
    settings.WIPOSTAD_CHECKER_RATE = "2/minute"


def test_api_anonymous_clients_are_throttled_with_retry_after(reference_data, two_a_minute):
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    assert [api_post(client, EPO_API).status_code for _ in range(2)] == [200, 200]
    refused = api_post(client, EPO_API)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith(
        "Too many checks from your address: at most 2 every 60 seconds without signing in. "
        "Nothing was checked this time."
    )
    # Another address has its own count.
    assert api_post(APIClient(REMOTE_ADDR="198.51.100.10"), EPO_API).status_code == 200


def test_page_and_api_share_the_count_of_one_address(client, reference_data, two_a_minute):
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert client.post(PAGE, {**EPO_FORM, "numbers": "EP 99403122.7"}).status_code == 200
    assert api_post(APIClient(REMOTE_ADDR="198.51.100.9"), EPO_API).status_code == 200
    refused = client.post(PAGE, {**EPO_FORM, "numbers": "EP 99403122.7"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    content = refused.content.decode()
    assert "Too many checks from your address: at most 2 every 60 seconds without signing in." in content
    assert "results-title" not in content
    # Looking at the page is not checking.
    assert client.get(PAGE).status_code == 200


def test_a_forged_forwarded_for_header_does_not_give_a_new_count(reference_data, two_a_minute, settings):
    settings.WIPOSTAD_TRUSTED_PROXIES = 0
    statuses = [
        api_post(APIClient(REMOTE_ADDR="198.51.100.9"), EPO_API, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_count(reference_data, two_a_minute, settings):
    settings.WIPOSTAD_TRUSTED_PROXIES = 1
    proxy = APIClient(REMOTE_ADDR="10.0.0.1")
    assert [api_post(proxy, EPO_API, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert api_post(proxy, EPO_API, HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 200


def test_signed_in_users_are_not_throttled(reference_data, two_a_minute, office_a_respondent):
    client = APIClient()
    client.force_authenticate(office_a_respondent)
    assert {api_post(client, EPO_API).status_code for _ in range(4)} == {200}


def test_a_large_check_counts_as_many_small_ones(reference_data, settings):
    settings.WIPOSTAD_CHECKER_RATE = "3/minute"
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    large = {**EPO_API, "numbers": ["EP 99403122.7"] * 1_500}  # about 25 KB: three checks' worth
    assert api_post(client, large).status_code == 200
    assert api_post(client, EPO_API).status_code == 429
    # The largest request counts as the whole allowance, never more: it is not refused for ever.
    settings.WIPOSTAD_CHECKER_RATE = "2/minute"
    assert api_post(APIClient(REMOTE_ADDR="198.51.100.10"), large).status_code == 200


def test_a_body_larger_than_any_allowed_check_is_413_before_it_is_read(client, reference_data, settings):
    settings.WIPOSTAD_CHECKER_MAX_CHARACTERS = 1_000  # at most 12 bytes a character and 64 KiB besides
    body = {**EPO_API, "numbers": ["EP 99403122.7"] * 7_000}
    answer = api_post(APIClient(), body)
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("You sent ")
    assert " bytes; at most 77,536 can be checked at once." in answer.json()["detail"]
    page = client.post(PAGE, {**EPO_FORM, "numbers": "\n".join(["EP 99403122.7"] * 7_000)})
    assert page.status_code == 413
    assert " bytes; at most 77,536 can be checked at once." in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_test_database_flush_also_empties_the_shared_cache():
    # Transactional tests (the browser's) end with a flush: counts of checks must not carry over.
    from django.core.cache import cache
    from django.core.management import call_command

    cache.set("throttle_st13_check_127.0.0.1", [1.0] * 30)
    call_command("flush", "--noinput", verbosity=0)
    assert cache.get("throttle_st13_check_127.0.0.1") is None
