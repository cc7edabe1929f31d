"""Limits kept per client: which address a request is taken to come from."""

import pytest
from django.test import RequestFactory

from surveys.client_address import client_address


def _request(remote="203.0.113.7", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_connection_address_is_used_and_the_header_ignored(settings):
    settings.WIPOSTAD_TRUSTED_PROXIES = 0
    assert client_address(_request()) == "203.0.113.7"
    assert client_address(_request(forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy appends the address it received: whatever the client wrote stays on the left.
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        # Fewer addresses than proxies, or no address: the connection's.
        (2, "198.51.100.1", "203.0.113.7"),
        (1, "", "203.0.113.7"),
        (1, "6.6.6.6, not-an-address", "203.0.113.7"),
    ],
)
def test_with_trusted_proxies_the_nth_address_from_the_right(settings, proxies, forwarded, expected):
    settings.WIPOSTAD_TRUSTED_PROXIES = proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_without_the_header_the_connection_address(settings):
    settings.WIPOSTAD_TRUSTED_PROXIES = 1
    assert client_address(_request()) == "203.0.113.7"
