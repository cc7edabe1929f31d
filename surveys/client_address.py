"""The address of the client a request comes from, for limits kept per client.

X-Forwarded-For is written by whoever sends the request: a client can put any address
in it. It is read only when ``WIPOSTAD_TRUSTED_PROXIES`` says how many reverse proxies
of our own stand in front of the application, each appending the address it received;
the address the outermost of them saw is then the N-th from the right. Otherwise (and
when the header has fewer addresses than there are proxies, or an entry that is not an
address) the address of the connection, REMOTE_ADDR, is the client's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as far as it can be trusted."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.WIPOSTAD_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
