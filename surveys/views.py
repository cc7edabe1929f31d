"""Thin views: scoped fetch → parse → service → render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from surveys import selectors
from surveys.compliance import compliance_for_answers
from surveys.errors import NotAllowed, ResponseConflict, ResponseInvalid, WorkflowError
from surveys.forms import CommentForm, NumberingSystemForm, ReviewForm, RoundForm
from surveys.models import (
    Attachment,
    NumberingSystem,
    QuestionnaireEdition,
    Response,
    SurveyRound,
    is_secretariat,
    office_of,
)
from surveys.presenters import questionnaire_form, response_document, status_label
from surveys.questionnaire.edition import base_language, tr_text
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.form_fields import answers_from_form
from surveys.responses.attachments import attachment_remove, response_save_with_attachments
from surveys.responses.services import can_edit_office, numbering_system_create, response_start
from surveys.review.rounds import round_create, round_send_reminders
from surveys.review.workflow import WORKFLOW_ACTIONS, allowed_actions, comment_add, response_submit


def page_language() -> str:
    """The language of the page being built ("en", "fr", "es"): edition texts follow it."""
    return base_language(get_language() or settings.LANGUAGE_CODE)


def _edition_title(edition_row: QuestionnaireEdition, language: str):
    # The stored title is the English one; the definition carries the translations.
    return tr_text(edition_row.definition.get("title") or {"en": edition_row.title}, language)


def home(request: HttpRequest) -> HttpResponse:
    language = page_language()
    editions = [(edition, _edition_title(edition, language)) for edition in QuestionnaireEdition.objects.all()]
    return render(request, "surveys/home.html", {"editions": editions})


def _response_context(
    response: Response, *, include_not_applicable: bool, with_comments: bool = False, language: str = "en"
) -> dict:
    edition = response.round.edition.structure
    evaluation = evaluate(edition, response.answers)
    total = selectors.response_count_for_office(response)
    attachments = list(response.attachments.all())
    comments = selectors.comments_by_question(response) if with_comments else {}
    return {
        "response": response,
        "edition": edition,
        "evaluation": evaluation,
        "compliance": compliance_for_answers(response.answers),
        "general_comments": comments.get("", []),
        "document": response_document(
            edition,
            evaluation,
            include_not_applicable=include_not_applicable,
            attachments=attachments,
            comments=comments,
            language=language,
        ),
        "edition_title": tr_text(edition.title, language),
        "heading": _("Response %(number)s of %(total)s submitted by %(office)s in %(year)s")
        % {"number": response.sequence, "total": total, "office": response.office.name, "year": response.round.year},
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.office_dashboard(request.user)
    context["is_secretariat"] = is_secretariat(request.user)
    if context["is_secretariat"]:
        context["all_responses"] = Response.objects.for_listing().order_by("office_id", "sequence")
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
    system = get_object_or_404(NumberingSystem.objects.visible_to(request.user), pk=system_pk)
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
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
    context = _response_context(response, include_not_applicable=True, with_comments=True, language=page_language())
    context["can_edit"] = response.is_editable and can_edit_office(request.user, response.office)
    context["can_review"] = is_secretariat(request.user)
    context["events"] = list(response.events.select_related("actor"))
    return render(request, "surveys/response_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
    if not can_edit_office(request.user, response.office):
        raise PermissionDenied(_("Only members of the office can change its responses."))
    if not response.is_editable:
        messages.info(
            request,
            _("This response is %(status)s; it is shown read-only.")
            % {"status": status_label(response.status).lower()},
        )
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
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
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
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
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


def edition_detail(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition_row = get_object_or_404(QuestionnaireEdition, slug=edition_slug)
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
    responses = list(selectors.public_responses(edition_slug))
    context = {
        "edition_row": edition_row,
        "edition_title": _edition_title(edition_row, page_language()),
        "responses": responses,
        # The rounds these published responses come from, each with its report.
        "rounds": list({r.round_id: r.round for r in responses}.values()),
    }
    return render(request, "surveys/public_response_list.html", context)


def public_response_detail(request: HttpRequest, edition_slug: str, key: tuple[str, int]) -> HttpResponse:
    code, sequence = key
    response = selectors.public_response(edition_slug, code, sequence)
    if response is None:
        raise Http404(_("There is no published response with that number."))
    context = _response_context(response, include_not_applicable=False, language=page_language())
    return render(request, "surveys/public_response.html", context)


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


def _require_secretariat(request: HttpRequest) -> None:
    if not is_secretariat(request.user):
        raise PermissionDenied(_("Only the International Bureau (secretariat) can open this page."))


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    rounds = selectors.rounds_overview()
    return render(request, "surveys/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = round_create(
                edition=data["edition"],
                title=data["title"],
                slug=data["slug"],
                year=data["year"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                office_codes=form.office_codes(),
                user=request.user,
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            invited = survey_round.invitations.count()
            messages.success(
                request,
                ngettext(
                    "Round “%(title)s” opened for %(count)s office.",
                    "Round “%(title)s” opened for %(count)s offices.",
                    invited,
                )
                % {"title": survey_round.title, "count": invited},
            )
            return redirect("surveys:round_dashboard", slug=survey_round.slug)
    return render(request, "surveys/round_form.html", {"form": form})


@login_required
def round_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    _require_secretariat(request)
    survey_round = get_object_or_404(SurveyRound.objects.select_related("edition"), slug=slug)
    state, search = request.GET.get("state", ""), request.GET.get("q", "")
    data = selectors.round_dashboard(survey_round, state=state, search=search)
    if request.GET.get("format") == "csv":
        return _csv_response(f"{survey_round.slug}-status.csv", selectors.round_dashboard_csv_rows(data["rows"]))
    return render(
        request,
        "surveys/round_dashboard.html",
        {"round": survey_round, "state": state, "q": search, **data},
    )


def _csv_response(filename: str, rows) -> HttpResponse:
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(row)
    return response


@login_required
@require_POST
def round_remind(request: HttpRequest, slug: str) -> HttpResponse:
    _require_secretariat(request)
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    codes = request.POST.getlist("office") or None
    try:
        sent = round_send_reminders(survey_round=survey_round, user=request.user, office_codes=codes)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext("Reminder sent to %(count)s office.", "Reminder sent to %(count)s offices.", sent)
            % {"count": sent},
        )
    return redirect("surveys:round_dashboard", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            question_comments = {
                key.removeprefix("comment."): value
                for key, value in request.POST.items()
                if key.startswith("comment.") and value.strip()
            }
            kwargs = {"comment": form.cleaned_data["comment"] or ""} if action in ("return", "accept", "reopen") else {}
            if action == "return":
                kwargs["question_comments"] = question_comments
            try:
                WORKFLOW_ACTIONS[action](
                    response=response, user=request.user, expected_version=form.cleaned_data["version"], **kwargs
                )
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except WorkflowError as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, ResponseConflict) else 400
            else:
                messages.success(request, f"{response.public_key}: {status_label(response.status).lower()}.")
                return redirect("surveys:response_review", pk=response.pk)
        else:
            messages.error(request, _("Choose a review action."))
            status = 400
    context = selectors.review_context(response, request.user, language=page_language())
    return render(request, "surveys/response_review.html", context, status=status)


@login_required
def response_history(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
    context = selectors.history_context(response, request.GET.get("a"), request.GET.get("b"), language=page_language())
    return render(request, "surveys/response_history.html", context)


@login_required
@require_POST
def response_comment(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.visible_response(request.user, pk)
    if response is None:
        raise Http404(_("No such response."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(
                response=response,
                user=request.user,
                body=form.cleaned_data["body"],
                question_id=form.cleaned_data["question_id"] or "",
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment is empty."))
    target = "surveys:response_review" if is_secretariat(request.user) else "surveys:response_detail"
    return redirect(target, pk=response.pk)
