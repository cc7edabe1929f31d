"""A person's language, kept with their account: stored when a signed-in person uses the
language switcher, put in force when they sign in (on any device), and used for every
e-mail the site sends them (surveys/review/notifications.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from surveys.accounts.services import language_set
from surveys.models import Preferences

KNOWN = {code for code, _name in settings.LANGUAGES}


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher (cookie, redirect to ``next``); for a signed-in person
    the choice is also stored with their account, so e-mails follow it."""
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    user = getattr(request, "user", None)
    if language in KNOWN and user is not None and user.is_authenticated:
        language_set(user=user, language=language)
    return response


@receiver(user_logged_in, dispatch_uid="surveys.accounts.languages.signed_in")
def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Put the person's stored language in force for the rest of this request, and have
    the middleware keep it in the language cookie."""
    if request is None:
        return
    stored = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    if stored in KNOWN:
        translation.activate(stored)
        request.LANGUAGE_CODE = stored
        request._wipostad_signed_in_language = stored


class SignInLanguageMiddleware:
    """Sets the language cookie to the stored language of a person who just signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "_wipostad_signed_in_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
