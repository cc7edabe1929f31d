"""Read-only queries shared by views, the API and reports."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.models import NumberingSystem, Response, SurveyRound, office_of


def office_dashboard(user: User) -> dict:
    """The signed-in office's numbering systems, each with its responses (a fixed number of queries)."""
    office = office_of(user)
    if office is None:
        return {"office": None, "systems": [], "rounds": []}
    responses = Response.objects.select_related("round", "updated_by").order_by("-round__opens_on")
    systems = (
        NumberingSystem.objects.filter(office=office)
        .prefetch_related(Prefetch("responses", queryset=responses))
        .order_by("created_at", "id")
    )
    rounds = list(SurveyRound.objects.open().filter(invitations__office=office).select_related("edition"))
    rows = []
    for system in systems:
        by_round = {r.round_id: r for r in system.responses.all()}
        rows.append(
            {
                "system": system,
                "responses": list(system.responses.all()),
                "open_rounds": [(rnd, by_round.get(rnd.pk)) for rnd in rounds],
            }
        )
    return {"office": office, "systems": rows, "rounds": rounds}


def response_totals(survey_round: SurveyRound) -> dict[str, int]:
    """Responses per office in a round: m in "Response n of m"."""
    rows = Response.objects.filter(round=survey_round).values("office_id").annotate(n=Count("id"))
    return {row["office_id"]: row["n"] for row in rows}


def response_count_for_office(response: Response) -> int:
    return Response.objects.filter(round_id=response.round_id, office_id=response.office_id).count()


def public_response(edition_slug: str, office_code: str, sequence: int) -> Response | None:
    """The public response with that key, from the latest round of the edition that has one."""
    return (
        Response.objects.public()
        .with_related()
        .filter(round__edition__slug=edition_slug, office_id=office_code.upper(), sequence=sequence)
        .order_by("-round__opens_on")
        .first()
    )


def public_responses(edition_slug: str | None = None):
    qs = Response.objects.public().for_listing().order_by("office_id", "sequence")
    if edition_slug:
        qs = qs.filter(round__edition__slug=edition_slug)
    return qs


def visible_response(user: User, pk: int) -> Response | None:
    return Response.objects.visible_to(user).with_related().filter(pk=pk).first()


# --- round dashboard ------------------------------------------------------------------

