"""Who may read what through the API: the scopes of surveys/permissions.py, as on the web
pages. Changes are never decided here: every write goes through the services, which
check the user again and raise NotAllowed.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from surveys.models import NumberingSystem, SurveyResponse, SurveyRound
from surveys.permissions import may

AnyUser = User | AnonymousUser


def readable_responses(user: AnyUser) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.readable_by(user)


def readable_rounds(user: AnyUser) -> QuerySet[SurveyRound]:
    return SurveyRound.objects.readable_by(user)


def readable_numbering_systems(user: AnyUser) -> QuerySet[NumberingSystem]:
    return NumberingSystem.objects.readable_by(user)


def is_office_member(user: AnyUser, response: SurveyResponse) -> bool:
    return may(user, "surveys.view_set_aside_answers", response)


def reads_privately(user: AnyUser, response: SurveyResponse) -> bool:
    return may(user, "surveys.view_private_surveyresponse", response)
