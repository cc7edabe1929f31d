"""Two-factor authentication in front of every page (surveys/accounts/two_factor.py).

A person who has an authenticator and has not given a code in this session is sent to
the code page before any other page, the admin included; one who must have an
authenticator (WIPOSTAD_REQUIRE_TWO_FACTOR) and has none is sent to set one up. The API,
used with the session's cookie, answers 403 instead. Signing out is always allowed. An
API token is not the session: it is not asked here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from surveys.accounts import lockout, two_factor

# Pages open to a person who still owes a code: signing out, and switching the language.
ALWAYS_OPEN = {"logout", "set_language", "healthz"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        state = two_factor.session_state(request)
        if state is two_factor.State.DEVICE:
            target = "two_factor_verify"
        elif state is two_factor.State.NO_DEVICE and two_factor.is_required():
            target = "two_factor_setup"
        else:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ALWAYS_OPEN or name == target:
            return None
        if lockout.is_api(request):
            detail = _("Two-factor authentication is needed: sign in on the site first.")
            return JsonResponse({"detail": detail}, status=403)
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
