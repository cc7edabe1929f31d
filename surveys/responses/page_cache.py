"""Published response pages served from the cache.

A published response page rarely changes, but building it (the engine, the ST.13
compliance, the whole document in the reader's language) costs far more than sending
it. The first anonymous visitor of a page in a language has it rendered as usual and
kept; later anonymous visitors get the kept bytes from ``PublishedPageCacheMiddleware``,
which answers before sessions, authentication and the view are reached.

What a kept page may never carry: the CSRF token of the visitor it was rendered for
(the language switcher is a form). The page is kept cut at that token, and each
visitor gets the page joined with a token of their own, with the CSRF cookie Django
would have set. Only plain visits are answered from the cache: GET, no query string,
and no cookie but the CSRF and language ones (a session or pending messages mean the
page is the visitor's own: a signed-in user sees their name in the header).

A kept page is valid for its response's office and for the site as a whole, each
through a generation token in the cache, changed on every save:

* the office's generation: any of its responses saved (reopened, republished, a
  response of the office published, which changes "Response n of N") or deleted, an
  attachment of the office saved or deleted, a numbering system of the office saved;
* the site's generation: an edition saved (its texts corrected: ``edition_load``'s
  "translations updated"), a round or an office saved.

The page and both tokens are read in one cache request. Changes that send no signal
(queryset updates, such as the office catalogue's bulk update) are caught by the page's
lifetime, ``WIPOSTAD_PUBLISHED_PAGE_SECONDS`` (an hour by default).

Each process also keeps the pages it served in its own memory for a moment
(``WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS``, one second by default; 0 turns it off), so
that most visits are answered without asking the shared cache (a database table by
default) at all. A change renews the copies of the process that saves it at once; the
other processes see it when their moment is over.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import get_language_from_request

from standards.models import Office
from surveys.models import Attachment, NumberingSystem, QuestionnaireEdition, SurveyResponse, SurveyRound

# The public page's address (surveys/urls.py: <slug:edition_slug>/responses/<publickey:key>/).
PAGE_PATH = re.compile(r"^/surveys/(?P<edition>[-a-zA-Z0-9_]+)/responses/(?P<key>(?P<office>[a-z]{2})-\d{3})/$")
TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
SITE_GENERATION = "published-page:generation"
DEFAULT_SECONDS = 60 * 60
# Headers that belong to one visitor, never kept.
PERSONAL_HEADERS = frozenset({"set-cookie", "content-length"})


def page_cache():
    """Where the pages are kept: the cache named ``published_pages`` when there is one
    (pages never push out the throttles and lockouts), else the default cache."""
    return caches["published_pages" if "published_pages" in settings.CACHES else "default"]


def lifetime() -> int:
    return getattr(settings, "WIPOSTAD_PUBLISHED_PAGE_SECONDS", DEFAULT_SECONDS)


# The process's own copies of the pages it served lately (see the module's description).
LOCAL = LocMemCache("published-pages-in-this-process", {"OPTIONS": {"MAX_ENTRIES": 1000}})


def recheck_seconds() -> float:
    return getattr(settings, "WIPOSTAD_PUBLISHED_PAGE_RECHECK_SECONDS", 1)


def office_generation_key(office_code: str) -> str:
    return f"published-page:generation:{office_code.upper()}"


def page_key(edition_slug: str, key: str, language: str) -> str:
    return f"published-page:{edition_slug}:{key}:{language}"


def mark_cacheable(response: HttpResponse) -> HttpResponse:
    """The view's word that this response is the public page, the same for every
    anonymous visitor (the middleware keeps nothing else)."""
    response.published_page = True
    return response


# --- invalidation ---------------------------------------------------------------------


def _renew(generation_key: str) -> None:
    page_cache().set(generation_key, uuid.uuid4().hex, timeout=None)
    LOCAL.clear()


def renew_site() -> None:
    """Every kept page is out of date."""
    _renew(SITE_GENERATION)


def renew_office(office_code: str | None) -> None:
    """The kept pages of the office's responses are out of date."""
    if office_code:
        _renew(office_generation_key(office_code))


