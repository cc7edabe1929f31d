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


# Bytes of a request that count as one check: a large request counts as many checks
# (see CheckerThrottle), so that the rate limits the work asked for, not only the requests.
BYTES_PER_CHECK = 10_000
# What a request may weigh besides its numbers: JSON or form syntax, the other fields, and
# numbers written with escapes (a character can take up to 12 bytes percent-encoded).
_BYTES_PER_CHARACTER, _BYTES_OVERHEAD = 12, 64 * 1024


def content_length(request: Any) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def too_large(request: Any) -> str | None:
    """Why the request is larger than any check allowed could be, or None: said from its
    Content-Length, before the body is read."""
    size = content_length(request)
    limit = settings.WIPOSTAD_CHECKER_MAX_CHARACTERS * _BYTES_PER_CHARACTER + _BYTES_OVERHEAD
    if size <= limit:
        return None
    return _(
        "You sent %(count)s bytes; at most %(limit)s can be checked at once. "
        "Nothing was checked: split the list and check it in parts."
    ) % {"count": _n(size), "limit": _n(limit)}


class CheckerThrottle(AnonRateThrottle):
    """Checks asked for by one anonymous client, on the page and through the API together.

    A request counts as one check per started BYTES_PER_CHECK of its body (at most the
    whole allowance): with the default 30 a minute, thirty small checks or one of about
    300 KB, so one client cannot keep a worker busy with the largest checks allowed."""

    scope = "st13_check"

    def get_rate(self) -> str:
        return settings.WIPOSTAD_CHECKER_RATE

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # signed in
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        weight = min(self.num_requests, 1 + content_length(request) // BYTES_PER_CHECK)
        if len(self.history) + weight > self.num_requests:
            return self.throttle_failure()
        self.history[:0] = [self.now] * weight
        self.cache.set(self.key, self.history, self.duration)
        return True


def throttled_message() -> str:
    count, seconds = CheckerThrottle().parse_rate(settings.WIPOSTAD_CHECKER_RATE)
    return _(
        "Too many checks from your address: at most %(count)s every %(seconds)s seconds without signing in. "
        "Nothing was checked this time."
    ) % {"count": _n(count), "seconds": _n(seconds)}


def retry_after(throttle: CheckerThrottle) -> int:
    """Whole seconds until the client may check again (at least one)."""
    return max(1, math.ceil(throttle.wait() or 1))
