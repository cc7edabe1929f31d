"""The secretariat's page of a round's CWS working document: its settings, and its files
in three languages, built in the background (thin: fetch → form → service → render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from surveys.models import ExportBuild, SurveyRound, WorkingDocument
from surveys.permissions import may
from surveys.reports import builds
from surveys.reports.comparison import previous_round
from surveys.reports.downloads import LANGUAGE_NAMES
from surveys.reports.working_document import LANGUAGES, new_settings
from surveys.reports.working_document_forms import WorkingDocumentForm

FORMAT_NAMES = {"docx": gettext_lazy("DOCX (editable)"), "pdf": "PDF"}


def _round_or_refuse(request: HttpRequest, round_slug: str) -> SurveyRound:
    if not may(request.user, "surveys.prepare_working_document"):
        raise PermissionDenied(_("Only the International Bureau (secretariat) can open this page."))
    return get_object_or_404(SurveyRound.objects.select_related("edition"), slug=round_slug)


def _files(survey_round: SurveyRound) -> list[dict]:
    """Per language and format: the build for the current data, if any (one query)."""
    _fingerprint, found = builds.working_document_builds(survey_round)
    files = []
    for language in LANGUAGES:
        for fmt in builds.WORKING_DOCUMENT_FORMATS:
            build = found.get((language, fmt))
            state = None
            if build is not None:
                state = ExportBuild.State.FAILED if builds.has_failed(build) else ExportBuild.State(build.state)
            files.append(
                {
                    "language": language,
                    "language_name": LANGUAGE_NAMES[language],
                    "format": fmt,
                    "format_name": FORMAT_NAMES[fmt],
                    "build": build,
                    "state": state,
                }
            )
    return files


@login_required
@require_http_methods(["GET", "POST"])
def working_document(request: HttpRequest, round_slug: str) -> HttpResponse:
    survey_round = _round_or_refuse(request, round_slug)
    existing = WorkingDocument.objects.filter(round=survey_round).first()
    instance = existing or new_settings(survey_round, timezone.localdate())
    form = WorkingDocumentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, _("The settings of %(symbol)s are saved.") % {"symbol": saved.symbol})
        return redirect("reports:working_document", survey_round.slug)
    return render(
        request,
        "surveys/reports/working_document.html",
        {
            "survey_round": survey_round,
            "form": form,
            "settings": existing,
            "files": _files(survey_round) if existing else [],
            "previous_round": previous_round(survey_round),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def working_document_file(request: HttpRequest, round_slug: str, fmt: str, language: str) -> HttpResponse:
    """POST: build the file (once per state of the data) and follow it on its progress page.
    GET: the file when it is built for the current data, else back to the document's page."""
    survey_round = _round_or_refuse(request, round_slug)
    if fmt not in builds.WORKING_DOCUMENT_FORMATS or language not in LANGUAGES:
        raise Http404("There is no working document in that format or language.")
    if not WorkingDocument.objects.filter(round=survey_round).exists():
        messages.error(request, _("Set the document's symbol and date first."))
        return redirect("reports:working_document", survey_round.slug)
    if request.method == "POST":
        build = builds.request_working_document(survey_round, fmt, language, request.user)
        return redirect("reports:export_build", survey_round.slug, build.pk)
    _fingerprint, found = builds.working_document_builds(survey_round)
    build = found.get((language, fmt))
    if build is not None and build.state == ExportBuild.State.DONE:
        return redirect("reports:export_build_file", survey_round.slug, build.pk)
    if build is not None:
        return redirect("reports:export_build", survey_round.slug, build.pk)
    return redirect("reports:working_document", survey_round.slug)
