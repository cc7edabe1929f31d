"""Single sign-on with an OpenID Connect provider (mozilla-django-oidc), when
WIPOSTAD_OIDC_ENABLED is on.

The provider's identity is mapped to an EXISTING active account, by e-mail address, and
only when the provider says it has verified that address (the ``email_verified`` claim is
true). No account is ever created or changed. Every refusal is said on the sign-in page.

django-axes stays in front (AUTHENTICATION_BACKENDS: axes first): failed sign-ins through
the provider are counted per address like any other, and an account locked out from an
address after failed password attempts cannot be entered from that address through the
provider either, until the lockout ends or is lifted.
"""

from __future__ import annotations

import logging

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from surveys.accounts import lockout
from surveys.client_address import client_address

log = logging.getLogger(__name__)

REFUSAL = "wipostad_sso_refusal"


def _refuse(request, message: str) -> None:
    setattr(request, REFUSAL, message)


def _verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    # Some providers send the claim as a string.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class VerifiedEmailBackend(OIDCAuthenticationBackend):
    """The provider's verified e-mail address → the one active account that has it."""

    def verify_claims(self, claims: dict) -> bool:
        email = (claims.get("email") or "").strip()
        if not email:
            _refuse(self.request, _("The provider did not give an e-mail address, so no account could be found."))
            return False
        if not _verified(claims):
            _refuse(
                self.request,
                _("The provider has not verified the e-mail address %(email)s, so it cannot be used to sign in here.")
                % {"email": email},
            )
            return False
        return True

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        users = list(self.filter_users_by_claims(claims)[:2])
        email = claims["email"].strip()
        if len(users) != 1:
            log.warning("single sign-on refused: %s active accounts have the e-mail address", len(users))
            _refuse(
                self.request,
                _(
                    "No account here can be matched to %(email)s. Sign in with your username and password, "
                    "or ask the International Bureau to record this address on your account."
                )
                % {"email": email},
            )
            return None
        user = users[0]
        address = client_address(self.request)
        if AxesProxyHandler.is_locked(self.request, {"username": user.get_username()}):
            _refuse(self.request, lockout.sso_locked_message(lockout.minutes_to_wait(user.get_username(), address)))
            return None
        return user

    def create_user(self, claims):  # never called (OIDC_CREATE_USER is off); never creates anyway
        raise SuspiciousOperation("single sign-on never creates accounts")


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """The provider's return: signed in, or back on the sign-in page saying why not."""

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError) as exc:
            log.warning("single sign-on failed: %s: %s", type(exc).__name__, exc)
            _refuse(request, _("The sign-in through the provider could not be completed. Please try again."))
            return self.login_failure()

    def login_failure(self):
        message = getattr(self.request, REFUSAL, None) or _(
            "The sign-in through the provider was cancelled or refused. Please try again."
        )
        messages.error(self.request, message)
        return redirect("login")
