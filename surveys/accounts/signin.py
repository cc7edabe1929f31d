"""Throttling of sign-in attempts: after repeated failures for a username, or from one
address, further attempts are refused for a while, whatever the password."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from surveys.models import SignInFailure


def _window_start():
    return timezone.now() - timedelta(seconds=settings.WIPOSTAD_SIGNIN_WINDOW_SECONDS)


def blocked_for(username: str, address: str | None) -> int:
    """Seconds until the next attempt is allowed (0 when it is allowed now)."""
    start = _window_start()
    who = Q(username__iexact=username) | Q(address=address) if address else Q(username__iexact=username)
    failures = list(
        SignInFailure.objects.filter(who, created_at__gte=start)
        .order_by("-created_at")
        .values_list("username", "address", "created_at")
    )
    limit = settings.WIPOSTAD_SIGNIN_MAX_FAILURES
    by_user = [f for f in failures if f[0].lower() == username.lower()]
    by_address = [f for f in failures if address and f[1] == address]
    blocking = [group for group in (by_user, by_address) if len(group) >= limit]
    if not blocking:
        return 0
    # The block lifts when the oldest failure that keeps the count at the limit leaves the window.
    until = max(group[limit - 1][2] for group in blocking) + timedelta(seconds=settings.WIPOSTAD_SIGNIN_WINDOW_SECONDS)
    return max(1, int((until - timezone.now()).total_seconds()))


def record_failure(username: str, address: str | None) -> None:
    SignInFailure.objects.create(username=username[:150], address=address or None)
    # Old rows are no longer needed once they leave the window.
    SignInFailure.objects.filter(created_at__lt=_window_start() - timedelta(days=1)).delete()


def record_success(username: str) -> None:
    SignInFailure.objects.filter(username__iexact=username).delete()