DASHBOARD_STATES = ("not_started", "draft", "submitted", "returned", "accepted", "published")
STATE_LABELS = {
    "not_started": _("Not started"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "published": _("Published"),
}


def offices_waiting(survey_round: SurveyRound) -> list[str]:
    """Invited offices with no response yet, or with a response not yet handed in."""
    invited = set(survey_round.invitations.values_list("office_id", flat=True))
    handed_in = {"submitted", "accepted", "published"}
    statuses: dict[str, set[str]] = {}
    for office_id, status in Response.objects.filter(round=survey_round).values_list("office_id", "status"):
        statuses.setdefault(office_id, set()).add(status)
    return sorted(code for code in invited if not statuses.get(code) or not statuses[code] <= handed_in)


def round_dashboard(survey_round: SurveyRound, *, state: str = "", search: str = "") -> dict:
    """One row per invited office and numbering system (a row "not started" for an office
    with no response), the counts per state, in a fixed number of queries."""
    invitations = list(survey_round.invitations.select_related("office").order_by("office_id"))
    responses = list(
        Response.objects.filter(round=survey_round)
        .select_related("numbering_system", "updated_by")
        .order_by("office_id", "sequence")
    )
    by_office: dict[str, list[Response]] = {}
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
    counts = dict.fromkeys(DASHBOARD_STATES, 0)
    for row in rows:
        counts[row["state"]] += 1
    shown = rows
    if state in counts:
        shown = [r for r in shown if r["state"] == state]
    if search.strip():
        needle = search.strip().lower()
        shown = [
            r
            for r in shown
            if needle == r["office"].code.lower() or needle in r["office"].name.lower() or needle in r["system"].lower()
        ]
    return {
        "rows": shown,
        "all_rows": len(rows),
        "counts": [(s, str(STATE_LABELS[s]), counts[s]) for s in DASHBOARD_STATES],
        "offices_invited": len(invitations),
        "offices_answered": len({r.office_id for r in responses if r.status in ("submitted", "accepted", "published")}),
    }


def rounds_overview():
    """Rounds with their counts of invited offices and responses (two aggregate joins, one query)."""
    return (
        SurveyRound.objects.select_related("edition")
        .annotate(
            offices=Count("invitations", distinct=True),
            responses_count=Count("responses", distinct=True),
            handed_in=Count(
                "responses", filter=Q(responses__status__in=["submitted", "accepted", "published"]), distinct=True
            ),
        )
        .defer("edition__definition")
        .order_by("-opens_on", "slug")
    )


def round_dashboard_csv_rows(rows: list[dict]):
    yield [
        gettext("ST.3 code"),
        gettext("Office"),
        gettext("Numbering system"),
        gettext("Response"),
        gettext("State"),
        gettext("Last change (UTC)"),
        gettext("Reminders sent"),
    ]
    for row in rows:
        response = row["response"]
        yield [
            row["office"].code,
            row["office"].name,
            row["system"],
            response.public_key if response else "",
            str(STATE_LABELS[row["state"]]),
            response.updated_at.strftime("%Y-%m-%d %H:%M") if response else "",
            row["invitation"].reminders_sent,
        ]


def comments_by_question(response: Response) -> dict[str, list]:
    result: dict[str, list] = {}
    for comment in response.comments.select_related("author"):
        result.setdefault(comment.question_id, []).append(comment)
    return result


def _revision_at_last_return(response: Response):
    """The state the office was asked to change: the last revision taken when it was returned."""
    from surveys.models import ResponseEvent, ResponseRevision

    returned_at = (
        ResponseEvent.objects.filter(response=response, action__in=["return", "reopen"])
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if returned_at is None:
        return None
    return ResponseRevision.objects.filter(response=response, version=returned_at).first()


def review_context(response: Response, user: User, *, language: str = "en") -> dict:
    from surveys.compliance import compliance_for_answers, example_checks
    from surveys.diff import compare
    from surveys.presenters import response_document
    from surveys.questionnaire.engine import evaluate
    from surveys.review.workflow import allowed_actions

    edition = response.round.edition.structure
    evaluation = evaluate(edition, response.answers)
    comments = comments_by_question(response)
    returned = _revision_at_last_return(response)
    since_return = (
        compare(
            edition,
            returned.answers,
            returned.stashed_answers,
            response.answers,
            response.stashed_answers,
            language=language,
        )
        if returned
        else None
    )
    previous = response.prefilled_from
    since_last_round = (
        compare(
            edition,
            previous.answers,
            previous.stashed_answers,
            response.answers,
            response.stashed_answers,
            language=language,
        )
        if previous
        else None
    )
    return {
        "response": response,
        "edition": edition,
        "evaluation": evaluation,
        "document": response_document(
            edition,
            evaluation,
            include_not_applicable=True,
            attachments=list(response.attachments.all()),
            comments=comments,
            language=language,
        ),
        "general_comments": comments.get("", []),
        "compliance": compliance_for_answers(response.answers),
        "example_checks": example_checks(response.answers, response.office_id),
        "actions": allowed_actions(response, user),
        "since_return": since_return,
        "returned_revision": returned,
        "since_last_round": since_last_round,
        "previous": previous,
        "events": list(response.events.select_related("actor")),
        "total": response_count_for_office(response),
    }


def history_context(response: Response, a: str | None, b: str | None, *, language: str = "en") -> dict:
    from surveys.diff import compare

    revisions = list(response.revisions.select_related("author").order_by("version"))
    by_version = {r.version: r for r in revisions}

    def pick(raw: str | None, default):
        try:
            return by_version[int(raw)]
        except (TypeError, ValueError, KeyError):
            return default

    newest = revisions[-1] if revisions else None
    older = pick(a, revisions[-2] if len(revisions) > 1 else newest)
    newer = pick(b, newest)
    rows = (
        compare(
            response.round.edition.structure,
            older.answers,
            older.stashed_answers,
            newer.answers,
            newer.stashed_answers,
            language=language,
        )
        if older and newer
        else []
    )
    return {"response": response, "revisions": revisions, "older": older, "newer": newer, "rows": rows}
