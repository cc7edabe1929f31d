"""Thin views: scoped fetch → parse → service → render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from surveys import selectors, services
from surveys.answers import answers_from_form
from surveys.edition import tr
from surveys.engine import evaluate
from surveys.forms import NumberingSystemForm
from surveys.models import Attachment, QuestionnaireEdition, Response, SurveyRound, office_of
from surveys.presenters import questionnaire_form, response_document


def home(request: HttpRequest) -> HttpResponse:
    editions = QuestionnaireEdition.objects.all()
    return render(request, "surveys/home.html", {"editions": editions})


def _response_context(response: Response, *, include_not_applicable: bool) -> dict:
    edition = response.round.edition.structure
    evaluation = evaluate(edition, response.answers)
    total = selectors.response_count_for_office(response)
    attachments = list(response.attachments.all())
    return {
        "response": response,
        "edition": edition,
        "evaluation": evaluation,
        "document": response_document(
            edition, evaluation, include_not_applicable=include_not_applicable, attachments=attachments
        ),
        "heading": (
            f"Response {response.sequence} of {total} submitted by {response.office.name} in {response.round.year}"
        ),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.office_dashboard(request.user)
    context["is_secretariat"] = services.is_secretariat(request.user)
    if context["is_secretariat"]:
        context["all_responses"] = Response.objects.for_listing().order_by("office_id", "sequence")
    return render(request, "surveys/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def numbering_system_new(request: HttpRequest) -> HttpResponse:
    office = office_of(request.user)
    if office is None:
        raise Http404("You do not belong to an office.")
    form = NumberingSystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            system = services.numbering_system_create(
                office=office, label=form.cleaned_data["label"], user=request.user
            )
        except services.WorkflowError as exc:
            form.add_error("label", str(exc))
        else:
            messages.success(request, f"Numbering system “{system.label}” added.")
            return redirect("surveys:dashboard")
    return render(request, "surveys/numbering_system_form.html", {"form": form, "office": office})


@login_required
@require_POST
def response_start_view(request: HttpRequest, round_slug: str, system_pk: int) -> HttpResponse:
    system = get_object_or_404(services.NumberingSystem.objects.visible_to(request.user), pk=system_pk)
    survey_round = get_object_or_404(SurveyRound, slug=round_slug, invitations__office=system.office)
    try:
        response = services.response_start(survey_round=survey_round, numbering_system=system, user=request.user)
    except services.PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:dashboard")
    return redirect("surveys:response_edit", pk=response.pk)


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404("No such response.")
    context = _response_context(response, include_not_applicable=True)
    context["can_edit"] = response.is_editable and services.can_edit_office(request.user, response.office)
    return render(request, "surveys/response_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404("No such response.")
    if not services.can_edit_office(request.user, response.office):
        raise PermissionDenied("Only members of the office can change its responses.")
    if not response.is_editable:
        messages.info(request, f"This response is {response.get_status_display().lower()}; it is shown read-only.")
        return redirect("surveys:response_detail", pk=response.pk)
    edition = response.round.edition.structure
    answers = {**response.stashed_answers, **response.answers}
    show_errors = False
    unconfirmed: list[str] = []
    conflict = None
    status = 200
    # The version the person is editing: after a refused save it stays the one they
    # loaded, so saving the same page again is refused again instead of overwriting.
    form_version = response.version
    if request.method == "POST":
        answers = answers_from_form(edition, request.POST)
        try:
            form_version = int(request.POST.get("version", ""))
        except ValueError:
            form_version = -1
        try:
            services.response_save_with_attachments(
                response=response,
                answers=answers,
                user=request.user,
                expected_version=form_version,
                remove=request.POST.getlist("remove_attachment"),
                upload=request.FILES.get("attachment"),
            )
        except services.PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except services.ResponseConflict as exc:
            conflict = str(exc)
            status = 409
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            form_version = response.version
            if request.POST.get("action") == "submit":
                try:
                    services.response_submit(response=response, user=request.user)
                except services.ResponseInvalid as exc:
                    show_errors = True
                    unconfirmed = exc.unconfirmed
                    status = 400
                except services.WorkflowError as exc:
                    messages.error(request, f"Your answers were saved as a draft, but not submitted: {exc}")
                    status = 403 if isinstance(exc, services.PermissionDenied) else 400
                else:
                    messages.success(request, "Thank you: the response has been submitted. It is now read-only.")
                    return redirect("surveys:response_detail", pk=response.pk)
            else:
                messages.success(request, "Draft saved.")
                anchor = request.POST.get("anchor", "")
                safe = anchor if anchor.replace("-", "").replace("_", "").isalnum() else ""
                return redirect(f"{request.path}#{safe}" if safe else request.path)
    evaluation = evaluate(edition, answers)
    sections = questionnaire_form(edition, answers, evaluation, show_errors=show_errors)
    errors = [(item, error) for section in sections for item in section.items for error in item.errors if show_errors]
    context = {
        "response": response,
        "form_version": form_version,
        "can_submit": "submit" in services.allowed_actions(response, request.user),
        "unconfirmed": unconfirmed,
        "edition": edition,
        "sections": sections,
        "errors": errors,
        "conflict": conflict,
        "required_left": len(evaluation.required_unanswered),
        "conditions": edition.conditions(),
        "parts_sources": edition.parts_sources(),
        "order": [q.id for q in edition.questions],
        "max_attachment": settings.WIPOSTAD_MAX_ATTACHMENT_BYTES,
        "attachments": list(response.attachments.all()),
        "intro": [tr(p) for p in edition.introduction],
        "examples": edition.examples,
        "heading": f"{response.office.name}: {response.numbering_system.label}",
    }
    return render(request, "surveys/response_form.html", context, status=status)


@login_required
def attachment_download(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404("No such response.")
    attachment = get_object_or_404(Attachment, response=response, token=token)
    if not attachment.file:
        raise Http404("Only the name of this attachment is on record; the file itself is not held.")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def attachment_remove_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404("No such response.")
    attachment = get_object_or_404(Attachment, response=response, token=token)
    try:
        services.attachment_remove(attachment=attachment, user=request.user)
    except services.PermissionDenied:
        raise PermissionDenied("Only members of the office can change its responses.") from None
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{attachment.original_name}” removed.")
    return redirect("surveys:response_edit", pk=response.pk)


def edition_detail(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition_row = get_object_or_404(QuestionnaireEdition, slug=edition_slug)
    edition = edition_row.structure
    return render(
        request,
        "surveys/edition_detail.html",
        {
            "edition_row": edition_row,
            "edition": edition,
            "intro": [tr(p) for p in edition.introduction],
            "sections": [
                (s, tr(s.title), tr(s.reminder), [(q, tr(q.text)) for q in s.questions]) for s in edition.sections
            ],
            "examples": [(e.number, tr(e.title), [tr(b) for b in e.body]) for e in edition.examples.values()],
            "instructions": [(tr(i.heading), [tr(b) for b in i.body], i.examples) for i in edition.instructions],
        },
    )


def public_response_list(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition_row = get_object_or_404(QuestionnaireEdition, slug=edition_slug)
    responses = list(selectors.public_responses(edition_slug))
    return render(request, "surveys/public_response_list.html", {"edition_row": edition_row, "responses": responses})


def public_response_detail(request: HttpRequest, edition_slug: str, key: tuple[str, int]) -> HttpResponse:
    code, sequence = key
    response = selectors.public_response(edition_slug, code, sequence)
    if response is None:
        raise Http404("There is no published response with that number.")
    context = _response_context(response, include_not_applicable=False)
    return render(request, "surveys/public_response.html", context)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
