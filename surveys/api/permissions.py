"""Who may read what through the API: the same scopes as the web pages.

The secretariat reads everything; an office reads its own rounds, numbering systems
and responses; everyone (signed in or not) reads what has been published. Changes are
never decided here: every write goes through the services, which check the user again
and raise NotAllowed, so a scope that is too wide can at worst show a 403 instead of a
404, never let a change through.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from surveys.models import (
    PUBLIC_STATUSES,
    Invitation,
    NumberingSystem,
    SurveyResponse,
    SurveyRound,
    is_secretariat,
    office_of,
)

AnyUser = User | AnonymousUser


def readable_responses(user: AnyUser) -> QuerySet[SurveyResponse]:
    """The responses a user may read: the office's own (all of them for the secretariat),
    and every published one, as on the public pages."""
    if is_secretariat(user):
        return SurveyResponse.objects.all()
    scope = Q(status__in=PUBLIC_STATUSES)
    office = office_of(user)
    if office is not None:
        scope |= Q(office=office)
    return SurveyResponse.objects.filter(scope)


def readable_rounds(user: AnyUser) -> QuerySet[SurveyRound]:
    """Rounds the office is invited to, and rounds with published responses."""
    if is_secretariat(user):
        return SurveyRound.objects.all()
    published = SurveyResponse.objects.filter(round=OuterRef("pk"), status__in=PUBLIC_STATUSES)
    scope = Q(Exists(published))
    office = office_of(user)
    if office is not None:
        scope |= Q(Exists(Invitation.objects.filter(round=OuterRef("pk"), office=office)))
    return SurveyRound.objects.filter(scope)


def readable_numbering_systems(user: AnyUser) -> QuerySet[NumberingSystem]:
    """The office's own systems, and the systems of published responses (their labels are
    on the public response pages)."""
    if is_secretariat(user):
        return NumberingSystem.objects.all()
    published = SurveyResponse.objects.filter(numbering_system=OuterRef("pk"), status__in=PUBLIC_STATUSES)
    scope = Q(Exists(published))
    office = office_of(user)
    if office is not None:
        scope |= Q(office=office)
    return NumberingSystem.objects.filter(scope)


def is_office_member(user: AnyUser, response: SurveyResponse) -> bool:
    """A member of the response's office (the office_id comparison needs no query)."""
    office = office_of(user)
    return office is not None and office.pk == response.office_id


def reads_privately(user: AnyUser, response: SurveyResponse) -> bool:
    """Whether the user sees a response as its office or the secretariat does (review
    comments, answers set aside), rather than as the public sees a published one."""
    return is_secretariat(user) or is_office_member(user, response)
