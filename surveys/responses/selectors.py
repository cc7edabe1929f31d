"""Read-only queries about responses, shared by the pages, the API and the reports.

They return querysets, rows and counts; pages are assembled by the presenters.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from surveys.models import NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from surveys.pagination import PER_PAGE
from surveys.permissions import may, office_of

# What no list shows of a response: left in the database rather than read and decoded for
# every row of a page (a response's answers are the bulk of its row).
UNLISTED = ("answers", "set_aside_answers", "confirmed_sections", "carried_answers", "not_carried_answers")


def office_dashboard(user: User, page_number: object = None) -> dict:
    """The signed-in office's numbering systems, a page of them, each with its responses (a
    fixed number of queries whatever the number of systems and responses)."""
    office = office_of(user)
    if office is None:
        return {"office": None, "systems": [], "rounds": []}
    responses = (
        SurveyResponse.objects.select_related("round", "updated_by").defer(*UNLISTED).order_by("-round__opens_on", "pk")
    )
    systems = (
        NumberingSystem.objects.filter(office=office)
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("created_at", "id")
    )
    page = Paginator(systems, PER_PAGE).get_page(page_number)
    rounds = list(SurveyRound.objects.open().filter(invitations__office=office).select_related("edition"))
    rows = []
    for system in page.object_list:
        by_round = {r.round_id: r for r in system.responses.all()}
        rows.append(
            {
                "system": system,
                "responses": list(system.responses.all()),
                "open_rounds": [(rnd, by_round.get(rnd.pk)) for rnd in rounds],
            }
        )
    return {"office": office, "systems": rows, "rounds": rounds, "page": page}


def every_response(user: User, search: str = "", status: str = "") -> QuerySet[SurveyResponse]:
    """The responses the user may read, of every office (the secretariat's list), filtered by
    office or numbering system (see ``matching``) and by status in the database."""
    responses = matching(SurveyResponse.objects.readable_by(user).for_listing().defer(*UNLISTED), search)
    if status in ResponseStatus.values:
        responses = responses.filter(status=status)
    return responses.order_by("office_id", "sequence", "-round__opens_on", "pk")


# m in "Response n of m" is what the public may know: the highest number among an
# office's published responses of the round (and the placeholders of responses a
# published page names). A response keeps its number n for good; starting, saving or
# deleting a draft changes no published heading and tells the public nothing. Moldova's
# md-002 reads "Response 2 of 2" while its response 1 is a draft, as it was published.


def response_totals(survey_round: SurveyRound) -> dict[str, int]:
    """m in "Response n of m" per office of a round (offices with nothing public left out)."""
    rows = (
        SurveyResponse.objects.filter(round=survey_round)
        .publicly_numbered()
        .values("office_id")
        .annotate(m=Max("sequence"))
    )
    return {row["office_id"]: row["m"] for row in rows}


def response_count_for_office(response: SurveyResponse) -> int:
    """m in "Response n of m" for this response (never less than its own n)."""
    public = (
        SurveyResponse.objects.filter(round_id=response.round_id, office_id=response.office_id)
        .publicly_numbered()
        .aggregate(m=Max("sequence"))["m"]
    )
    return max(public or 0, response.sequence)


def public_response(edition_slug: str, office_code: str, sequence: int) -> SurveyResponse | None:
    """The public response with that key, from the latest round of the edition that has one."""
    return (
        SurveyResponse.objects.public()
        .with_related()
        .filter(round__edition__slug=edition_slug, office_id=office_code.upper(), sequence=sequence)
        .order_by("-round__opens_on")
        .first()
    )


def public_responses(edition_slug: str | None = None, search: str = ""):
    """Published responses (of an edition), by office and number, whose office or numbering
    system matches ``search`` (see ``matching``), in an order without ties so that pages never
    overlap. The database reads them in that order from the index ``response_status_listing``
    and stops after the page."""
    qs = matching(SurveyResponse.objects.public().for_listing().defer(*UNLISTED), search).order_by(
        "office_id", "sequence", "-round__opens_on", "pk"
    )
    if edition_slug:
        qs = qs.filter(round__edition__slug=edition_slug)
    return qs


def public_responses_to_count(edition_slug: str | None = None, search: str = "") -> QuerySet[SurveyResponse]:
    """As many rows as ``public_responses`` (the same filters), for counting them: the
    edition's rounds as a list of IDs, so that the database counts the published responses
    of each round in the index ``response_status_round`` with no join per response. (The
    page itself keeps the join: given the list, a database would read the rounds first and
    sort every published response to find the page.)"""
    qs = matching(SurveyResponse.objects.public(), search)
    if edition_slug:
        qs = qs.filter(round__in=SurveyRound.objects.filter(edition__slug=edition_slug).values("pk"))
    return qs


def rounds_with_public_responses(edition_slug: str) -> QuerySet[SurveyRound]:
    """The rounds of an edition that have a published response (each has its report)."""
    public = SurveyResponse.objects.public().filter(round=OuterRef("pk"))
    return SurveyRound.objects.filter(edition__slug=edition_slug).filter(Exists(public)).order_by("opens_on", "slug")


def matching(responses: QuerySet[SurveyResponse], search: str) -> QuerySet[SurveyResponse]:
    """The responses whose office's ST.3 code is ``search`` (whole), or whose office name or
    numbering system label contains it, whatever the letter case; all for an empty search.
    Filtered by the database."""
    text = (search or "").strip()
    if not text:
        return responses
    if "\x00" in text:
        # No stored text holds a NUL character, and PostgreSQL refuses one in a query.
        return responses.none()
    condition = Q(office__name__icontains=text) | Q(numbering_system__label__icontains=text)
    if len(text) == 2 and text.isascii():
        condition |= Q(office_id=text.upper())
    return responses.filter(condition)


# Suggestions offered at once by the checker's search for a published numbering system.
SYSTEM_SUGGESTIONS = 20


def published_systems() -> QuerySet[SurveyResponse]:
    """The published responses whose numbering system the ST.13 checker can read numbers
    against, by office, system and latest round first."""
    return (
        SurveyResponse.objects.public()
        .select_related("round", "office", "numbering_system")
        .order_by("office_id", "numbering_system__label", "-round__year", "pk")
    )


def search_published_systems(search: str, limit: int = SYSTEM_SUGGESTIONS) -> list[SurveyResponse]:
    """At most ``limit`` published numbering systems matching ``search`` (one query); none
    for an empty search: the whole list is never read."""
    text = (search or "").strip()
    if not text:
        return []
    found = matching(published_systems(), text)
    if len(text) == 2 and text.isascii():
        # The office whose ST.3 code was typed comes before offices with those letters in their name.
        code_first = Case(When(office_id=text.upper(), then=Value(0)), default=Value(1))
        found = found.order_by(code_first, *found.query.order_by)
    return list(found[:limit])


def get_response_for_user_or_404(
    user: User | AnonymousUser,
    pk: object,
    perm: str = "surveys.view_surveyresponse",
    *,
    queryset: QuerySet[SurveyResponse] | None = None,
) -> SurveyResponse:
    """The response with that key among those the user may read, if the user may ``perm``
    (surveys/permissions.py) on it; else Http404, which does not tell whether it exists.

    ``queryset`` gives the related rows to fetch with it (by default those of a page)."""
    responses = SurveyResponse.objects.with_related() if queryset is None else queryset
    try:
        response = responses.readable_by(user).filter(pk=pk).first()
    except (TypeError, ValueError, ValidationError):
        response = None
    if response is None or not may(user, perm, response):
        raise Http404(_("No such response."))
    return response


def comments_by_question(response: SurveyResponse) -> dict[str, list]:
    result: dict[str, list] = {}
    for comment in response.comments.select_related("author"):
        result.setdefault(comment.question_id, []).append(comment)
    return result


def last_hand_over(response: SurveyResponse):
    """The latest step of the office's hand-over (marked ready, handed back), with its
    author, or None (one query)."""
    steps = response.events.filter(action__in=["ready", "hand_back"]).select_related("actor")
    return steps.order_by("-created_at", "-id").first()


def rounds_to_translate(user: User) -> QuerySet[SurveyRound]:
    """The rounds whose texts a translator edits (those the user may read), latest first."""
    return (
        SurveyRound.objects.readable_by(user)
        .select_related("edition")
        .defer("edition__definition")
        .order_by("-opens_on", "slug")
    )
