"""The address of the client making a request, as far as it can be trusted.

Without a proxy in front of the application (``WIPOSTAD_TRUSTED_PROXIES=0``) it is the
address of the connection; X-Forwarded-For is anyone's to write and is ignored. Behind N
trusted proxies, each appends the address it received the request from to
X-Forwarded-For, so the client is the N-th address from the right: whatever stands
further left was written by the client itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the N-th from the right of X-Forwarded-For
    behind N trusted proxies (REMOTE_ADDR when the header has fewer entries, or a
    malformed one, since then the request did not come through the proxies)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.WIPOSTAD_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return _address(hops[-proxies]) or remote
