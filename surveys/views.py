"""Pages anyone can open: the home page, an edition, the published responses; the error
pages. The office's pages are in surveys/responses/views.py, the secretariat's in
surveys/review/views.py."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from surveys.models import (
    Attachment,
    QuestionnaireEdition,
)
from surveys.pagination import paginated
from surveys.permissions import may
from surveys.questionnaire.edition import tr_text
from surveys.responses import page_cache, selectors
from surveys.responses.presenters import edition_title, page_language, response_page
from surveys.responses.views import attachment_file


def home(request: HttpRequest) -> HttpResponse:
    language = page_language()
    editions = [(edition, edition_title(edition, language)) for edition in QuestionnaireEdition.objects.published()]
    return render(request, "surveys/home.html", {"editions": editions})


def edition_detail(request: HttpRequest, edition_slug: str) -> HttpResponse:
    # A draft is shown to those who may read drafts (its page: surveys:edition_status).
    edition_row = get_object_or_404(QuestionnaireEdition.objects.readable_by(request.user), slug=edition_slug)
    edition = edition_row.structure
    lang = page_language()
    return render(
        request,
        "surveys/edition_detail.html",
        {
            "edition_row": edition_row,
            "edition": edition,
            "edition_title": tr_text(edition.title, lang),
            "intro": [tr_text(p, lang) for p in edition.introduction],
            "sections": [
                (
                    s,
                    tr_text(s.title, lang),
                    tr_text(s.reminder, lang),
                    [(q, tr_text(q.text, lang)) for q in s.questions],
                )
                for s in edition.sections
            ],
            "examples": [
                (e.number, tr_text(e.title, lang), [tr_text(b, lang) for b in e.body])
                for e in edition.examples.values()
            ],
            "instructions": [
                (tr_text(i.heading, lang), [tr_text(b, lang) for b in i.body], i.examples) for i in edition.instructions
            ],
        },
    )


def public_response_list(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition_row = get_object_or_404(QuestionnaireEdition, slug=edition_slug)
    search = request.GET.get("q", "").strip()
    context = {
        "edition_row": edition_row,
        "edition_title": edition_title(edition_row, page_language()),
        "q": search,
        # A page of the published responses that match the search.
        **paginated(
            request,
            selectors.public_responses(edition_slug, search),
            count=selectors.public_responses_to_count(edition_slug, search),
        ),
        # The rounds the edition's published responses come from, each with its report.
        "rounds": list(selectors.rounds_with_public_responses(edition_slug)),
    }
    return render(request, "surveys/public_response_list.html", context)


def public_response_detail(request: HttpRequest, edition_slug: str, key: tuple[str, int]) -> HttpResponse:
    code, sequence = key
    response = selectors.public_response(edition_slug, code, sequence)
    if response is None:
        raise Http404(_("There is no published response with that number."))
    context = response_page(response, include_not_applicable=False, language=page_language())
    # The same page for every anonymous visitor: kept and served by page_cache.
    return page_cache.mark_cacheable(render(request, "surveys/public_response.html", context))


def public_attachment_download(
    request: HttpRequest, edition_slug: str, key: tuple[str, int], token: str
) -> HttpResponse:
    """A file attached to a published response: public, like its answers."""
    code, sequence = key
    response = selectors.public_response(edition_slug, code, sequence)
    if response is None or not may(request.user, "surveys.download_attachment", response):
        raise Http404(_("There is no published response with that number."))
    return attachment_file(request, get_object_or_404(Attachment, response=response, token=token))


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # API clients get JSON, also for addresses that match no route.
        from django.http import JsonResponse

        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


# --- secretariat: rounds and review ---------------------------------------------------
