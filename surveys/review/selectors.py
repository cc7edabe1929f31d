"""Read-only queries of the review: a round's progress, who has not answered, rounds with
their counts, the state an office was asked to change."""

from __future__ import annotations

from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from standards.models import Office
from surveys.models import Invitation, ResponseEvent, ResponseRevision, ResponseStatus, SurveyResponse, SurveyRound
from surveys.responses.selectors import UNLISTED

# The states in which an office has handed a response in.
HANDED_IN = ("submitted", "accepted", "published")


def offices_waiting(survey_round: SurveyRound) -> list[str]:
    """Invited offices with no response yet, or with a response not yet handed in."""
    invited = set(survey_round.invitations.values_list("office_id", flat=True))
    handed_in = set(HANDED_IN)
    statuses: dict[str, set[str]] = {}
    for office_id, status in SurveyResponse.objects.filter(round=survey_round).values_list("office_id", "status"):
        statuses.setdefault(office_id, set()).add(status)
    return sorted(code for code in invited if not statuses.get(code) or not statuses[code] <= handed_in)


def _offices_in_round(survey_round: SurveyRound) -> QuerySet[Office]:
    """Offices joined to their invitation to the round and to each of their responses in it
    (one row per response, or one row with no response)."""
    return Office.objects.annotate(
        invitation=FilteredRelation("invitations", condition=Q(invitations__round=survey_round)),
        response=FilteredRelation("responses", condition=Q(responses__round=survey_round)),
    )


# What tells two rows of round_rows apart (an office is listed once per response).
ROW_KEY = ("code", "response__id")


def round_rows(survey_round: SurveyRound) -> QuerySet[Office]:
    """The round's dashboard rows, one query whatever the number of offices: an invited
    office once per response it has in the round, or once "not started", carrying
    ``invitation`` and ``response`` (see ``row_response``)."""
    return (
        _offices_in_round(survey_round)
        .filter(invitation__isnull=False)
        .select_related("invitation", "response", "response__numbering_system")
        .defer(*(f"response__{field}" for field in UNLISTED))
        # By office code as the invitation names it (the same order as by the office's
        # own code): the invitations of the round are read in that order from their unique
        # index, each office's responses in number order from theirs, and the database
        # stops after the page instead of sorting the whole round.
        .order_by("invitation__office_id", "response__sequence", "response__id")
    )


def row_response(row: Office) -> SurveyResponse | None:
    # A row without a response has no ``response`` attribute at all (Django sets a
    # filtered reverse relation only when the join found a row).
    return getattr(row, "response", None)


class _CountOf(Subquery):
    """The number of rows of a queryset, as a subquery (not correlated to the outer query)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, rows: QuerySet) -> None:
        # Only that the row is there: the database may count from an index alone.
        super().__init__(rows.order_by().values(one=Value(1)))


def round_counts(survey_round: SurveyRound) -> dict[str, int]:
    """How the round stands, in two queries: rows per state ("not_started" and each status)
    among invited offices, offices invited, and offices that handed in a response.

    The rows per state are counted in one pass over the invited offices' responses, read
    from an index alone (``response_round_office_status``: round, office, status); the
    offices are counted apart, each once, rather than as distinct values over every
    response of the round."""
    rows = _offices_in_round(survey_round).filter(invitation__isnull=False)
    counts = rows.aggregate(
        not_started=Count("code", filter=Q(response__status__isnull=True)),
        **{status: Count("response__status", filter=Q(response__status=status)) for status in ResponseStatus.values},
    )
    handed_in = SurveyResponse.objects.filter(round=survey_round, office=OuterRef("pk"), status__in=HANDED_IN)
    offices = SurveyRound.objects.filter(pk=survey_round.pk).values(
        offices_invited=_CountOf(Invitation.objects.filter(round=survey_round)),
        offices_answered=_CountOf(Office.objects.filter(Exists(handed_in))),
    )
    return {**counts, **offices.get()}


def _count_of(rows: QuerySet) -> Subquery:
    """The number of ``rows`` (correlated to the outer round by the caller), as a subquery."""
    return Subquery(rows.order_by().values("round").annotate(n=Count("pk")).values("n")[:1])


def rounds_overview() -> QuerySet[SurveyRound]:
    """Rounds with their counts of invited offices and responses (one query): each count a
    subquery on the round's own rows, so a page of rounds counts only its rounds' rows and
    never joins invitations to responses."""
    responses = SurveyResponse.objects.filter(round=OuterRef("pk"))
    return (
        SurveyRound.objects.select_related("edition")
        .annotate(
            offices=Coalesce(_count_of(Invitation.objects.filter(round=OuterRef("pk"))), 0),
            responses_count=Coalesce(_count_of(responses), 0),
            handed_in=Coalesce(_count_of(responses.filter(status__in=HANDED_IN)), 0),
        )
        .defer("edition__definition")
        .order_by("-opens_on", "slug")
    )


def revision_at_last_return(response: SurveyResponse) -> ResponseRevision | None:
    """The state the office was asked to change: the last revision taken when it was returned."""
    returned_at = (
        ResponseEvent.objects.filter(response=response, action__in=["return", "reopen"])
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if returned_at is None:
        return None
    return ResponseRevision.objects.filter(response=response, version=returned_at).first()
