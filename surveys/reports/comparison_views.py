"""The page comparing a round with the previous round, question by question (thin: fetch →
comparison → render). Across a revision of the questionnaire it compares through the
mapping (surveys/reports/comparison.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from surveys.models import SurveyRound
from surveys.reports import tables
from surveys.reports.comparison import compare_rounds, comparison_rows, previous_round
from surveys.reports.views import report_language


def round_comparison(request: HttpRequest, round_slug: str) -> HttpResponse:
    survey_round = get_object_or_404(SurveyRound.objects.select_related("edition"), slug=round_slug)
    # The same figures as the round's report for this reader (published ones for the public).
    scope = tables.report_scope(request.user)
    earlier = previous_round(survey_round)
    comparison = compare_rounds(earlier, survey_round, scope=scope) if earlier is not None else None
    language = report_language()
    context = {
        "survey_round": survey_round,
        "previous": earlier,
        "comparison": comparison,
        "rows": comparison_rows(comparison, language) if comparison is not None else [],
        "scope_label": tables.SCOPE_LABELS[scope],
    }
    return render(request, "surveys/reports/round_comparison.html", context)
