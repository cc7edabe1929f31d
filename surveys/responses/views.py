"""The office's pages: its dashboard, numbering systems, the questionnaire form, a response
and its history, attachments. Thin: scoped fetch → parse → service → render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from surveys.errors import (
    NotAllowed,
    ResponseBusy,
    ResponseConflict,
    ResponseInvalid,
    WorkflowError,
    database_busy_as_conflict,
)
from surveys.models import (
    Attachment,
    NumberingSystem,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)
from surveys.pagination import page_query, paginated
from surveys.permissions import may, office_of, office_rows
from surveys.questionnaire.form_fields import answers_from_form
from surveys.responses import selectors
from surveys.responses.attachments import attachment_remove, response_save_with_attachments
from surveys.responses.carried import carried_context, mark_items
from surveys.responses.deadlines import deadline_of
from surveys.responses.display import status_label
from surveys.responses.forms import NumberingSystemForm
from surveys.responses.presenters import (
    history_page,
    page_language,
    questionnaire_form_page,
    response_page,
    submission_page,
)
from surveys.responses.selectors import get_response_for_user_or_404
from surveys.responses.services import numbering_system_create, response_start, unconfirmed_sections
from surveys.review.workflow import (
    allowed_actions,
    may_change_answers,
    response_hand_back,
    response_mark_ready,
    response_submit,
    submission_check,
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.office_dashboard(request.user, request.GET.get("page"))
    context["deadlines"] = [deadline_of(survey_round) for survey_round in context["rounds"]]
    context["page_query"] = page_query(request)
    # Every office's responses the user may read (the secretariat's and the task force's view).
    context["sees_every_response"] = may(request.user, "surveys.view_every_office_responses")
    context["reviews_responses"] = may(request.user, "surveys.review_surveyresponse")
    context["manages_people"] = context["office"] is not None and may(
        request.user, "surveys.manage_office_people", context["office"]
    )
    if context["office"] is None and context["sees_every_response"]:
        search, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
        context.update(q=search, status=status, statuses=[(v, status_label(v)) for v in ResponseStatus.values])
        context.update(paginated(request, selectors.every_response(request.user, search, status)))
    elif context["office"] is None and may(request.user, "surveys.translate_texts"):
        # A translator's dashboard: the rounds whose texts they translate.
        context["translates_texts"] = True
        context.update(paginated(request, selectors.rounds_to_translate(request.user)))
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
    context["can_edit"] = may_change_answers(response, request.user)
    context["deadline"] = deadline_of(response.round) if response.is_editable else None
    context["can_review"] = may(request.user, "surveys.review_surveyresponse", response)
    # As the submit itself decides: not once the round is closed.
    context["can_submit"] = "submit" in allowed_actions(response, request.user)
    context["events"] = events = list(response.events.select_related("actor"))
    context["last_hand_over"] = next((e for e in reversed(events) if e.action in ("ready", "hand_back")), None)
    return render(request, "surveys/response_detail.html", context)


@dataclass
class _FormState:
    """What the questionnaire form shows: the answers, and how the last save went."""

    answers: dict[str, Any]
    # The version the person is editing: after a refused save it stays the one they
    # loaded, so saving the same page again is refused again instead of overwriting.
    version: int
    status: int = 200
    show_errors: bool = False
    unconfirmed: list[str] = field(default_factory=list)
    conflict: str | None = None


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
    if response.round.is_closed:
        # Whatever was posted is refused: the round's answers are final.
        messages.warning(
            request,
            _("The round “%(round)s” is closed: this response can no longer be changed. It is shown read-only.")
            % {"round": response.round.local_title},
        )
        return redirect("surveys:response_detail", pk=response.pk)
    if request.method == "POST":
        state = _save_posted_form(request, response)
        if isinstance(state, HttpResponse):
            return state
        confirmed = request.POST.getlist("confirm_section")
    else:
        state = _FormState(answers={**response.set_aside_answers, **response.answers}, version=response.version)
        # Opened from the confirmation page's list of problems: show them beside the questions.
        if request.GET.get("check") == "1":
            state.show_errors, state.unconfirmed = True, unconfirmed_sections(response)
        confirmed = response.confirmed_sections
    context = questionnaire_form_page(
        response,
        state.answers,
        show_errors=state.show_errors,
        confirmed=confirmed if response.prefilled_from_id else None,
        language=page_language(),
    )
    # Answers carried over from the edition this one revises: marked, and what was not listed.
    context.update(carried_context(response, context["edition"], page_language()))
    mark_items(context["sections"], context.get("carried"))
    context.update(
        form_version=state.version,
        can_submit="submit" in allowed_actions(response, request.user),
        can_mark_ready=may(request.user, "surveys.mark_ready_surveyresponse", response),
        unconfirmed=state.unconfirmed,
        conflict=state.conflict,
        deadline=deadline_of(response.round),
    )
    return render(request, "surveys/response_form.html", context, status=state.status)


def _save_posted_form(request: HttpRequest, response: SurveyResponse) -> _FormState | HttpResponse:
    """Save the posted answers, then submit them if asked: the page to go to, or the form to show again."""
    answers = answers_from_form(response.round.edition.structure, request.POST)
    state = _FormState(answers=answers, version=_posted_version(request))
    try:
        with database_busy_as_conflict():
            response_save_with_attachments(
                response=response,
                answers=state.answers,
                user=request.user,
                expected_version=state.version,
                remove=request.POST.getlist("remove_attachment"),
                upload=request.FILES.get("attachment"),
                confirmed_sections=request.POST.getlist("confirm_section") if response.prefilled_from_id else None,
                # A submit of the answers as they were records the submit only.
                record_unchanged=request.POST.get("action") != "submit",
            )
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except (ResponseConflict, ResponseBusy) as exc:
        state.conflict, state.status = str(exc), 409
        return state
    except WorkflowError as exc:
        messages.error(request, str(exc))
        state.status = 400
        return state
    state.version = response.version
    if request.POST.get("action") == "submit":
        return _to_submission(request, response, state)
    if request.POST.get("action") == "ready":
        return _mark_ready_saved(request, response, state)
    messages.success(request, _("Draft saved."))
    anchor = request.POST.get("anchor", "")
    safe = anchor if anchor.replace("-", "").replace("_", "").isalnum() else ""
    return redirect(f"{request.path}#{safe}" if safe else request.path)


def _posted_version(request: HttpRequest) -> int:
    """The version of the response the posted form was loaded with (-1 when it does not say)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _to_submission(request: HttpRequest, response: SurveyResponse, state: _FormState) -> _FormState | HttpResponse:
    """After saving, the approver goes to the page that shows what submitting checks and
    asks for confirmation; anyone else is told who submits."""
    if not may(request.user, "surveys.submit_surveyresponse", response):
        messages.error(
            request,
            _("Your answers were saved as a draft, but not submitted: %(reason)s")
            % {"reason": _("Only an approver of the office can do this.")},
        )
        state.status = 403
        return state
    messages.success(request, _("Draft saved. Check what will be verified, then confirm the submission."))
    return redirect("surveys:response_submit", pk=response.pk)


