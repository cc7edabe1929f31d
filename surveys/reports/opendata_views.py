"""The open data of a round: its landing page (versions, change log) and the ZIP of each
version, served from the stored build (surveys/reports/opendata.py)."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from surveys.models import ExportBuild, OpenDataRelease, SurveyRound
from surveys.permissions import may
from surveys.reports import builds, opendata

log = logging.getLogger(__name__)

RETRY_AFTER = 120  # seconds a visitor is asked to wait for a file being built


def _round(request: HttpRequest, round_slug: str) -> SurveyRound:
    rounds = SurveyRound.objects.readable_by(request.user).select_related("edition")
    return get_object_or_404(rounds, slug=round_slug)


def _may_prepare(request: HttpRequest, survey_round: SurveyRound, release: OpenDataRelease | None) -> bool:
    if release is None:
        return False
    return may(request.user, "surveys.prepare_exportbuild", opendata.build_key(survey_round, release))


@require_http_methods(["GET", "HEAD", "POST"])
def open_data(request: HttpRequest, round_slug: str) -> HttpResponse:
    """GET: the versions and the change log. POST (signed-in users): record the version of
    the content published now and queue its file, if that has not happened yet."""
    survey_round = _round(request, round_slug)
    if request.method == "POST":
        latest = opendata.latest_release(survey_round)
        probe = latest or OpenDataRelease(round=survey_round, version=1)
        if not _may_prepare(request, survey_round, probe):
            return _file_page(request, survey_round, None, status=403, refused=True)
        opendata.prepare(survey_round, request.user)
        return redirect("reports:open_data", survey_round.slug)
    listing = opendata.listing(survey_round)
    latest = listing.latest
    probe = latest.release if latest else OpenDataRelease(round=survey_round, version=1)
    context = {
        "survey_round": survey_round,
        "listing": listing,
        "latest_url": request.build_absolute_uri(reverse("reports:open_data_latest", args=[survey_round.slug])),
        "license": opendata.license_terms(),
        "may_prepare": _may_prepare(request, survey_round, probe),
        "files": opendata.FILES,
    }
    return render(request, "surveys/reports/open_data.html", context)


@require_http_methods(["GET", "HEAD"])
def open_data_latest(request: HttpRequest, round_slug: str) -> HttpResponse:
    """The newest version's ZIP, by a stable address: a redirect to that version's own."""
    survey_round = _round(request, round_slug)
    release = opendata.latest_release(survey_round)
    if release is None:
        return _file_page(request, survey_round, None, status=404, nothing_published=True)
    response = redirect("reports:open_data_file", survey_round.slug, release.version)
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def open_data_file(request: HttpRequest, round_slug: str, version: int) -> HttpResponse:
    """GET: the ZIP of a version from storage, or a page saying where it stands (never a
    build for a visitor). POST (signed-in users): build it, if it is not there."""
    survey_round = _round(request, round_slug)
    release = survey_round.open_data_releases.filter(version=version).first()
    if release is None:
        raise Http404("The open data of this round has no such version.")
    build = opendata.find_build(survey_round, release)
    may_prepare = _may_prepare(request, survey_round, release)
    if request.method == "POST":
        if not may_prepare:
            return _file_page(request, survey_round, release, status=403, refused=True)
        opendata.request_build(survey_round, release, request.user)
        return redirect("reports:open_data", survey_round.slug)
    if build is not None and build.state == ExportBuild.State.DONE:
        handle = builds.open_file(build)
        if handle is not None:
            response = FileResponse(
                handle, as_attachment=True, filename=build.filename, content_type=build.content_type
            )
            response.block_size = builds.CHUNK_BYTES
            response["Content-Length"] = str(build.size)
            return response
        build = None
    latest = opendata.latest_release(survey_round)
    waiting = build is not None and not builds.has_failed(build)
    if waiting or (latest is not None and latest.pk == release.pk):
        # The newest version is queued as soon as it is recorded; a visitor only waits.
        response = _file_page(request, survey_round, release, status=503, being_prepared=True, may_prepare=may_prepare)
        response["Retry-After"] = str(RETRY_AFTER)
        response._has_been_logged = True  # an expected answer, not a server fault
        log.info("open data v%s of %s not ready for a visitor", release.version, survey_round.slug)
        return response
    return _file_page(request, survey_round, release, status=404, not_kept=True, may_prepare=may_prepare)


def _file_page(
    request: HttpRequest, survey_round: SurveyRound, release: OpenDataRelease | None, *, status: int, **context
) -> HttpResponse:
    context.update({"survey_round": survey_round, "release": release})
    return render(request, "surveys/reports/open_data_file.html", context, status=status)
