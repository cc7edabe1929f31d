"""Survey rounds and review: the whole walk, who may do what, e-mails, next-round pre-fill."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from surveys.errors import NotAllowed, ResponseConflict, ResponseInvalid, WorkflowError
from surveys.models import Invitation, NumberingSystem, ResponseEvent, ReviewComment, SurveyResponse, SurveyRound
from surveys.responses.services import response_save_draft, response_start
from surveys.review.rounds import round_create
from surveys.review.workflow import WORKFLOW_ACTIONS, response_accept, response_reopen, response_return, response_submit
from tests.surveys.web_helpers import form_data, submit_through_form

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_whole_round(
    edition,
    office_a_respondent,
    office_a_approver,
    secretariat_reviewer,
    moldova_answers,
    django_capture_on_commit_callbacks,
):
    reviewer = logged_in(secretariat_reviewer)
    # The secretariat opens the round.
    page = reviewer.post(
        reverse("surveys:round_new"),
        {
            "edition": edition.pk,
            "title": "Application numbering 2027",
            "slug": "application-numbering-2027",
            "year": 2027,
            "opens_on": "2027-01-15",
            "closes_on": "2027-06-30",
            "offices": "md, EP  CN",
        },
    )
    survey_round = SurveyRound.objects.get(slug="application-numbering-2027")
    # … and is taken to the round's contacts, to invite them.
    assert page.status_code == 302 and page["Location"] == reverse(
        "surveys:round_invitations", args=[survey_round.slug]
    )
    assert sorted(survey_round.invitations.values_list("office_id", flat=True)) == ["CN", "EP", "MD"]

    # The office drafts (respondent) and submits (approver).
    system = NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    respondent = logged_in(office_a_respondent)
    page = respondent.post(reverse("surveys:response_start", args=[survey_round.slug, system.pk]))
    response = SurveyResponse.objects.get(round=survey_round)
    wrong = {**moldova_answers, "q4b": {"serial": 7}}
    respondent.post(reverse("surveys:response_edit", args=[response.pk]), form_data(edition, wrong, version=1))
    approver = logged_in(office_a_approver)
    with django_capture_on_commit_callbacks(execute=True):
        page = submit_through_form(approver, edition, response, wrong, version=2)
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == "submitted"
    assert [m.to for m in mail.outbox] == [[secretariat_reviewer.email]]

    # The reviewer returns it with a comment on q4b.
    with django_capture_on_commit_callbacks(execute=True):
        page = reviewer.post(
            reverse("surveys:response_review", args=[response.pk]),
            {
                "action": "return",
                "comment": "",
                "comment.q4b": "The example 030812 has 6 digits.",
                "version": response.version,
            },
        )
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == "returned"
    assert ReviewComment.objects.get(response=response).question_id == "q4b"
    assert sorted(mail.outbox[-1].to) == sorted([office_a_respondent.email, office_a_approver.email])

    # The office sees the comment beside q4b, fixes it and resubmits.
    page = respondent.get(reverse("surveys:response_edit", args=[response.pk]))
    content = page.content.decode()
    q4b_block = content[content.index('id="q-q4b"') : content.index('id="q-q4c"')]
    assert "The example 030812 has 6 digits." in q4b_block
    respondent.post(
        reverse("surveys:response_edit", args=[response.pk]),
        form_data(edition, moldova_answers, version=response.version),
    )
    response.refresh_from_db()
    submit_through_form(approver, edition, response, moldova_answers, version=response.version)
    response.refresh_from_db()
    assert response.status == "submitted"

    # The reviewer sees what changed since it was returned, then accepts and publishes.
    page = reviewer.get(reverse("surveys:response_review", args=[response.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Changed since it was returned" in content
    assert "Serial number: 7 characters" in content and "Serial number: 6 characters" in content
    for action in ("accept", "publish"):
        response.refresh_from_db()
        page = reviewer.post(
            reverse("surveys:response_review", args=[response.pk]), {"action": action, "version": response.version}
        )
        assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == "published" and response.published_at is not None
    assert list(response.events.values_list("action", flat=True)) == ["submit", "return", "submit", "accept", "publish"]

    # The public page shows it.
    public = Client().get("/surveys/application-numbering-2012/responses/md-001/")
    assert public.status_code == 200
    assert "Response 1 of 1 submitted by Republic of Moldova" in public.content.decode()


# action → (who may, states it needs)
@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        (p, a, ok)
        for a, allowed_personas in {
            "submit": {"office_a_approver"},
            "return": {"secretariat_reviewer"},
            "accept": {"secretariat_reviewer"},
            "publish": {"secretariat_reviewer"},
            "reopen": {"secretariat_reviewer"},
        }.items()
        for p in ("office_a_respondent", "office_a_approver", "office_b_respondent", "secretariat_reviewer")
        for ok in [p in allowed_personas]
    ],
)
def test_workflow_permission_matrix(request, persona, action, allowed, make_response, moldova_answers):
    user = request.getfixturevalue(persona)
    response = make_response(request.getfixturevalue("office_a_respondent"), moldova_answers)
    reviewer = request.getfixturevalue("secretariat_reviewer")
    approver = request.getfixturevalue("office_a_approver")
    # Bring the response into the state the action starts from.
    if action in ("return", "accept", "publish", "reopen"):
        response_submit(response=response, user=approver)
    if action in ("publish", "reopen"):
        response_accept(response=response, user=reviewer)
    before = (response.status, response.version, ResponseEvent.objects.count())
    kwargs = {"comment": "Please check."} if action in ("return", "reopen") else {}
    if allowed:
        WORKFLOW_ACTIONS[action](response=response, user=user, **kwargs)
        response.refresh_from_db()
        assert response.version == before[1] + 1
        assert ResponseEvent.objects.filter(response=response).last().actor == user
    else:
        with pytest.raises(NotAllowed):
            WORKFLOW_ACTIONS[action](response=response, user=user, **kwargs)
        response.refresh_from_db()
        assert (response.status, response.version, ResponseEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("office_a_respondent", 403),
        ("office_a_approver", 403),
        ("office_b_respondent", 403),
        ("secretariat_reviewer", 302),
    ],
)
def test_review_post_matrix(request, persona, expected, make_response, moldova_answers):
    response = make_response(request.getfixturevalue("office_a_respondent"), moldova_answers, submit=True)
    client = Client() if persona == "anonymous" else logged_in(request.getfixturevalue(persona))
    page = client.post(
        reverse("surveys:response_review", args=[response.pk]), {"action": "accept", "version": response.version}
    )
    assert page.status_code == expected
    response.refresh_from_db()
    assert response.status == ("accepted" if persona == "secretariat_reviewer" else "submitted")
    if persona == "anonymous":
        assert page["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["round_list", "round_new"])
@pytest.mark.parametrize(
    ("persona", "expected"), [("office_a_approver", 403), ("office_b_respondent", 403), ("secretariat_reviewer", 200)]
)
def test_round_pages_are_for_the_secretariat(request, name, persona, expected, survey_round):
    assert logged_in(request.getfixturevalue(persona)).get(reverse(f"surveys:{name}")).status_code == expected


def test_illegal_transitions_say_why(make_response, moldova_answers, secretariat_reviewer, office_a_approver):
    response = make_response(office_a_approver, moldova_answers)
    with pytest.raises(WorkflowError, match="A response that is draft cannot be accepted"):
        response_accept(response=response, user=secretariat_reviewer)
    response_submit(response=response, user=office_a_approver)
    with pytest.raises(WorkflowError, match="Say what the office should change"):
        response_return(response=response, user=secretariat_reviewer)
    with pytest.raises(ResponseConflict):
        response_accept(response=response, user=secretariat_reviewer, expected_version=response.version - 1)
    response.refresh_from_db()
    assert response.status == "submitted"


def test_reopened_response_is_editable_and_nothing_is_lost(
    make_response, moldova_answers, secretariat_reviewer, office_a_respondent
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    response_reopen(response=response, user=secretariat_reviewer, comment="q14b: give the full date.")
    response.refresh_from_db()
    assert response.status == "returned" and response.answers == moldova_answers
    assert response.revisions.count() == response.version  # one revision per version, none lost
    response_save_draft(
        response=response,
        answers={**moldova_answers, "q14b": "01/01/1992"},
        user=office_a_respondent,
        expected_version=response.version,
    )


def test_next_round_is_prefilled_and_sections_must_be_confirmed(
    edition, survey_round, office_a_respondent, office_a_approver, secretariat_reviewer, make_response, moldova_answers
):
    first = make_response(office_a_respondent, moldova_answers, publish=True)
    next_round = round_create(
        edition=edition, title="2027", slug="r-2027", year=2027, opens_on=date(2027, 1, 1), closes_on=date(2027, 6, 30),
        office_codes=["MD"], user=secretariat_reviewer,
    )  # fmt: skip
    second = response_start(survey_round=next_round, numbering_system=first.numbering_system, user=office_a_respondent)
    assert second.prefilled_from == first and second.answers == moldova_answers
    assert second.revisions.get().note.startswith("created, pre-filled from md-001")
    with pytest.raises(ResponseInvalid) as exc:
        response_submit(response=second, user=office_a_approver)
    assert len(exc.value.unconfirmed) == len(edition.structure.sections)
    # The office changes one answer and confirms every section.
    changed = {**moldova_answers, "q14b": "1992-03-15"}
    response_save_draft(
        response=second, answers=changed, user=office_a_respondent, expected_version=second.version,
        confirmed_sections=[s.id for s in edition.structure.sections],
    )  # fmt: skip
    response_submit(response=second, user=office_a_approver)
    page = logged_in(secretariat_reviewer).get(reverse("surveys:response_review", args=[second.pk]))
    content = page.content.decode()
    assert "Changed since the last round" in content
    since = content[content.index("Changed since the last round") :]
    assert "15/03/1992" in since and "q14b" in since and "q1a" not in since[: since.index("</table>")]


def test_round_dashboard_counts_filters_csv_and_reminders(
    survey_round, office_a_respondent, office_b_respondent, secretariat_reviewer, make_response, moldova_answers,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_response(office_a_respondent, label="Patents")
    make_response(office_a_respondent, moldova_answers, label="Trademarks", submit=True)
    Invitation.objects.create(round=survey_round, office_id="CN")
    client = logged_in(secretariat_reviewer)
    page = client.get(reverse("surveys:round_dashboard", args=[survey_round.slug]))
    counts = {key: n for key, _, n in page.context["counts"]}
    assert counts == {"not_started": 2, "draft": 1, "submitted": 1, "returned": 0, "accepted": 0, "published": 0}
    page = client.get(reverse("surveys:round_dashboard", args=[survey_round.slug]), {"state": "draft"})
    assert [r["system"] for r in page.context["rows"]] == ["Patents"]
    csv = client.get(reverse("surveys:round_dashboard", args=[survey_round.slug]), {"format": "csv"})
    lines = csv.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ST.3 code,Office,Numbering system")
    assert len(lines) == 5 and any(
        line.startswith("MD,Republic of Moldova,Trademarks,md-002,Submitted") for line in lines
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:round_remind", args=[survey_round.slug]))
    # MD still has a draft, EP and CN have nothing handed in: three reminders; EP and MD have users.
    assert sorted(Invitation.objects.filter(reminders_sent=1).values_list("office_id", flat=True)) == ["CN", "EP", "MD"]
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [(office_b_respondent.email,), tuple(sorted([office_a_respondent.email, "md.approver.auto@example.org"]))]
    )


def test_round_dashboard_query_count_does_not_grow(
    survey_round, office_a_respondent, secretariat_reviewer, make_response, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:round_dashboard", args=[survey_round.slug])
    make_response(office_a_respondent, label="S0")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 8):
        make_response(office_a_respondent, label=f"S{i}")
    with CaptureQueriesContext(connection) as eight:
        client.get(url)
    assert len(one) == len(eight)
