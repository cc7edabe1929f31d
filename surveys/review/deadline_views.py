"""The secretariat's pages about a round's deadline: closing the round (after asking),
opening it again, and the days at which offices are reminded. Thin: scoped fetch →
parse → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys.errors import NotAllowed, WorkflowError
from surveys.models import SurveyRound
from surveys.review.forms import ReminderScheduleForm
from surveys.review.round_pages import refuse_unless as _refuse_unless
from surveys.review.round_pages import round_settings_page
from surveys.review.rounds import round_close, round_reopen, round_set_reminder_schedule
from surveys.review.selectors import offices_waiting


def _close_or_reopen(request: HttpRequest, slug: str, *, closing: bool) -> HttpResponse:
    _refuse_unless(request, "surveys.close_surveyround")
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    if request.method == "POST":
        try:
            (round_close if closing else round_reopen)(survey_round=survey_round, user=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            done = (
                _("The round “%(round)s” is closed: offices can no longer change or submit their responses.")
                if closing
                else _("The round “%(round)s” is open again: offices can change and submit their responses.")
            )
            messages.success(request, done % {"round": survey_round.local_title})
        return redirect("surveys:round_dashboard", slug=slug)
    return render(
        request,
        "surveys/round_close.html",
        {"round": survey_round, "closing": closing, "waiting": len(offices_waiting(survey_round))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation; POST closes the round."""
    return _close_or_reopen(request, slug, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def round_reopen_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation; POST opens the round again."""
    return _close_or_reopen(request, slug, closing=False)


@login_required
@require_http_methods(["GET", "POST"])
def round_reminder_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """The days before and after the deadline at which offices are reminded automatically."""
    _refuse_unless(request, "surveys.open_surveyround")
    survey_round = get_object_or_404(SurveyRound, slug=slug)
    return round_settings_page(
        request,
        survey_round,
        form_class=ReminderScheduleForm,
        save=round_set_reminder_schedule,
        done=_("The reminder schedule is saved."),
        done_url=reverse("surveys:round_dashboard", args=[slug]),
        template="surveys/round_reminder_schedule.html",
    )
