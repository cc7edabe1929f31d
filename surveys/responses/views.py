"""The office's pages: its dashboard, numbering systems, the questionnaire form, a response
and its history, attachments. Thin: scoped fetch → parse → service → render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from surveys.errors import NotAllowed, ResponseConflict, ResponseInvalid, WorkflowError
from surveys.models import (
    Attachment,
    NumberingSystem,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may, office_of, office_rows
from surveys.questionnaire.edition import tr_text
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.form_fields import answers_from_form
from surveys.responses import selectors
from surveys.responses.attachments import attachment_remove, response_save_with_attachments
from surveys.responses.display import status_label
from surveys.responses.forms import NumberingSystemForm
from surveys.responses.presenters import history_page, page_language, questionnaire_form, response_page
from surveys.responses.selectors import get_response_for_user_or_404
from surveys.responses.services import numbering_system_create, response_start
from surveys.review.workflow import allowed_actions, response_submit


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.office_dashboard(request.user)
    # Asked without a response: every office's responses (the secretariat's view).
    context["sees_every_response"] = may(request.user, "surveys.view_private_surveyresponse")
    if context["sees_every_response"]:
        responses = SurveyResponse.objects.readable_by(request.user)
        context["all_responses"] = responses.for_listing().order_by("office_id", "sequence")
    return render(request, "surveys/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def numbering_system_new(request: HttpRequest) -> HttpResponse:
    office = office_of(request.user)
    if office is None:
        raise Http404(_("You do not belong to an office."))
    form = NumberingSystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            system = numbering_system_create(office=office, label=form.cleaned_data["label"], user=request.user)
        except WorkflowError as exc:
            form.add_error("label", str(exc))
        else:
            messages.success(request, _("Numbering system “%(label)s” added.") % {"label": system.label})
            return redirect("surveys:dashboard")
    return render(request, "surveys/numbering_system_form.html", {"form": form, "office": office})


@login_required
@require_POST
def response_start_view(request: HttpRequest, round_slug: str, system_pk: int) -> HttpResponse:
    # The office's own systems (every one for the secretariat, whom the service refuses).
    system = get_object_or_404(office_rows(NumberingSystem.objects.all(), request.user), pk=system_pk)
    survey_round = get_object_or_404(SurveyRound, slug=round_slug, invitations__office=system.office)
    try:
        response = response_start(survey_round=survey_round, numbering_system=system, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:dashboard")
    return redirect("surveys:response_edit", pk=response.pk)


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    context = response_page(response, include_not_applicable=True, with_comments=True, language=page_language())
    context["can_edit"] = response.is_editable and may(request.user, "surveys.change_surveyresponse", response)
    context["can_review"] = may(request.user, "surveys.review_surveyresponse", response)
    context["events"] = list(response.events.select_related("actor"))
    return render(request, "surveys/response_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    if not may(request.user, "surveys.change_surveyresponse", response):
        raise PermissionDenied(_("Only members of the office can change its responses."))
    if not response.is_editable:
        messages.info(
            request,
            _("This response is %(status)s; it is shown read-only.")
            % {"status": status_label(response.status).lower()},
        )
        return redirect("surveys:response_detail", pk=response.pk)
    edition = response.round.edition.structure
    answers = {**response.set_aside_answers, **response.answers}
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
            response_save_with_attachments(
                response=response,
                answers=answers,
                user=request.user,
                expected_version=form_version,
                remove=request.POST.getlist("remove_attachment"),
                upload=request.FILES.get("attachment"),
                confirmed_sections=request.POST.getlist("confirm_section") if response.prefilled_from_id else None,
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except ResponseConflict as exc:
            conflict = str(exc)
            status = 409
        except WorkflowError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            form_version = response.version
            if request.POST.get("action") == "submit":
                try:
                    response_submit(response=response, user=request.user)
                except ResponseInvalid as exc:
                    show_errors = True
                    unconfirmed = exc.unconfirmed
                    status = 400
                except WorkflowError as exc:
                    messages.error(
                        request,
                        _("Your answers were saved as a draft, but not submitted: %(reason)s") % {"reason": exc},
                    )
                    status = 403 if isinstance(exc, NotAllowed) else 400
                else:
                    messages.success(request, _("Thank you: the response has been submitted. It is now read-only."))
                    return redirect("surveys:response_detail", pk=response.pk)
            else:
                messages.success(request, _("Draft saved."))
                anchor = request.POST.get("anchor", "")
                safe = anchor if anchor.replace("-", "").replace("_", "").isalnum() else ""
                return redirect(f"{request.path}#{safe}" if safe else request.path)
    evaluation = evaluate(edition, answers)
    comments = selectors.comments_by_question(response)
    confirmed = None
    if response.prefilled_from_id:
        confirmed = request.POST.getlist("confirm_section") if request.method == "POST" else response.confirmed_sections
    language = page_language()
    sections = questionnaire_form(
        edition,
        answers,
        evaluation,
        show_errors=show_errors,
        comments=comments,
        confirmed=confirmed,
        language=language,
    )
    errors = [(item, error) for section in sections for item in section.items for error in item.errors if show_errors]
    context = {
        "response": response,
        "form_version": form_version,
        "can_submit": "submit" in allowed_actions(response, request.user),
        "unconfirmed": unconfirmed,
        "general_comments": comments.get("", []),
        "prefilled_from": response.prefilled_from,
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
        "intro": [tr_text(p, language) for p in edition.introduction],
        "examples": edition.examples,
        "heading": f"{response.office.name}: {response.numbering_system.label}",
    }
    return render(request, "surveys/response_form.html", context, status=status)


@login_required
def attachment_download(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    attachment = get_object_or_404(Attachment, response=response, token=token)
    if not attachment.file:
        raise Http404(_("Only the name of this attachment is on record; the file itself is not held."))
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def attachment_remove_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    attachment = get_object_or_404(Attachment, response=response, token=token)
    try:
        attachment_remove(attachment=attachment, user=request.user)
    except NotAllowed:
        raise PermissionDenied(_("Only members of the office can change its responses.")) from None
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": attachment.original_name})
    return redirect("surveys:response_edit", pk=response.pk)


@login_required
def response_history(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    context = history_page(response, request.GET.get("a"), request.GET.get("b"), language=page_language())
    return render(request, "surveys/response_history.html", context)
