"""Two-factor authentication: a code from an authenticator app after the password, for the
secretariat and the site's staff (the permission ``surveys.use_two_factor``).

Whoever has set up an authenticator is asked for a code after the password, whichever way
they signed in; with WIPOSTAD_REQUIRE_TWO_FACTOR on, those without one must set it up
before any other page (surveys/accounts/middleware.py). The devices are django-otp's TOTP
devices (one per person); wrong codes are throttled by django-otp (each wrong code doubles
the wait before the next try) and counted on the device.

Whether the person has an authenticator is kept in their session when they sign in (and
when they set one up), so that a request asks the database nothing more for it.
"""

from __future__ import annotations

import binascii
import logging
import math
import secrets
from base64 import b32encode
from dataclasses import dataclass
from enum import StrEnum

import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from surveys.permissions import may

log = logging.getLogger(__name__)

STATE_KEY = "wipostad_two_factor"
PENDING_KEY = "wipostad_two_factor_pending"
# How many 30-second steps before and after the present a code is accepted (clocks drift).
TOLERANCE = 1


class State(StrEnum):
    EXEMPT = "exempt"  # not asked: an office member, a reader …
    DEVICE = "device"  # has an authenticator: asked for a code
    NO_DEVICE = "no-device"  # may set one up; must when it is required


def applies_to(user: User) -> bool:
    return may(user, "surveys.use_two_factor")


def device_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def state_of(user: User) -> State:
    if not applies_to(user):
        return State.EXEMPT
    return State.DEVICE if device_of(user) is not None else State.NO_DEVICE


def remember_state(request: HttpRequest, user: User) -> State:
    state = state_of(user)
    request.session[STATE_KEY] = state.value
    return state


def session_state(request: HttpRequest) -> State:
    """The state kept in the session (worked out again if the session has none)."""
    try:
        return State(request.session.get(STATE_KEY))
    except ValueError:
        return remember_state(request, request.user)


@receiver(user_logged_in, dispatch_uid="wipostad-two-factor-state")
def _on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_state(request, user)


def is_required() -> bool:
    return bool(settings.WIPOSTAD_REQUIRE_TWO_FACTOR)


# --- setting up -----------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """An authenticator being set up: its secret and what the app reads from the QR code."""

    key: str  # hexadecimal, as django-otp keeps it

    @property
    def secret(self) -> str:
        """The secret as authenticator apps take it when typed (base 32, in groups of four)."""
        text = b32encode(binascii.unhexlify(self.key)).decode().rstrip("=")
        return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

    def config_url(self, user: User) -> str:
        return TOTPDevice(user=user, key=self.key).config_url

    def qr_svg(self, user: User) -> str:
        """The QR code as an inline SVG element, with a title for screen readers."""
        code = segno.make(self.config_url(user), error="m")
        label = _("QR code for your authenticator app")
        svg = code.svg_inline(scale=5, border=4, omitsize=True, title=label, svgclass="qr-code")
        return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def has_api_token(user: User) -> bool:
    return Token.objects.filter(user=user).exists()


def enrolment(request: HttpRequest) -> Enrolment:
    """The secret being set up in this session (a new one the first time). It is kept in the
    session only: nothing is recorded until a code from it is confirmed."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = secrets.token_hex(20)
        request.session[PENDING_KEY] = key
    return Enrolment(key)


def _code(token: str) -> int | None:
    digits = "".join(token.split())
    return int(digits) if digits.isdigit() and len(digits) == 6 else None


def enrolment_confirm(request: HttpRequest, token: str) -> TOTPDevice | None:
    """Confirm the pending secret with a code from the app: the new authenticator replaces
    any earlier one, the account's API token (if any) stops working, and this session
    counts as verified. None when the code is wrong."""
    pending = enrolment(request)
    code = _code(token)
    totp = TOTP(binascii.unhexlify(pending.key))
    if code is None or not totp.verify(code, TOLERANCE):
        return None
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # A token given before (on the password alone, or with the replaced app's code)
        # would let the API in without the new second step: it ends here.
        Token.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), key=pending.key, confirmed=True, tolerance=TOLERANCE
        )
        device.last_t = totp.t()  # the code just given cannot be given again
        device.save(update_fields=["last_t"])
    del request.session[PENDING_KEY]
    otp_login(request, device)
    request.session[STATE_KEY] = State.DEVICE.value
    log.info("two-factor authenticator set up for %s", user.get_username())
    return device


# --- verifying ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    verified: bool
    message: str = ""


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)s second before trying again.",
        "Too many wrong codes. Wait %(seconds)s seconds before trying again.",
        seconds,
    ) % {"seconds": seconds}


def _code_check(user: User, token: str) -> tuple[Verdict, TOTPDevice | None]:
    """Check a code from the person's authenticator: the verdict, and the device that
    accepted it. Wrong codes are counted on the device and each makes the next try wait
    longer."""
    device = device_of(user)
    if device is None:
        return Verdict(False, _("You have no authenticator set up.")), None
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until") or timezone.now()
        wait = max(1, math.ceil((until - timezone.now()).total_seconds()))
        return Verdict(False, _wait_message(wait)), None
    code = _code(token)
    accepted = verify_token(user, device.persistent_id, str(code)) if code is not None else None
    if accepted is None:
        if code is None:
            device.throttle_increment()
        device.refresh_from_db(fields=["throttling_failure_count"])
        failures = device.throttling_failure_count
        log.warning("wrong two-factor code for %s (%s in a row)", user.get_username(), failures)
        return Verdict(
            False,
            ngettext(
                "That code is not right (%(count)s wrong code in a row). Enter the code your app shows now.",
                "That code is not right (%(count)s wrong codes in a row). Enter the code your app shows now.",
                failures,
            )
            % {"count": failures},
        ), None
    return Verdict(True), accepted


def code_verify(request: HttpRequest, token: str) -> Verdict:
    """Check a code from the person's authenticator; on success this session is verified."""
    verdict, device = _code_check(request.user, token)
    if device is None:
        if device_of(request.user) is None:  # removed meanwhile: the session learns it
            remember_state(request, request.user)
        return verdict
    otp_login(request, device)
    request.session[STATE_KEY] = State.DEVICE.value
    return verdict


def token_check(user: User, code: str | None) -> Verdict:
    """May this person be given an API token? A token works without a session, so it is
    given only after the same second step as signing in: a code from the authenticator of
    whoever has one, and none at all to whoever must set one up and has not yet."""
    state = state_of(user)
    if state is State.EXEMPT or (state is State.NO_DEVICE and not is_required()):
        return Verdict(True)
    if state is State.NO_DEVICE:
        return Verdict(
            False,
            _(
                "This account must set up two-factor authentication before it can have an API token: "
                "sign in on the site and set up an authenticator app, then ask again with a code from it."
            ),
        )
    if not code:
        return Verdict(
            False,
            _('This account uses two-factor authentication: send the code your authenticator app shows now as "code".'),
        )
    return _code_check(user, code)[0]