# Deleting an office, edition, round or numbering system needs none: none can be deleted
# while a response refers to it (and receivers would make bulk deletions send a signal
# per row).
@receiver([post_save, post_delete], sender=SurveyResponse, dispatch_uid="published_page_response")
@receiver(post_save, sender=NumberingSystem, dispatch_uid="published_page_system")
def _office_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    renew_office(instance.office_id)


@receiver([post_save, post_delete], sender=Attachment, dispatch_uid="published_page_attachment")
def _attachment_changed(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    office = SurveyResponse.objects.filter(pk=instance.response_id).values_list("office_id", flat=True).first()
    renew_office(office)


@receiver(post_save, sender=QuestionnaireEdition, dispatch_uid="published_page_edition")
@receiver(post_save, sender=SurveyRound, dispatch_uid="published_page_round")
@receiver(post_save, sender=Office, dispatch_uid="published_page_office")
def _site_changed(sender: Any, **kwargs: Any) -> None:
    renew_site()


# --- keeping and serving ----------------------------------------------------------------


def _plain_visit(request: HttpRequest) -> bool:
    """A GET without query string from a visitor with no session or messages: the page
    is then the same for everyone reading it in the same language."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    allowed = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    return all(name in allowed for name in request.COOKIES)


def _generations(cache, found: dict[str, Any], keys: tuple[str, str]) -> tuple[str, str] | None:
    """The current generation tokens, made when the cache has none (yet, or any more)."""
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(key, token, timeout=None):
                token = cache.get(key)
        if token is None:
            return None
        tokens.append(token)
    return tokens[0], tokens[1]


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        getattr(response, "published_page", False)
        and response.status_code == 200
        and not response.streaming
        and (user is None or not user.is_authenticated)
        and all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)
    )


def _keep(cache, key: str, generations: tuple[str, str], response: HttpResponse) -> None:
    body = response.content
    tokens = set(TOKEN_FIELD.findall(body))
    if len(tokens) > 1:
        return  # never expected (one token per rendering); not kept rather than guessed
    parts = body.split(next(iter(tokens))) if tokens else [body]
    headers = [(name, value) for name, value in response.items() if name.lower() not in PERSONAL_HEADERS]
    kept = {"generations": generations, "headers": headers, "parts": parts}
    cache.set(key, kept, lifetime())
    _keep_here(key, kept)


def _keep_here(key: str, kept: dict[str, Any]) -> None:
    seconds = recheck_seconds()
    if seconds > 0:
        LOCAL.set(key, kept, seconds)


def _serve(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    parts = kept["parts"]
    csrf = CsrfViewMiddleware(_no_view)
    if len(parts) > 1:
        csrf.process_request(request)  # reads the visitor's CSRF cookie, if any
        body = get_token(request).encode("ascii").join(parts)
    else:
        body = parts[0]
    response = HttpResponse(body)
    for name, value in kept["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(body))
    response.published_page_from_cache = True
    return csrf.process_response(request, response)


def _no_view(request: HttpRequest) -> None:  # pragma: no cover - never called
    raise AssertionError("the CSRF middleware is used here only for its cookie")


class PublishedPageCacheMiddleware:
    """Answers plain visits of a published response page from the cache; keeps the page
    the view renders for such a visit. Goes right after WhiteNoise, before sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = PAGE_PATH.match(request.path_info)
        if match is None or not _plain_visit(request):
            return self.get_response(request)
        key = page_key(match["edition"], match["key"], get_language_from_request(request))
        kept = LOCAL.get(key)
        if kept is not None:
            return _serve(request, kept)
        cache = page_cache()
        generation_keys = (SITE_GENERATION, office_generation_key(match["office"]))
        found = cache.get_many([key, *generation_keys])
        kept = found.get(key)
        current = tuple(found.get(k) for k in generation_keys)
        if kept is not None and kept["generations"] == current:
            _keep_here(key, kept)
            return _serve(request, kept)
        # Read before rendering: a change saved meanwhile makes this copy out of date.
        generations = _generations(cache, found, generation_keys)
        response = self.get_response(request)
        if generations is not None and _keepable(request, response):
            _keep(cache, key, generations, response)
        return response