def _mark_ready_saved(request: HttpRequest, response: SurveyResponse, state: _FormState) -> _FormState | HttpResponse:
    """After saving, hand the response over to the office's approvers."""
    try:
        response_mark_ready(response=response, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        messages.error(request, _("Your answers were saved as a draft: %(reason)s") % {"reason": exc})
        return redirect("surveys:response_edit", pk=response.pk)
    messages.success(
        request, _("Draft saved and marked ready for approval: the approvers of your office have been told.")
    )
    return redirect("surveys:response_detail", pk=response.pk)


@login_required
@require_http_methods(["GET", "POST"])
def response_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The approver's last step: what submitting checks, found on the saved answers, and
    the confirmation that hands the response to the International Bureau."""
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    if not may(request.user, "surveys.submit_surveyresponse", response):
        raise PermissionDenied(_("Only an approver of the office can submit a response to the International Bureau."))
    if not response.is_editable:
        messages.info(
            request,
            _("This response is %(status)s; it is shown read-only.")
            % {"status": status_label(response.status).lower()},
        )
        return redirect("surveys:response_detail", pk=response.pk)
    status = 200
    if request.method == "POST":
        try:
            response_submit(response=response, user=request.user, expected_version=_posted_version(request))
        except ResponseInvalid:
            messages.error(request, _("Not submitted: fix the problems listed below first."))
            status = 400
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except WorkflowError as exc:
            messages.error(request, _("Not submitted: %(reason)s") % {"reason": exc})
            status = 409 if isinstance(exc, ResponseConflict) else 400
        else:
            messages.success(request, _("Thank you: the response has been submitted. It is now read-only."))
            return redirect("surveys:response_detail", pk=response.pk)
    return _submit_page(request, response, status=status)


def _submit_page(request: HttpRequest, response, *, status: int = 200, note: str = "") -> HttpResponse:
    """The approver's confirmation page; ``note``: a hand-back note to show again as typed."""
    context = submission_page(response, submission_check(response), language=page_language())
    context["can_hand_back"] = may(request.user, "surveys.hand_back_surveyresponse", response)
    context["hand_back_note"] = note
    return render(request, "surveys/response_submit.html", context, status=status)


@login_required
@require_POST
def response_hand_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An approver hands the response back to the office's respondents with a note."""
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    note = request.POST.get("note", "")
    try:
        response_hand_back(response=response, user=request.user, note=note)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        messages.error(request, str(exc))
        if response.is_editable and may(request.user, "surveys.submit_surveyresponse", response):
            # The confirmation page again, the note as typed: nothing written is lost.
            return _submit_page(request, response, status=400, note=note)
        return redirect("surveys:response_detail", pk=response.pk)
    messages.success(request, _("Handed back to the respondents of your office, with your note."))
    return redirect("surveys:response_detail", pk=response.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
    return attachment_file(request, get_object_or_404(Attachment, response=response, token=token))


def attachment_file(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    """The attached file as a download (the caller has checked who may have it)."""
    if not attachment.file:
        raise Http404(_("Only the name of this attachment is on record; the file itself is not held."))
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        return render(
            request,
            "404.html",
            {
                "message": _(
                    "The file “%(name)s” is missing from the server. Ask the International Bureau to restore it "
                    "from a backup."
                )
                % {"name": attachment.original_name}
            },
            status=404,
        )
    return FileResponse(
        stored,
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
