"""The round report page: who sees which responses, the Handbook tables, query counts."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from surveys.demo import EPO_PATENTS
from surveys.models import Invitation, Membership, NumberingSystem, ResponseStatus, SurveyResponse
from surveys.questionnaire.engine import evaluate
from surveys.reports import tables
from surveys.reports.charts import Bar, Chart, bar_chart_svg

ROUND_SLUG = "application-numbering-2012"

# Illustrative answers (not survey data): a system that follows ST.13 to the letter.
KR_CONFORMANT = {
    "q1a": ["patents", "utility_models"],
    "q1b": "2012",
    "q2a": ["type", "year", "serial"],
    "q3a": "st13",
    "q4a": "fixed",
    "q4b": {"type": 2, "year": 4, "serial": 9},
    "q5a": "yes",
    "q5b": {"patents": {"code": "10"}, "utility_models": {"code": "20"}},
    "q5c": "yes",
    "q6a": "yes",
    "q6b": "4",
    "q6c": "gregorian",
    "q7a": "yes",
    "q7b": "fixed",
    "q7c": "yes",
    "q7d": "yes",
    "q7e": "yes",
    "q7f": "no",
    "q8a": "no",
    "q9a": "no",
    "q10a": "no",
    "q11a": "yes",
    "q11b": ["hyphen"],
    "q11c": "no",
    "q12a": "yes",
    "q13a": "yes",
    "q14a": [
        {
            "office_name": "Korean Intellectual Property Office",
            "example": "10-2012-000012345",
            "priority_presentation": "KR 10-2012-000012345",
        }
    ],
    "q14b": "2012-01-01",
    "q14c": [{"ipr_types": "10 patents, 20 utility models", "year": "4 digits", "serial_position": "7-15"}],
    "q14d": "Numbers before 2012 were converted.",
}

# Illustrative: variable length, an internal code first, a home-made check digit, and a
# declaration of conformity that the evaluation contradicts (flagged for review).
JP_VARIABLE = {
    "q1a": ["industrial_designs", "other"],
    "q1a_other": "Plant varieties",
    "q1b": "1990",
    "q2a": ["year", "serial", "internal", "control"],
    "q3a": "other",
    "q3b": ["internal", "year", "serial", "control"],
    "q4a": "variable",
    "q4c": {
        "year": {"min": 4, "max": 4},
        "serial": {"min": 1, "max": 6},
        "internal": {"min": 1, "max": 1},
        "control": {"min": 1, "max": 1},
    },
    "q5a": "no",
    "q6a": "yes",
    "q6b": "4",
    "q6c": "gregorian",
    "q7a": "yes",
    "q7b": "variable",
    "q7c": "yes",
    "q7d": "no",
    "q7e": "yes",
    "q7f": "yes",
    "q8a": "yes",
    "q8b": [{"code": "D", "meaning": "Designs"}],
    "q8c": "other",
    "q8c_other": "Before the year",
    "q9a": "yes",
    "q9b": "serial_last",
    "q9c": "other",
    "q9c_other": "Modulo 7 of the digits",
    "q10a": "no",
    "q11a": "yes",
    "q11b": ["slash", "other"],
    "q11b_other": "#",
    "q11c": "yes",
    "q12a": "no",
    "q12b": "The priority number leaves out the check digit.",
    "q13a": "yes",
    "q14a": [
        {"office_name": "Japan Patent Office", "example": "D1990/1234#5", "priority_presentation": "JP D1990/1234"},
        {"office_name": "Japan Patent Office", "example": "D2001/77#3", "priority_presentation": "JP D2001/77"},
    ],
}


# --- fixtures ----------------------------------------------------------------------------


def office_user(code: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="persona-password")
    Membership.objects.create(user=user, office_id=code, role="respondent")
    return user


def build_report_round(survey_round, make_response, office_a, office_b, moldova_answers):
    """MD (Moldova's real answers), EP and KR published; JP accepted; FR submitted; CN a draft.

    Moldova's response is its second (an empty draft is its first), as in 2012: "MD 2/2".
    """
    from surveys.review.workflow import response_accept

    for code in ("KR", "JP", "FR", "CN"):
        Invitation.objects.create(round=survey_round, office_id=code)
    make_response(office_a, {}, label="Patents")
    md = make_response(office_a, moldova_answers, label="Trademarks", publish=True)
    ep = make_response(office_b, EPO_PATENTS, label="European patents", publish=True)
    kr = make_response(office_user("KR", "kr.respondent"), KR_CONFORMANT, label="Patents", publish=True)
    jp = make_response(office_user("JP", "jp.respondent"), JP_VARIABLE, label="Designs", submit=True)
    response_accept(response=jp, user=User.objects.get(username="ib.reviewer.auto"))
    fr_answers = {**moldova_answers, "q1a": ["patents"], "q7e": "yes"}
    fr = make_response(office_user("FR", "fr.respondent"), fr_answers, label="Patents", submit=True)
    make_response(office_user("CN", "cn.respondent"), {"q1a": ["patents"]}, label="Patents")
    jp.refresh_from_db()
    statuses = [r.status for r in (md, ep, kr, jp, fr)]
    assert statuses == ["published", "published", "published", "accepted", "submitted"]
    return survey_round


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


def report_url(**params: str) -> str:
    url = reverse("reports:round_report", args=[ROUND_SLUG])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _text(cell: str) -> str:
    """A cell's text as the reader sees it: line breaks kept, chips and other tags dropped."""
    return unescape(re.sub(r"<[^>]+>", "", cell.replace("<br>", "\n"))).strip()


def rows_of(html: str, table_id: str) -> list[list[str]]:
    """The body rows of one report table as cell texts (header cell first)."""
    match = re.search(rf'<table class="data report-table report-{table_id}">(.*?)</table>', html, re.S)
    assert match, f"table {table_id} not on the page"
    body = re.search(r"<tbody>(.*?)</tbody>", match.group(1), re.S).group(1)
    return [
        [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def totals_of(html: str, table_id: str) -> dict[str, list[str]]:
    match = re.search(rf'<table class="data report-table report-{table_id}">(.*?)</table>', html, re.S)
    foot = re.search(r"<tfoot>(.*?)</tfoot>", match.group(1), re.S).group(1)
    result = {}
    for row in re.findall(r"<tr>(.*?)</tr>", foot, re.S):
        cells = [unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        result[cells[0]] = cells[1:]
    return result


# --- scope: who sees what ------------------------------------------------------------------


@pytest.mark.django_db
def test_public_report_counts_published_responses_only(client, report_round):
    page = client.get(report_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 offices submitted 3 responses." in html
    assert rows_of(html, "participation") == [
        ["EP", "European Patent Office (EPO)"],
        ["KR", "Republic of Korea"],
        ["MD", "Republic of Moldova"],
    ]
    assert "The following 3 offices took part in the survey and submitted 3 responses in total" in html
    assert "JP 1/1" not in html and "FR 1/1" not in html
    assert "Include submitted responses" not in html


@pytest.mark.django_db
def test_office_user_sees_published_only_even_asking_for_submitted(client, report_round):
    client.force_login(User.objects.get(username="fr.respondent"))
    html = client.get(report_url(include="submitted")).content.decode()
    assert "3 offices submitted 3 responses." in html
    assert "FR 1/1" not in html
    assert "Include submitted responses" not in html


@pytest.mark.django_db
def test_secretariat_sees_accepted_by_default_and_submitted_on_request(client, report_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    html = client.get(report_url()).content.decode()
    assert "4 offices submitted 4 responses." in html
    assert [r[0] for r in rows_of(html, "q1")] == ["EP 1/1", "JP 1/1", "KR 1/1", "MD 2/2"]
    assert "accepted and published responses" in html
    html = client.get(report_url(include="submitted")).content.decode()
    assert "5 offices submitted 5 responses." in html
    assert [r[0] for r in rows_of(html, "q1")] == ["EP 1/1", "FR 1/1", "JP 1/1", "KR 1/1", "MD 2/2"]
    assert 'name="include" value="submitted" checked' in html
    # Drafts never count, whatever the scope.
    assert "CN 1/1" not in html


def test_report_scope_by_user(db, secretariat_reviewer, office_a_respondent):
    from django.contrib.auth.models import AnonymousUser

    assert tables.report_scope(AnonymousUser(), include_submitted=True) == tables.Scope.PUBLISHED
    assert tables.report_scope(office_a_respondent, include_submitted=True) == tables.Scope.PUBLISHED
    assert tables.report_scope(secretariat_reviewer) == tables.Scope.REVIEWED
    assert tables.report_scope(secretariat_reviewer, include_submitted=True) == tables.Scope.WITH_SUBMITTED


# --- the 7.2.5 tables ----------------------------------------------------------------------


@pytest.mark.django_db
def test_question_tables_mark_choices_not_applicable_and_totals(client, report_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    html = client.get(report_url()).content.decode()
    # Question 1: one column per q1a choice, then q1a_other, then q1b.
    q1 = rows_of(html, "q1")
    assert q1[1] == ["JP 1/1", "", "", "", "", "✓", "", "", "", "✓", "Plant varieties", "1990"]
    assert q1[3] == ["MD 2/2", "", "", "", "", "", "✓", "", "", "", "—", "1992"]
    assert totals_of(html, "q1") == {"Total": ["2", "1", "0", "1", "1", "1", "0", "0", "1", "1", "4"]}
    # Question 6: MD and KR differ; "—" where q6b/q6c did not apply (q6a = no).
    q6 = rows_of(html, "q6")
    assert q6[3] == ["MD 2/2", "", "✓", "—", "—", "—", "—", "—"]
    assert q6[0] == ["EP 1/1", "✓", "", "✓", "", "✓", "", "—"]
    assert totals_of(html, "q6") == {"Total": ["3", "1", "1", "2", "3", "0", "0"]}
    # Question 4: the lengths per part as one answer each.
    q4 = rows_of(html, "q4")
    assert q4[2] == [
        "KR 1/1",
        "✓",
        "",
        "Code for the type of IPR: 2 characters\nYear designation: 4 characters\nSerial number: 9 characters",
        "—",
    ]
    assert q4[1][:3] == ["JP 1/1", "", "✓"] and q4[1][3] == "—"
    assert "Code for internal use: 1 character" in q4[1][4]
    # Question 14 is not a results table; 1 to 13 are.
    assert 'id="q13"' in html and 'id="q14"' not in html


@pytest.mark.django_db
def test_question_table_headers_come_from_the_edition(client, report_round, edition):
    html = client.get(report_url()).content.decode()
    q1a = edition.structure.by_id["q1a"]
    # Numbered as the questionnaire prints it: "Question 1", part "a)".
    assert f'colspan="10">1 a) {q1a.text["en"]}</th>' in html
    assert "Layout-designs (topographies) of integrated circuits</th>" in html
    assert "Question 5 — Code for the type of IPR" in html


@pytest.mark.django_db
def test_charts_are_inline_svg_with_gate_counts(client, report_round):
    html = client.get(report_url()).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart"') == 13
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-q7-title".*?</svg>', html, re.S).group(0)
    assert "<title>Yes: 3</title>" in chart and "<title>No: 0</title>" in chart
    assert "https://" not in chart and "<script" not in chart


def test_bar_chart_escapes_labels_and_scales_bars():
    svg = bar_chart_svg(Chart("x", "A & B", (Bar("<b>x</b>", 4), Bar("none", 0), Bar("half", 2)), 4))
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg
    widths = re.findall(r'<rect x="260" y="[\d.]+" width="([\d.]+)"', svg)
    assert widths == ["336.0", "0.0", "168.0"]
    assert "A &amp; B (4 responses)" in svg


# --- the 7.2.6 examples -----------------------------------------------------------------


@pytest.mark.django_db
def test_examples_table_in_handbook_726_manner(client, report_round, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    rows = rows_of(client.get(report_url()).content.decode(), "examples")
    # Handbook 7.2.6: country or organization, examples, priority presentation, remarks; the
    # accepted JP response is in the secretariat's figures, the submitted FR one is not.
    by_office = {r[0]: r[1:] for r in rows}
    assert list(by_office) == [
        "EP EUROPEAN PATENT OFFICE (EPO)",
        "JP JAPAN",
        "KR REPUBLIC OF KOREA",
        "MD REPUBLIC OF MOLDOVA",
    ]
    assert by_office["MD REPUBLIC OF MOLDOVA"][:2] == ["030812", "030812"]
    assert by_office["MD REPUBLIC OF MOLDOVA"][2].splitlines()[:2] == ["Used since: 1992", "for: Trademarks"]
    assert by_office["KR REPUBLIC OF KOREA"][:2] == ["10-2012-000012345", "KR 10-2012-000012345"]
    assert "Code for the type of IP rights: 10 patents, 20 utility models" in by_office["KR REPUBLIC OF KOREA"][2]
    assert by_office["JP JAPAN"][:2] == ["D1990/1234#5\nD2001/77#3", "JP D1990/1234\nJP D2001/77"]
    assert "for: Industrial designs, Other: Plant varieties" in by_office["JP JAPAN"][2]


# --- the ST.13 compliance matrix ------------------------------------------------------------


@pytest.mark.django_db
def test_compliance_matrix_verdicts_reasons_and_flags(client, report_round, secretariat_reviewer, moldova_answers):
    from surveys.responses.compliance import compliance_for_answers

    client.force_login(secretariat_reviewer)
    html = client.get(report_url()).content.decode()
    rows = {r[0]: r[1:] for r in rows_of(html, "compliance")}
    # ST13.md: Moldova deviates on (a)-(d), (e)-(g) not applicable or complying; q13a = no agrees.
    assert rows["MD 2/2"][:4] == ["Deviates"] * 4
    assert set(rows["MD 2/2"][4:7]) <= {"Not applicable", "Complies"}
    assert rows["MD 2/2"][7:] == ["Deviates", "No", ""]
    assert rows["KR 1/1"] == ["Complies"] * 4 + ["Not applicable", "Not applicable", "Complies", "Complies", "Yes", ""]
    assert rows["JP 1/1"][7:] == ["Deviates", "Yes", "Review"]
    # Every verdict carries its reason as the cell's title, and the reasons table lists it.
    md_report = compliance_for_answers(evaluate(report_round.edition.structure, moldova_answers).answers)
    reason = md_report.rule("a").reason
    assert f'title="{escape_attr(reason)}"' in html
    reasons = rows_of(html, "compliance_reasons")
    assert ["MD 2/2", "(a) Composition", "Deviates", reason] in reasons
    assert ["MD 2/2", "Overall", "Deviates", md_report.summary] in reasons
    assert len(reasons) == 4 * 8
    totals = totals_of(html, "compliance")
    assert totals == {
        "Complies": ["1", "1", "2", "1", "0", "1", "2", "1", "", ""],
        "Deviates": ["3", "3", "2", "3", "1", "1", "2", "3", "", ""],
        "Not applicable": ["0", "0", "0", "0", "3", "2", "0", "0", "", ""],
        "Unknown": ["0", "0", "0", "0", "0", "0", "0", "0", "", ""],
        "Review": ["", "", "", "", "", "", "", "", "", "1"],
    }


def escape_attr(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# --- one table, unknown names, empty rounds ---------------------------------------------------


@pytest.mark.django_db
def test_single_table_page_and_unknown_names(client, report_round):
    html = client.get(report_url(table="q9")).content.decode()
    assert 'id="q9"' in html and 'id="q8"' not in html
    assert "Show the whole report" in html
    assert client.get(report_url(table="q14")).status_code == 404
    assert client.get(report_url(format="exe")).status_code == 404
    assert client.get(reverse("reports:round_report", args=["no-such-round"])).status_code == 404
    assert client.post(report_url()).status_code == 405


@pytest.mark.django_db
def test_round_without_published_responses_renders_empty_tables(client, survey_round):
    html = client.get(report_url()).content.decode()
    assert "0 offices submitted 0 responses." in html
    assert "No response counts in this report yet." in html
    assert "<svg" not in html


# --- query counts -----------------------------------------------------------------------------


def bulk_round(survey_round, n: int, answers: dict) -> None:
    """n published responses from n different offices, straight into the database."""
    from standards.models import Office

    offices = list(Office.objects.order_by("code")[:n])
    systems = NumberingSystem.objects.bulk_create(NumberingSystem(office=o, label="Patents") for o in offices)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            round=survey_round,
            office=o,
            numbering_system=s,
            sequence=1,
            status=ResponseStatus.PUBLISHED,
            answers=answers,
        )
        for o, s in zip(offices, systems, strict=True)
    )


@pytest.mark.parametrize("persona", ["anonymous", "secretariat"])
@pytest.mark.parametrize("query", ["", "table=q5"])
@pytest.mark.django_db
def test_report_page_query_count_does_not_grow_with_responses(
    client, survey_round, secretariat_reviewer, moldova_answers, django_assert_num_queries, persona, query
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if persona == "secretariat":
        client.force_login(secretariat_reviewer)
    url = report_url() + (f"?{query}" if query else "")
    sentences = {1: "1 office submitted 1 response.", 10: "10 offices submitted 10 responses."}
    bulk_round(survey_round, 1, moldova_answers)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    assert len(rows_of(page.content.decode(), "q5")) == 1
    SurveyResponse.objects.all().delete()
    NumberingSystem.objects.all().delete()
    bulk_round(survey_round, 10, moldova_answers)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    html = page.content.decode()
    assert len(rows_of(html, "q5")) == 10
    if not query:
        assert sentences[10] in html


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.django_db
def test_build_report_takes_four_queries_whatever_the_number_of_responses(
    survey_round, moldova_answers, django_assert_num_queries, n
):
    bulk_round(survey_round, n, moldova_answers)
    from surveys.models import SurveyRound

    rnd = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
    rnd.edition.structure  # parsed once per request, outside the budget  # noqa: B018
    # The responses in scope with their offices; "m" of n/m per office; the offices' names
    # when the round opened; the q14d attachments.
    with django_assert_num_queries(4):
        report = tables.build_report(rnd, scope=tables.Scope.PUBLISHED)
    assert report.response_count == n
    assert len(report.table("compliance").rows) == n
