"""The secretariat's pages: survey rounds, their dashboard and reminders, the review of a
response, comments. Thin: scoped fetch → parse → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from surveys.errors import NotAllowed, ResponseConflict, WorkflowError
from surveys.models import SurveyRound
from surveys.pagination import paginated
from surveys.permissions import may
from surveys.responses.display import status_label
from surveys.responses.presenters import page_language
from surveys.responses.selectors import get_response_for_user_or_404
from surveys.review import presenters
from surveys.review.filters import RoundDashboardFilter
from surveys.review.forms import CommentForm, PresentationForm, ReviewForm, RoundForm, RoundTextsForm
from surveys.review.reminders import recent_reminders
from surveys.review.round_pages import refuse_unless as _refuse_unless
from surveys.review.round_pages import round_settings_page
from surveys.review.rounds import round_create, round_record_presentation, round_send_reminders, round_texts_update
from surveys.review.selectors import ROW_KEY, round_counts, round_rows, rounds_overview
from surveys.review.workflow import WORKFLOW_ACTIONS, comment_add
from surveys.table_files import csv_download


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, "surveys.view_round_dashboard")
    return render(request, "surveys/round_list.html", paginated(request, rounds_overview()))


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, "surveys.open_surveyround")
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
                cws_session=data["cws_session"],
                presented_on=data["presented_on"],
                reminder_days_before=data["reminder_days_before"],
                reminder_days_after=data["reminder_days_after"],
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
                % {"title": survey_round.local_title, "count": invited},
            )
            return redirect("surveys:round_invitations", slug=survey_round.slug)
    return render(request, "surveys/round_form.html", {"form": form})


@login_required
def round_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    _refuse_unless(request, "surveys.view_round_dashboard")
    survey_round = get_object_or_404(SurveyRound.objects.select_related("edition"), slug=slug)
    filtered = RoundDashboardFilter(request.GET, queryset=round_rows(survey_round))
    rows = filtered.qs
    if request.GET.get("format") == "csv":
        return csv_download(presenters.round_dashboard_csv_rows(rows), f"{survey_round.slug}-status.csv")
    state, search = request.GET.get("state", ""), request.GET.get("q", "")
    # Only the rows of the page are read; the counts per state come from the indexes, and
    # give the number of rows of the list unless it is searched.
    counts = round_counts(survey_round)
    pages = paginated(request, rows, count_by=ROW_KEY, count=filtered.rows_counted(counts))
    data = presenters.round_dashboard(survey_round, pages["page"].object_list, counts)
    reminders, reminders_total = recent_reminders(survey_round)
    return render(
        request,
        "surveys/round_dashboard.html",
        {
            "round": survey_round,
            "state": state,
            "q": search,
            "reminders": reminders,
            "reminders_total": reminders_total,
            **data,
            **pages,
        },
    )


@login_required
@require_POST
def round_remind(request: HttpRequest, slug: str) -> HttpResponse:
    _refuse_unless(request, "surveys.remind_offices")
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
def round_presentation(request: HttpRequest, slug: str) -> HttpResponse:
    """The CWS session the round's results were presented to, and the day."""
    _refuse_unless(request, "surveys.open_surveyround")
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    return round_settings_page(
        request,
        survey_round,
        form_class=PresentationForm,
        save=round_record_presentation,
        done=_("The presentation of the results to the CWS is recorded."),
        done_url=reverse("surveys:round_dashboard", args=[slug]),
        template="surveys/round_presentation.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_texts(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's title in French and Spanish: the translators' page (and the secretariat's)."""
    if not may(request.user, "surveys.translate_texts"):
        raise PermissionDenied(_("Only a translator or the International Bureau (secretariat) can open this page."))
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    if may(request.user, "surveys.view_round_dashboard"):
        back_url = reverse("surveys:round_dashboard", args=[slug])
    else:
        back_url = reverse("surveys:dashboard")
    return round_settings_page(
        request,
        survey_round,
        form_class=RoundTextsForm,
        save=round_texts_update,
        done=_("The round's texts are saved."),
        done_url=reverse("surveys:round_texts", args=[slug]),
        template="surveys/round_texts.html",
        context={"back_url": back_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, "surveys.review_surveyresponse")
    response = get_response_for_user_or_404(request.user, pk, "surveys.review_surveyresponse")
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
    context = presenters.review_page(response, request.user, language=page_language())
    return render(request, "surveys/response_review.html", context, status=status)


@login_required
@require_POST
def response_comment(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for_user_or_404(request.user, pk, "surveys.view_private_surveyresponse")
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
    may_review = may(request.user, "surveys.review_surveyresponse", response)
    target = "surveys:response_review" if may_review else "surveys:response_detail"
    return redirect(target, pk=response.pk)
