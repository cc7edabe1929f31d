"""The sign-in lockout (django-axes): what a locked-out person is told, which lockouts
are in force, and lifting one.

Failed sign-ins are counted in the database for a username and a client address
together, whichever way they come in (the sign-in page, the admin's login, the API
token): after WIPOSTAD_SIGNIN_MAX_FAILURES within WIPOSTAD_SIGNIN_WINDOW_SECONDS, that
username cannot sign in from that address until the window has passed, or the
secretariat lifts the lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from surveys.client_address import client_address


def _window() -> timedelta:
    return timedelta(seconds=settings.WIPOSTAD_SIGNIN_WINDOW_SECONDS)


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    until: datetime


def _attempts_in_window():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _window())


# Lockouts on one page of the secretariat's list: anyone can cause lockouts by trying
# made-up names, so the list is read a page at a time.
LOCKOUTS_PER_PAGE = 50


def _lockout_rows():
    """The username and address pairs locked out now, the latest first (rows, one query)."""
    return (
        _attempts_in_window()
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username", "ip_address")
    )


def _lockout(row: dict) -> Lockout:
    return Lockout(row["username"] or "", row["ip_address"] or "", row["failures"], row["last"] + _window())


def lockouts_page(number: Any) -> Page:
    """One page of the lockouts in force (a page number out of range gives the last page)."""
    page = Paginator(_lockout_rows(), LOCKOUTS_PER_PAGE).get_page(number)
    page.object_list = [_lockout(row) for row in page.object_list]
    return page


def lockout_lift(*, username: str, ip_address: str) -> int:
    """Forget the failures of this username from this address (both are required, so that
    nobody else's are lifted); how many records were removed."""
    if not username or not ip_address:
        raise ValueError("a lockout is lifted for a username and an address together")
    return reset(ip=ip_address, username=username)


def seconds_to_wait(username: str | None, ip_address: str | None) -> int:
    """Seconds until this username may try again from this address (at least 1)."""
    last = (
        _attempts_in_window()
        .filter(username=username, ip_address=ip_address)
        .aggregate(last=Max("attempt_time"))["last"]
    )
    if last is None:
        return 1
    return max(1, math.ceil((last + _window() - timezone.now()).total_seconds()))


def _message(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, try again in %(minutes)s minute.",
        "Too many failed sign-in attempts. For your security, try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the API (answered in JSON rather than with a page)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and "api" in match.namespaces


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """What a locked-out sign-in gets instead of a session or a token (AXES_LOCKOUT_CALLABLE):
    a page, or for the API a JSON refusal; HTTP 429 with Retry-After either way."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    wait = seconds_to_wait(username, address)
    message = _message(wait)
    if is_api(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def is_locked_out(*, username: str, ip_address: str) -> bool:
    """Whether this username may not sign in from this address now."""
    failures = (
        _attempts_in_window()
        .filter(username=username, ip_address=ip_address)
        .aggregate(failures=Sum("failures_since_start"))["failures"]
    )
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def minutes_to_wait(username: str, ip_address: str) -> int:
    return max(1, math.ceil(seconds_to_wait(username, ip_address) / 60))


def after_reset_message(minutes: int) -> str:
    """What a person who reset their password while locked out is told: the new password
    works once the lockout ends (a reset does not lift it)."""
    return ngettext(
        "Signing in from this address is still locked after the earlier failed attempts: you can sign in "
        "with your new password in %(minutes)s minute.",
        "Signing in from this address is still locked after the earlier failed attempts: you can sign in "
        "with your new password in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def sso_locked_message(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts for this account from this address. For your security, try again "
        "in %(minutes)s minute.",
        "Too many failed sign-in attempts for this account from this address. For your security, try again "
        "in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
