"""A response as a PDF or DOCX file (surveys/responses/documents.py): for the office and
the secretariat any response they may read, for anyone a published one.

Who may download is who may read the response (``surveys.view_surveyresponse``). A
published response's file is the same for every reader and comes from the cache; building
one that is not kept counts against an anonymous client's rate
(``WIPOSTAD_RESPONSE_DOCUMENT_RATE``), as the checker counts its checks.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rest_framework.throttling import AnonRateThrottle

from surveys.client_address import client_address
from surveys.responses import documents
from surveys.responses.presenters import page_language
from surveys.responses.selectors import get_response_for_user_or_404

log = logging.getLogger(__name__)


def document_rate() -> str:
    return settings.WIPOSTAD_RESPONSE_DOCUMENT_RATE


class ResponseDocumentThrottle(AnonRateThrottle):
    """Response files built for one anonymous client (files served from the cache are not
    counted): one client cannot keep a worker busy building files."""

    scope = "response_document"

    def get_rate(self) -> str:
        return document_rate()

    def get_ident(self, request: Any) -> str:
        return client_address(request)


def _refused(request: HttpRequest, throttle: ResponseDocumentThrottle) -> HttpResponse:
    count, seconds = throttle.parse_rate(document_rate())
    message = _(
        "Too many files asked for from your address: at most %(count)s every %(seconds)s seconds "
        "without signing in. Try again in a moment."
    ) % {"count": count, "seconds": seconds}
    refused = render(request, "surveys/response_document_refused.html", {"refusal": message}, status=429)
    refused["Retry-After"] = str(max(1, math.ceil(throttle.wait() or 1)))
    return refused


@require_safe
def response_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The response as a file; 404 for a response the user may not read (as its pages)."""
    if fmt not in documents.FORMATS:
        raise Http404(_("There is no file of the response in that format."))
    response = get_response_for_user_or_404(request.user, pk)
    language = page_language()
    if response.is_public:
        url = request.build_absolute_uri(
            reverse("surveys:public_response_detail", args=[response.round.edition.slug, response.public_key])
        )
        throttle = ResponseDocumentThrottle()
        served = documents.cached_document(
            response, fmt, language=language, url=url, may_build=lambda: throttle.allow_request(request, None)
        )
        if served is None:
            return _refused(request, throttle)
        content = served.content
        if served.built:
            log.info("built %s of response %s (%s) in %.3f s", fmt, response.pk, language, served.seconds)
    else:
        content = documents.build(response, fmt, language=language)
    reply = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
    reply["Content-Disposition"] = f'attachment; filename="{documents.filename(response, fmt)}"'
    reply["Content-Length"] = str(len(content))
    if not response.is_public:
        patch_cache_control(reply, private=True, no_store=True)
    return reply
