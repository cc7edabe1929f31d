"""Heavy report files (PDF, DOCX, XLSX, the whole report's CSV zip): served from the
stored build, asked for by a form, followed on a progress page (surveys/reports/builds.py).
The report page's own build is followed on the report's address (`report_pending`)."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_safe

from surveys.models import ExportBuild, SurveyRound
from surveys.permissions import may
from surveys.questionnaire.edition import base_language
from surveys.reports import builds, tables

log = logging.getLogger(__name__)

# How long an anonymous visitor is asked to wait before trying again (Retry-After, seconds).
RETRY_AFTER = 120
LANGUAGE_NAMES = {"en": "English", "fr": "français", "es": "español"}


def _language() -> str:
    language = base_language(get_language())
    return language if language in builds.LANGUAGES else "en"


def _key(request: HttpRequest, survey_round: SurveyRound, fmt: str) -> builds.BuildKey:
    """The file asked for: the format in the address; table and scope as on the report page."""
    include_submitted = request.GET.get("include") == "submitted"
    scope = tables.report_scope(request.user, include_submitted=include_submitted)
    table_id = request.GET.get("table") or ""
    if fmt not in builds.HEAVY_FORMATS:
        raise Http404("There is no file of the report in that format.")
    if table_id and table_id not in tables.table_ids(survey_round.edition.structure):
        raise Http404("The report has no table with that name.")
    try:
        return builds.BuildKey(survey_round, scope, fmt, table_id, _language())
    except ValueError:
        raise Http404("There is no file of the report in that format.") from None


def _what(build_or_key) -> str:
    """e.g. "PDF of the whole report" or "DOCX of table q5"."""
    if build_or_key.format == builds.PAGE:
        return gettext("The round report")
    fmt = dict(ExportBuild.Format.choices)[build_or_key.format]
    if build_or_key.table_id == builds.WORKING_DOCUMENT:
        return gettext("%(format)s of the CWS working document") % {"format": fmt}
    if build_or_key.table_id:
        return gettext("%(format)s of table %(table)s") % {"format": fmt, "table": build_or_key.table_id}
    return gettext("%(format)s of the whole report") % {"format": fmt}


def _status(request: HttpRequest, build: ExportBuild) -> dict:
    """What the progress page and its script show of a build."""
    failed = builds.has_failed(build)
    state = ExportBuild.State.FAILED if failed else build.state
    step = min(build.done_units, len(builds.STEPS) - 1)
    data = {
        "state": str(state),
        "label": str(ExportBuild.State(state).label),
        "done": build.done_units if not failed else 0,
        "total": build.total_units or len(builds.STEPS),
        "step": str(builds.STEPS[step]) if state == ExportBuild.State.RUNNING else "",
        "file_url": "",
        "size": 0,
        "message": "",
    }
    if state == ExportBuild.State.DONE and build.format == builds.PAGE:
        data["file_url"] = _page_url(build.round, build)
        data["done"] = data["total"]
        data["message"] = gettext("The report is ready.")
    elif state == ExportBuild.State.DONE:
        data["file_url"] = reverse("reports:export_build_file", args=[build.round.slug, build.pk])
        data["size"] = build.size
        data["done"] = data["total"]
        data["message"] = gettext("The file is ready.")
    elif failed and build.error.startswith("superseded"):
        data["message"] = gettext("The figures changed while the file waited to be built. Ask for it again.")
    elif failed:
        data["message"] = gettext(
            "The file could not be built. Try again; if it fails again, tell the International Bureau."
        )
    elif state == ExportBuild.State.QUEUED:
        data["message"] = gettext("Waiting for a free worker…")
    else:
        data["message"] = gettext("Step %(n)s of %(total)s: %(step)s.") % {
            "n": step + 1,
            "total": data["total"],
            "step": data["step"],
        }
    return data


def _serve(build: ExportBuild) -> HttpResponse | None:
    """The stored file, streamed a block at a time; None if it has gone from the storage."""
    handle = builds.open_file(build)
    if handle is None:
        return None
    response = FileResponse(
        handle, as_attachment=True, filename=build.filename, content_type=build.content_type or None
    )
    response.block_size = builds.CHUNK_BYTES
    if build.size:
        response["Content-Length"] = str(build.size)
    if build.scope != ExportBuild.Scope.PUBLISHED:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _page(request: HttpRequest, survey_round: SurveyRound, *, status: int = 200, **context) -> HttpResponse:
    build = context.setdefault("build", None)
    about = build if build is not None else context.get("key")
    if about is not None:
        context["scope_label"] = ExportBuild.Scope(str(about.scope)).label
        context["language_name"] = LANGUAGE_NAMES.get(about.language, about.language)
        context.setdefault("report_url", _report_url(survey_round, about))
        context["working_document"] = about.table_id == builds.WORKING_DOCUMENT
    if build is not None:
        context["status"] = _status(request, build)
        if context["status"]["state"] in (ExportBuild.State.QUEUED, ExportBuild.State.RUNNING):
            # Without the script, the page reloads itself while the file is being built.
            context["refresh"] = RETRY_AFTER if context.get("being_prepared") else 5
    return render(
        request, "surveys/reports/export_build.html", {"survey_round": survey_round, **context}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_file(request: HttpRequest, round_slug: str, fmt: str) -> HttpResponse:
    """GET: the stored file for the current data, or a page saying where it stands.
    POST: ask for it to be built (signed-in users, for the figures they may see)."""
    survey_round = get_object_or_404(SurveyRound.objects.select_related("edition"), slug=round_slug)
    key = _key(request, survey_round, fmt)
    state = builds.data_state(survey_round, key.scope)
    build = builds.find(key, state.fingerprint)
    may_prepare = may(request.user, "surveys.prepare_exportbuild", key)
    if request.method == "POST":
        if not may_prepare:
            return _page(request, survey_round, status=403, key=key, what=_what(key), refused=True)
        build, _queued = builds.request_build(key, state.fingerprint, request.user)
        return redirect("reports:export_build", survey_round.slug, build.pk)
    if build is not None and build.state == ExportBuild.State.DONE:
        served = _serve(build)
        if served is not None:
            return served
    if may_prepare:
        if build is not None and not builds.has_failed(build):
            return redirect("reports:export_build", survey_round.slug, build.pk)
        return _page(request, survey_round, key=key, what=_what(key), build=build, may_prepare=True)
    return _not_ready(request, survey_round, key, build, state)


def _not_ready(request, survey_round, key, build, state) -> HttpResponse:
    """A visitor who may not ask for builds, and the file is not there (yet)."""
    context = {"key": key, "what": _what(key), "build": build, "report_url": _report_url(survey_round, key)}
    if state.responses == 0:
        return _page(request, survey_round, status=404, nothing_published=True, **context)
    if key.table_id and build is None:
        # Only the whole report's files are prepared when figures are published.
        return _page(request, survey_round, status=404, table_on_request=True, **context)
    response = _page(request, survey_round, status=503, being_prepared=True, **context)
    response["Retry-After"] = str(RETRY_AFTER)
    # An expected answer, not a server fault: kept out of the error log (Django logs every 5xx).
    response._has_been_logged = True
    log.info("report file %s of %s not ready for a visitor", key.format, survey_round.slug)
    return response


def _page_url(survey_round: SurveyRound, build_or_key) -> str:
    """The report page a page build is of (its scope: the secretariat's choice of figures)."""
    url = reverse("reports:round_report", args=[survey_round.slug])
    return f"{url}?include=submitted" if str(build_or_key.scope) == tables.Scope.WITH_SUBMITTED else url


def report_pending(request: HttpRequest, survey_round: SurveyRound, page: builds.ReportPage) -> HttpResponse:
    """The report page while its data is built in the background: where the build stands,
    on the report's own address, which shows the report once it is ready (the script asks
    the status endpoint and reloads; without it, the page reloads itself). A visitor who
    may not ask for builds gets 503 with Retry-After, as for a file being prepared."""
    build = page.build
    context = {
        "survey_round": survey_round,
        "build": build,
        "may_prepare": page.may_prepare,
        "language_name": LANGUAGE_NAMES.get(_language(), _language()),
        "scope_label": tables.SCOPE_LABELS[page.scope],
        "status": _status(request, build) if build is not None else None,
    }
    in_progress = build is not None and context["status"]["state"] in (
        ExportBuild.State.QUEUED,
        ExportBuild.State.RUNNING,
    )
    wait = 5 if in_progress else RETRY_AFTER
    context["refresh"] = wait if in_progress or not page.may_prepare else None
    response = render(request, "surveys/reports/report_pending.html", context, status=200 if page.may_prepare else 503)
    if not page.may_prepare:
        response["Retry-After"] = str(wait)
        # An expected answer, not a server fault: kept out of the error log (Django logs every 5xx).
        response._has_been_logged = True
        log.info("report page of %s not ready for a visitor", survey_round.slug)
    patch_cache_control(response, no_store=True)
    return response


def _report_url(survey_round: SurveyRound, key) -> str:
    if key.table_id == builds.WORKING_DOCUMENT:
        return reverse("reports:working_document", args=[survey_round.slug])
    url = reverse("reports:round_report", args=[survey_round.slug])
    return f"{url}?table={key.table_id}" if key.table_id else url


def _build_or_404(request: HttpRequest, round_slug: str, build_id: int) -> ExportBuild:
    build = get_object_or_404(ExportBuild.objects.select_related("round"), pk=build_id, round__slug=round_slug)
    if not may(request.user, "surveys.view_exportbuild", build):
        raise Http404("No such file.")
    return build


@require_http_methods(["GET", "HEAD", "POST"])
def export_build(request: HttpRequest, round_slug: str, build_id: int) -> HttpResponse:
    """A build's progress page; POST tries a failed build again."""
    build = _build_or_404(request, round_slug, build_id)
    may_prepare = may(request.user, "surveys.prepare_exportbuild", build)
    if request.method == "POST":
        if not may_prepare:
            return _page(request, build.round, status=403, what=_what(build), refused=True)
        builds.retry(build)
        return redirect("reports:export_build", round_slug, build.pk)
    return _page(request, build.round, build=build, what=_what(build), may_prepare=may_prepare)


@require_safe
def export_build_status(request: HttpRequest, round_slug: str, build_id: int) -> JsonResponse:
    """Where a build stands, for the progress page's script (a fixed number of queries)."""
    build = _build_or_404(request, round_slug, build_id)
    response = JsonResponse(_status(request, build))
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def export_build_file(request: HttpRequest, round_slug: str, build_id: int) -> HttpResponse:
    """The file of one finished build (the progress page's link)."""
    build = _build_or_404(request, round_slug, build_id)
    if build.format == builds.PAGE:
        return redirect(_page_url(build.round, build))  # the page's data is read by the page alone
    if build.state == ExportBuild.State.DONE:
        served = _serve(build)
        if served is not None:
            return served
    return redirect("reports:export_build", round_slug, build.pk)
