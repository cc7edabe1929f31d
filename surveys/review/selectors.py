"""Read-only queries of the review: a round's progress, who has not answered, rounds with
their counts, the state an office was asked to change."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from surveys.models import ResponseEvent, ResponseRevision, SurveyResponse, SurveyRound

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


@dataclass
class RoundProgress:
    """Where a round stands: one row per invited office and numbering system (a row "not
    started" for an office with no response), and how many offices answered."""

    rows: list[dict]
    offices_invited: int
    offices_answered: int


def round_progress(survey_round: SurveyRound) -> RoundProgress:
    """The round's rows, in a fixed number of queries whatever the number of offices."""
    invitations = list(survey_round.invitations.select_related("office").order_by("office_id"))
    responses = list(
        SurveyResponse.objects.filter(round=survey_round)
        .select_related("numbering_system", "updated_by")
        .order_by("office_id", "sequence")
    )
    by_office: dict[str, list[SurveyResponse]] = {}
    for response in responses:
        by_office.setdefault(response.office_id, []).append(response)
    rows = []
    for invitation in invitations:
        office_responses = by_office.get(invitation.office_id, [])
        for response in office_responses or [None]:
            rows.append(
                {
                    "office": invitation.office,
                    "invitation": invitation,
                    "response": response,
                    "state": response.status if response else "not_started",
                    "system": response.numbering_system.label if response else "",
                    "total": len(office_responses),
                    "last_change": response.updated_at if response else None,
                }
            )
    return RoundProgress(
        rows=rows,
        offices_invited=len(invitations),
        offices_answered=len({r.office_id for r in responses if r.status in HANDED_IN}),
    )


def rounds_overview() -> QuerySet[SurveyRound]:
    """Rounds with their counts of invited offices and responses (two aggregate joins, one query)."""
    return (
        SurveyRound.objects.select_related("edition")
        .annotate(
            offices=Count("invitations", distinct=True),
            responses_count=Count("responses", distinct=True),
            handed_in=Count("responses", filter=Q(responses__status__in=HANDED_IN), distinct=True),
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
