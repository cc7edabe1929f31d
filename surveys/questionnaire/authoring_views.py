"""The pages of editions authored as spreadsheets: the list, the upload, an edition's page
(its problems, Preview, Publish), the preview of the form as an office sees it, and the
spreadsheet of any edition. Thin: scoped fetch → service (authoring.py) → render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from surveys.errors import NotAllowed, WorkflowError
from surveys.models import QuestionnaireEdition
from surveys.pagination import paginated
from surveys.permissions import may
from surveys.questionnaire import authoring, spreadsheet
from surveys.questionnaire.edition import tr_text
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.form_fields import answers_from_form
from surveys.responses.presenters import page_language, questionnaire_form


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Authoring spreadsheet (XLSX)"),
        help_text=gettext_lazy(
            "Sheets survey, choices and settings (XLSForm layout), and introduction, instructions, examples "
            "and mapping where needed. A new ID (form_id) makes a draft; a draft of the same ID is replaced; "
            "a published edition takes new translations only."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _edition_or_404(request: HttpRequest, slug: str) -> QuestionnaireEdition:
    return get_object_or_404(QuestionnaireEdition.objects.readable_by(request.user), slug=slug)


def edition_list(request: HttpRequest) -> HttpResponse:
    rows = QuestionnaireEdition.objects.readable_by(request.user).defer("definition", "warnings")
    context = {
        **paginated(request, rows.order_by("-year", "slug")),
        "can_upload": authoring.may_upload(request.user),
    }
    return render(request, "surveys/edition_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edition_upload(request: HttpRequest) -> HttpResponse:
    if not authoring.may_upload(request.user):
        raise PermissionDenied(_("Only the secretariat and translators upload questionnaire editions."))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[spreadsheet.Problem] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = authoring.edition_import(file=form.cleaned_data["file"], user=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except authoring.EditionInvalid as exc:
            problems, status = exc.problems, 400
        else:
            messages.success(
                request,
                _("%(slug)s: %(outcome)s.")
                % {"slug": result.edition.slug, "outcome": authoring.outcome_label(result.outcome)},
            )
            return redirect("surveys:edition_status", edition_slug=result.edition.slug)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "errors": [p for p in problems if p.error],
        "warnings": [p for p in problems if not p.error],
        "max_bytes": settings.WIPOSTAD_IMPORT_MAX_BYTES,
    }
    return render(request, "surveys/edition_upload.html", context, status=status)


def edition_status(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition_or_404(request, edition_slug)
    errors = authoring.publication_problems(edition) if edition.is_draft else []
    context = {
        "edition_row": edition,
        "edition_title": tr_text(edition.definition.get("title"), page_language()),
        "questions": len(edition.structure.questions),
        "sections": len(edition.structure.sections),
        "errors": errors,
        "warnings": authoring.stored_warnings(edition),
        "can_publish": edition.is_draft and not errors and may(request.user, "surveys.publish_edition", edition),
        "can_upload": authoring.may_upload(request.user),
    }
    return render(request, "surveys/edition_status.html", context)


@require_http_methods(["GET", "POST"])
def edition_preview(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition_or_404(request, edition_slug)
    posted = request.method == "POST"
    answers = answers_from_form(edition.structure, request.POST) if posted else {}
    context = preview_page(edition, answers, show_errors=posted, language=page_language())
    if posted:
        messages.info(request, _("This is a preview: nothing was saved."))
        count = len(context["errors"])
        if count:
            messages.warning(
                request,
                ngettext(
                    "An office submitting these answers would be told of %(count)s problem.",
                    "An office submitting these answers would be told of %(count)s problems.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.success(request, _("These answers would be accepted on submission."))
    return render(request, "surveys/edition_preview.html", context)


def preview_page(
    edition_row: QuestionnaireEdition, answers: dict[str, Any], *, show_errors: bool, language: str
) -> dict:
    """The questionnaire form of an edition as an office sees it, with ``answers``: the
    response form's sections and question inputs, without a response."""
    edition = edition_row.structure
    evaluation = evaluate(edition, answers)
    sections = questionnaire_form(edition, answers, evaluation, show_errors=show_errors, language=language)
    errors = [(item, e) for s in sections for item in s.items for e in item.errors] if show_errors else []
    return {
        "edition_row": edition_row,
        "edition": edition,
        "edition_title": tr_text(edition.title, language),
        "sections": sections,
        "errors": errors,
        "required_left": len(evaluation.required_unanswered),
        "conditions": edition.conditions(),
        "parts_sources": edition.parts_sources(),
        "order": [q.id for q in edition.questions],
        "max_attachment": settings.WIPOSTAD_MAX_ATTACHMENT_BYTES,
        "attachments": [],
        "intro": [tr_text(p, language) for p in edition.introduction],
    }


@login_required
@require_http_methods(["GET", "POST"])
def edition_publish(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition_or_404(request, edition_slug)
    if not may(request.user, "surveys.publish_edition", edition):
        raise PermissionDenied(_("Only the secretariat publishes questionnaire editions."))
    errors: list[spreadsheet.Problem] = []
    if request.method == "POST":
        try:
            authoring.edition_publish(edition=edition, user=request.user)
        except authoring.EditionInvalid as exc:
            errors = exc.problems
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("surveys:edition_status", edition_slug=edition.slug)
        else:
            messages.success(
                request,
                _("%(slug)s is published: it can now open rounds, and only its translations can change.")
                % {"slug": edition.slug},
            )
            return redirect("surveys:edition_status", edition_slug=edition.slug)
    context = {"edition_row": edition, "errors": errors}
    return render(request, "surveys/edition_publish.html", context, status=400 if errors else 200)


def edition_spreadsheet(request: HttpRequest, edition_slug: str) -> HttpResponse:
    return authoring.edition_download(_edition_or_404(request, edition_slug))
