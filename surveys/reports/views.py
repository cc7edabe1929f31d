"""The round report page and its downloads (thin: scope → tables → render or export).

The page is read from the stored build of the report for the current figures
(`builds.report_page`): its summary and a page of rows, whatever the size of the round.
One table's CSV, XLSX and the JSON stream from a report built for the request."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from surveys.models import SurveyRound
from surveys.permissions import may
from surveys.questionnaire.edition import base_language
from surveys.reports import builds, downloads, exporters, tables

FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX", "pdf": "PDF", "docx": "DOCX", "json": "JSON"}
# The page's script adds a token to a download link and watches for this cookie, to show
# "preparing…" until the file arrives (a whole-report PDF takes several seconds).
DOWNLOAD_COOKIE = "report_download"
_TOKEN = re.compile(r"^[A-Za-z0-9]{1,40}$")
REPORT_LANGUAGES = ("en", "fr", "es")


def report_language() -> str:
    """The active language (LocaleMiddleware) as one of the report's own: en, fr or es."""
    language = base_language(get_language())
    return language if language in REPORT_LANGUAGES else "en"


def _query(fmt: str | None, table_id: str | None, include_submitted: bool) -> str:
    params = {"format": fmt} if fmt else {}
    if table_id:
        params["table"] = table_id
    if include_submitted:
        params["include"] = "submitted"
    return "?" + urlencode(params) if params else ""


def _url(survey_round: SurveyRound, fmt: str, table_id: str | None, include_submitted: bool) -> str:
    if builds.built_in_background(fmt, table_id):
        base = reverse("reports:report_file", args=[survey_round.slug, fmt])
        return base + _query(None, table_id, include_submitted)
    return _query(fmt, table_id, include_submitted)


def _downloads(survey_round: SurveyRound, table_id: str | None, include_submitted: bool) -> list[tuple[str, str, bool]]:
    """(label, address, streamed at once) for each format."""
    labels = dict(FORMAT_LABELS)
    if table_id is None:
        labels["csv"] = "CSV (zip)"
    return [
        (text, _url(survey_round, fmt, table_id, include_submitted), not builds.built_in_background(fmt, table_id))
        for fmt, text in labels.items()
    ]


@require_safe
def round_report(request: HttpRequest, round_slug: str) -> HttpResponseBase:
    survey_round = get_object_or_404(SurveyRound.objects.select_related("edition"), slug=round_slug)
    unpublished = may(request.user, "surveys.view_unpublished_figures")
    include_submitted = unpublished and request.GET.get("include") == "submitted"
    scope = tables.report_scope(request.user, include_submitted=include_submitted)
    fmt = request.GET.get("format") or None
    table_id = request.GET.get("table") or None
    if fmt is not None and fmt not in exporters.FORMATS:
        raise Http404("There is no download in that format.")
    if fmt is not None and builds.served_from_storage(fmt, table_id, signed_in=request.user.is_authenticated):
        # Never built while a request waits: the stored file, or the page that prepares it.
        return redirect(_url(survey_round, fmt, table_id, include_submitted))
    try:
        page_number = int(request.GET.get("page") or 1) if table_id else 1
    except ValueError:
        raise Http404("There is no such page of the table.") from None
    if fmt is not None:
        try:
            report = tables.build_report(survey_round, scope=scope, only=table_id, language=report_language())
        except KeyError:
            raise Http404("The report has no table with that name.") from None
        return _download(request, report, fmt, table_id)
    try:
        page = builds.report_page(survey_round, scope, report_language(), request.user, only=table_id)
    except KeyError:
        raise Http404("The report has no table with that name.") from None
    if page.stored is None:
        # Not built for these figures yet: where its build stands, never a half-built page.
        if table_id and table_id not in tables.table_ids(survey_round.edition.structure):
            raise Http404("The report has no table with that name.")
        return downloads.report_pending(request, survey_round, page)
    body = _report_body(survey_round, page, table_id, page_number, include_submitted)
    return render(
        request,
        "surveys/reports/round_report.html",
        {
            "survey_round": survey_round,
            "report": page.stored.report,
            "body": body,
            "single_table": table_id,
            "downloads": _downloads(survey_round, None, include_submitted),
            "sees_unpublished_figures": unpublished,
            "include_submitted": include_submitted,
        },
    )


# The tables of a page, rendered once per build, table, page and language and then kept:
# rendering a page of rows of every table is most of the page's cost.
BODY_CACHE = "published_pages"
BODY_SECONDS = 24 * 60 * 60


def _report_body(
    survey_round: SurveyRound, page: builds.ReportPage, table_id: str | None, number: int, include_submitted: bool
) -> SafeString:
    build, stored = page.build, page.stored
    assert build is not None and stored is not None
    key = f"report-body:{build.pk}:{build.fingerprint[:24]}:{table_id or '-'}:{number}:{get_language()}"
    cache = caches[BODY_CACHE if BODY_CACHE in settings.CACHES else "default"]
    body = cache.get(key)
    if body is None:
        try:
            sections = [
                (
                    section,
                    [
                        (table, _downloads(survey_round, table.id, include_submitted), stored.page(table, number))
                        for table in section.tables
                    ],
                )
                for section in stored.report.sections
            ]
        except tables.NoSuchPage:
            raise Http404("There is no such page of the table.") from None
        context = {
            "survey_round": survey_round,
            "sections": sections,
            "single_table": table_id,
            "include_submitted": include_submitted,
        }
        body = render_to_string("surveys/reports/_report_body.html", context)
        cache.set(key, body, BODY_SECONDS)
    # Rendered from our own template above (its every value escaped there).
    return mark_safe(body)  # noqa: S308


def _download(request: HttpRequest, report: tables.Report, fmt: str, table_id: str | None) -> HttpResponseBase:
    """The file, streamed when its exporter streams it; the report's rows are deleted once it is sent."""
    try:
        export = exporters.export(report, fmt, table_id)
    except BaseException:
        report.close()
        raise
    if isinstance(export.content, bytes):
        report.close()
        response: HttpResponseBase = HttpResponse(export.content, content_type=export.content_type)
    else:
        # The rows are read while the response is sent, after this view has returned; the
        # server closes the stream when it is done (or the download is given up).
        stream = exporters.Stream(export.content, report.close)
        response = StreamingHttpResponse(stream, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    token = request.GET.get("download", "")
    if _TOKEN.match(token):
        response.set_cookie(DOWNLOAD_COOKIE, token, max_age=120, samesite="Lax", path=request.path)
    return response
