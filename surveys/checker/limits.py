"""How much the public ST.13 checker does for one request and for one client.

The web page and the API share these rules: a request sending more numbers or more
characters than the settings allow is refused before any number is read, and an
anonymous client asking for more checks than ``WIPOSTAD_CHECKER_RATE`` allows is asked to
wait. The count per client is kept in the shared cache, so it holds across every process.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from rest_framework.throttling import AnonRateThrottle

from surveys.client_address import client_address


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def too_much(numbers: Sequence[str]) -> str | None:
    """Why the numbers are more than one request may ask to check, or None."""
    limit = settings.WIPOSTAD_CHECKER_MAX_NUMBERS
    if len(numbers) > limit:
        return _(
            "You sent %(count)s numbers; at most %(limit)s can be checked at once. "
            "Nothing was checked: split the list and check it in parts."
        ) % {"count": _n(len(numbers)), "limit": _n(limit)}
    characters = sum(len(number) for number in numbers)
    limit = settings.WIPOSTAD_CHECKER_MAX_CHARACTERS
    if characters > limit:
        return _(
            "You sent %(count)s characters; at most %(limit)s can be checked at once. "
            "Nothing was checked: split the list and check it in parts."
        ) % {"count": _n(characters), "limit": _n(limit)}
    return None


class CheckerThrottle(AnonRateThrottle):
    """Checks asked for by one anonymous client, on the page and through the API together."""

    scope = "st13_check"

    def get_rate(self) -> str:
        return settings.WIPOSTAD_CHECKER_RATE

    def get_ident(self, request: Any) -> str:
        return client_address(request)


def throttled_message() -> str:
    count, seconds = CheckerThrottle().parse_rate(settings.WIPOSTAD_CHECKER_RATE)
    return _(
        "Too many checks from your address: at most %(count)s every %(seconds)s seconds without signing in. "
        "Nothing was checked this time."
    ) % {"count": _n(count), "seconds": _n(seconds)}


def retry_after(throttle: CheckerThrottle) -> int:
    """Whole seconds until the client may check again (at least one)."""
    return max(1, math.ceil(throttle.wait() or 1))
