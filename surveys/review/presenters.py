"""The secretariat's pages, assembled in Python: the round dashboard (and its CSV rows)
and the review page of a response."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext

from standards.models import Office
from surveys.accounts.selectors import contact_counts
from surveys.models import SurveyResponse, SurveyRound
from surveys.questionnaire.engine import evaluate
from surveys.responses import selectors as response_selectors
from surveys.responses.carried import previous_answers
from surveys.responses.compliance import compliance_for_answers, example_checks
from surveys.responses.diff import compare
from surveys.responses.display import status_label
from surveys.responses.presenters import response_document
from surveys.review import selectors
from surveys.review.workflow import allowed_actions

DASHBOARD_STATES = ("not_started", "draft", "submitted", "returned", "accepted", "published")


def dashboard_state_label(state: str) -> str:
    """An office's state in the round: "Not started", or the status of its response."""
    return gettext("Not started") if state == "not_started" else status_label(state)


def dashboard_row(row: Office) -> dict:
    """One row of the round dashboard (an office of ``selectors.round_rows``) as the page and
    the CSV show it."""
    response = selectors.row_response(row)
    return {
        "office": row,
        "invitation": row.invitation,
        "response": response,
        "state": response.status if response else "not_started",
        "system": response.numbering_system.label if response else "",
        "last_change": response.updated_at if response else None,
    }


def round_dashboard(survey_round: SurveyRound, rows: QuerySet[Office], counts: dict[str, int] | None = None) -> dict:
    """The round dashboard: the rows shown (filtered by the caller) and the counts per state
    (``selectors.round_counts``, read here unless the caller has them)."""
    counts = selectors.round_counts(survey_round) if counts is None else counts
    shown = [dashboard_row(row) for row in rows]
    return {
        "rows": shown,
        "contacts": office_contacts([row["office"] for row in shown]),
        "all_rows": sum(counts[s] for s in DASHBOARD_STATES),
        "counts": [(s, dashboard_state_label(s), counts[s]) for s in DASHBOARD_STATES],
        "offices_invited": counts["offices_invited"],
        "offices_answered": counts["offices_answered"],
    }


def office_contacts(offices: list[Office]) -> list[dict]:
    """The contacts of each office shown (once each, in their order): invited, accepted,
    and accepted but not signed in since (one query for the page)."""
    unique = list({office.code: office for office in offices}.values())
    counts = contact_counts([office.code for office in unique])
    return [{"office": office, **counts[office.code]} for office in unique]


def round_dashboard_csv_rows(rows: QuerySet[Office]) -> Iterator[list[str | int]]:
    yield [
        gettext("ST.3 code"),
        gettext("Office"),
        gettext("Numbering system"),
        gettext("Response"),
        gettext("State"),
        gettext("Last change (UTC)"),
        gettext("Reminders sent"),
    ]
    for office in rows.iterator():
        row = dashboard_row(office)
        response = row["response"]
        yield [
            row["office"].code,
            row["office"].name,
            row["system"],
            response.public_key if response else "",
            dashboard_state_label(row["state"]),
            response.updated_at.strftime("%Y-%m-%d %H:%M") if response else "",
            row["invitation"].reminders_sent,
        ]


def review_page(response: SurveyResponse, user: User, *, language: str = "en") -> dict:

    edition = response.round.edition.structure
    evaluation = evaluate(edition, response.answers)
    comments = response_selectors.comments_by_question(response)
    returned = selectors.revision_at_last_return(response)
    if returned is not None and returned.version >= response.version:
        returned = None  # nothing done since it was returned: no "version 8 → 8"
    since_return = (
        compare(
            edition,
            returned.answers,
            returned.set_aside_answers,
            response.answers,
            response.set_aside_answers,
            language=language,
        )
        if returned
        else None
    )
    previous = response.prefilled_from
    # Across a revision, the earlier answers as the revised questionnaire asks them.
    earlier = previous_answers(previous, response.round) if previous else None
    since_last_round = (
        compare(
            edition,
            *earlier,
            response.answers,
            response.set_aside_answers,
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
        "compliance": compliance_for_answers(response.answers, edition),
        "example_checks": example_checks(response.answers, response.office_id, edition),
        "actions": allowed_actions(response, user),
        "since_return": since_return,
        "returned_revision": returned,
        "since_last_round": since_last_round,
        "previous": previous,
        "events": list(response.events.select_related("actor")),
        "total": response_selectors.response_count_for_office(response),
    }
