"""Offices named as they were at the time of the round, and the title part of Handbook 7.2.5.

Offices change names while their ST.3 code stays. The renames recorded in the reference
data (standards/data/st3_names.csv) are real:

- EM: Regulation (EU) 2015/2424 of 16 December 2015 renamed the Office for Harmonization
  in the Internal Market (Trade Marks and Designs) the European Union Intellectual Property
  Office from its entry into force, 23 March 2016. WIPO Handbook Part 7.2.5 (June 2013),
  and the Annex of document CWS/3/10 it reproduces, list the office as
  "EM / Office for Harmonization in the Internal Market (Trademarks and Designs) (OHIM)".
- CZ: the same Part 7.2.5 lists "CZ / Czech Republic"; by Government Resolution
  No. 403/2016 of 2 May 2016 the Czech Republic asked the United Nations to enter its short
  name "Czechia" in their country name databases (Ministry of Foreign Affairs of the Czech
  Republic, press release of May 2016), which they did in July 2016; ISO 3166-1 followed.
- The 2012 results were presented to the third session of the Committee on WIPO Standards,
  CWS/3, held in Geneva from 15 to 19 April 2013 (document CWS/3/14, paragraph 1).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import Office, OfficeName
from standards.office_names import check_name_periods, office_name_at, office_names_on
from standards.services import office_names_load, read_office_names
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from surveys.reports import exporters
from surveys.reports.tables import Scope, build_report

OHIM = "Office for Harmonization in the Internal Market (Trademarks and Designs) (OHIM)"
EUIPO = "European Union Intellectual Property Office (EUIPO)"


def make_round(edition, year: int, **extra) -> SurveyRound:
    return SurveyRound.objects.create(
        edition=edition,
        slug=f"application-numbering-{year}",
        title=f"Questionnaire on application numbering ({year})",
        year=year,
        opens_on=date(year, 3, 1),
        closes_on=date(year, 12, 31),
        **extra,
    )


def publish(survey_round: SurveyRound, answers: dict, codes: list[str], per_office: int = 1) -> None:
    """Published responses of the offices, `per_office` numbering systems each."""
    offices = [o for o in Office.objects.filter(code__in=codes) for _ in range(per_office)]
    for office in {o.code: o for o in offices}.values():
        Invitation.objects.get_or_create(round=survey_round, office=office)
    systems = NumberingSystem.objects.bulk_create(
        NumberingSystem(office=o, label=f"{survey_round.slug} {o.code} {i}") for i, o in enumerate(offices)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            round=survey_round,
            office=o,
            numbering_system=s,
            sequence=i % per_office + 1,
            status=ResponseStatus.PUBLISHED,
            answers=answers,
        )
        for i, (o, s) in enumerate(zip(offices, systems, strict=True))
    )


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def xlsx_rows(content: bytes, sheet: str) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True))


# --- the names and their periods ---------------------------------------------------------------


@pytest.mark.django_db
def test_reference_data_holds_the_real_renames(reference_data):
    em, cz, md = (Office.objects.get(code=c) for c in ("EM", "CZ", "MD"))
    assert em.name == EUIPO and cz.name == "Czechia"  # today's names, from the ST.3 list
    assert office_name_at(em, date(2012, 3, 1)) == OHIM
    assert office_name_at(em, date(2016, 3, 22)) == OHIM  # the last day before the regulation applied
    assert office_name_at(em, date(2016, 3, 23)) == EUIPO
    assert office_name_at(cz, date(2012, 3, 1)) == "Czech Republic"
    assert office_name_at(cz, date(2024, 3, 1)) == "Czechia"
    assert office_name_at(md, date(2012, 3, 1)) == "Republic of Moldova"  # no recorded rename: today's name
    assert office_names_on(date(2012, 3, 1)) == {"CZ": "Czech Republic", "EM": OHIM}
    assert office_names_on(date(2024, 3, 1), codes=["EM", "MD"]) == {"EM": EUIPO}


@pytest.mark.django_db
def test_the_names_of_a_day_take_one_query_whatever_the_number_of_offices(reference_data, django_assert_num_queries):
    codes = list(Office.objects.values_list("code", flat=True)[:60])
    OfficeName.objects.bulk_create(
        OfficeName(office_id=c, name=f"Former name of {c}", valid_until=date(2000, 1, 1))
        for c in codes
        if c not in ("EM", "CZ")
    )
    with django_assert_num_queries(1):
        names = office_names_on(date(1999, 6, 1))
    assert len(names) == len([c for c in codes if c not in ("EM", "CZ")]) + 2


@pytest.mark.django_db
def test_loading_the_names_again_changes_nothing_and_follows_the_file(reference_data, tmp_path):
    again = office_names_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = tmp_path / "names.csv"
    changed.write_text(
        "code,name,valid_from,valid_until,source\n"
        f"EM,{OHIM.replace('Trademarks', 'Trade Marks')},,2016-03-22,Regulation (EU) 2015/2424\n",
        encoding="utf-8",
    )
    report = office_names_load(changed)
    assert (report.created, report.updated) == (0, 1)
    assert office_name_at(Office.objects.get(code="EM"), date(2012, 3, 1)).startswith(
        "Office for Harmonization in the Internal Market (Trade Marks"
    )


def test_a_names_file_with_overlapping_periods_is_refused(tmp_path):
    bad = tmp_path / "names.csv"
    bad.write_text(
        "code,name,valid_from,valid_until,source\nCZ,Czech Republic,,2016-07-01,x\nCZ,Czechia,2016-07-01,,y\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="two names of CZ cover the same days"):
        read_office_names(bad)
    bad.write_text("code,name,valid_from,valid_until,source\nCZ,Czechia,2016-07-32,,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: '2016-07-32' is not a date"):
        read_office_names(bad)


def test_periods_of_one_office_may_not_share_a_day():
    check_name_periods([(None, date(2016, 3, 22)), (date(2016, 3, 23), None)])
    with pytest.raises(ValidationError):
        check_name_periods([(None, date(2016, 3, 23)), (date(2016, 3, 23), None)])
    with pytest.raises(ValidationError):
        check_name_periods([(None, None), (date(2001, 1, 1), date(2002, 1, 1))])


@pytest.mark.django_db
def test_the_secretariat_keeps_the_names_in_the_office_admin(client, secretariat_reviewer):
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save(update_fields=["is_staff"])
    client.force_login(secretariat_reviewer)
    url = reverse("admin:standards_office_change", args=["EM"])
    page = client.get(url)
    assert page.status_code == 200 and OHIM in page.content.decode()
    names = [OfficeName.objects.get(office_id="EM", name=n) for n in (OHIM, EUIPO)]
    form = {
        "code": "EM",
        "name": EUIPO,
        "kind": "organization",
        "names-TOTAL_FORMS": "3",
        "names-INITIAL_FORMS": "2",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
    }
    for i, n in enumerate(names):
        form |= {
            f"names-{i}-id": n.pk,
            f"names-{i}-office": "EM",
            f"names-{i}-name": n.name,
            f"names-{i}-valid_from": n.valid_from or "",
            f"names-{i}-valid_until": n.valid_until or "",
            f"names-{i}-source": n.source,
        }
    # A third name over days another name already covers is refused …
    overlapping = form | {"names-2-name": "Some other name", "names-2-valid_from": "2010-01-01"}
    page = client.post(url, overlapping)
    assert page.status_code == 200
    assert "on any day an office bears one name" in page.content.decode()
    assert OfficeName.objects.filter(office_id="EM").count() == 2
    # … a name of its own period is kept.
    earlier = form | {
        "names-0-valid_from": "1994-01-01",  # the OHIM row, open at its start until now
        "names-2-name": "Earlier name",
        "names-2-valid_until": "1993-12-31",
    }
    page = client.post(url, earlier)
    assert page.status_code == 302, page.content.decode()[:2000]
    assert office_name_at(Office.objects.get(code="EM"), date(1990, 1, 1)) == "Earlier name"


# --- the report names offices as they were ---------------------------------------------------


@pytest.mark.django_db
def test_a_2012_report_gives_the_names_of_2012_and_a_2024_report_todays_in_every_format(
    client, edition, moldova_answers
):
    then = make_round(edition, 2012, cws_session="CWS/3", presented_on=date(2013, 4, 15))
    now = make_round(edition, 2024)
    for survey_round in (then, now):
        publish(survey_round, moldova_answers, ["CZ", "EM", "MD"])

    old_page = client.get(reverse("reports:round_report", args=[then.slug])).content.decode()
    new_page = client.get(reverse("reports:round_report", args=[now.slug])).content.decode()
    assert f"<td>{OHIM}</td>" in old_page and "<td>Czech Republic</td>" in old_page
    assert EUIPO not in old_page and "Czechia" not in old_page
    assert f"<td>{EUIPO}</td>" in new_page and "<td>Czechia</td>" in new_page
    assert "OHIM" not in new_page and "Czech Republic" not in new_page

    with build_report(then, scope=Scope.PUBLISHED) as report:
        docx = exporters.export_docx(report, None).content
        xlsx = b"".join(exporters.export_xlsx(report, None).content)
        pdf = exporters.export_pdf(report, None).content
    with build_report(now, scope=Scope.PUBLISHED) as report:
        docx_now = exporters.export_docx(report, None).content
        xlsx_now = b"".join(exporters.export_xlsx(report, None).content)
        pdf_now = exporters.export_pdf(report, None).content

    assert OHIM in docx_text(docx) and "Czech Republic" in docx_text(docx)
    # The 7.2.6 examples name the office in capitals, as it was named then.
    assert f"EM {OHIM.upper()}" in docx_text(docx) and "CZ CZECH REPUBLIC" in docx_text(docx)
    assert f"EM {EUIPO.upper()}" in docx_text(docx_now) and "CZ CZECHIA" in docx_text(docx_now)
    assert EUIPO not in docx_text(docx)
    assert EUIPO in docx_text(docx_now) and "Czechia" in docx_text(docx_now) and "OHIM" not in docx_text(docx_now)

    rows = xlsx_rows(xlsx, "Participation")
    assert rows[2:6] == [("Code", "Office"), ("CZ", "Czech Republic"), ("EM", OHIM), ("MD", "Republic of Moldova")]
    assert xlsx_rows(xlsx_now, "Participation")[3:5] == [("CZ", "Czechia"), ("EM", EUIPO)]

    assert OHIM in pdf_text(pdf) and "CZ Czech Republic" in pdf_text(pdf) and EUIPO not in pdf_text(pdf)
    assert EUIPO in pdf_text(pdf_now) and "CZ Czechia" in pdf_text(pdf_now)


@pytest.mark.django_db
def test_the_report_takes_the_same_queries_for_three_offices_and_for_sixty(edition, moldova_answers):
    few, many = make_round(edition, 2012), make_round(edition, 2013)
    publish(few, moldova_answers, ["CZ", "EM", "MD"])
    publish(many, moldova_answers, list(Office.objects.values_list("code", flat=True)[:60]))
    counts = []
    for survey_round in (few, many):
        survey_round = SurveyRound.objects.select_related("edition").get(pk=survey_round.pk)
        survey_round.edition.structure  # parsed once per request, outside the count  # noqa: B018
        with CaptureQueriesContext(connection) as queries, build_report(survey_round, scope=Scope.PUBLISHED) as r:
            pass
        counts.append((len(queries), r.office_count))
    assert counts == [(4, 3), (4, 60)]


# --- the title part: editorial note and introduction ---------------------------------------------


@pytest.mark.django_db
def test_the_introduction_counts_the_offices_and_responses_in_the_report(client, edition, moldova_answers):
    survey_round = make_round(edition, 2012)
    publish(survey_round, moldova_answers, ["EM", "MD"], per_office=2)
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        (note, introduction) = report.sections[0].passages
    assert note.heading == "Editorial note"
    assert note.paragraphs == ("These results have not yet been presented to the Committee on WIPO Standards (CWS).",)
    assert introduction.heading == "Introduction"
    assert introduction.paragraphs == (
        "This survey was conducted in 2012, from 1 March 2012 to 31 December 2012, with the questionnaire "
        "“Questionnaire on application numbering”.",
        "The results of Questions 1 to 13 follow, question by question. The examples of application numbers given "
        "in reply to Question 14 are compiled in Part 7.2.6.",
        "The following 2 offices took part in the survey and submitted 4 responses in total, each describing one "
        "application numbering system of its office.",
        "Offices are named as they were named on 1 March 2012, the day the round opened.",
    )
    # Another office answers; the round is presented to the CWS: the title part follows.
    publish(survey_round, moldova_answers, ["CZ"])
    SurveyRound.objects.filter(pk=survey_round.pk).update(cws_session="CWS/3", presented_on=date(2013, 4, 15))
    survey_round.refresh_from_db()
    page = client.get(reverse("reports:round_report", args=[survey_round.slug])).content.decode()
    assert (
        "Survey results presented to the Committee on WIPO Standards (CWS) at its session CWS/3 in April 2013." in page
    )
    assert "The following 3 offices took part in the survey and submitted 5 responses in total" in page
    with build_report(survey_round, scope=Scope.PUBLISHED, language="fr") as report:
        note, introduction = report.sections[0].passages
        assert report.as_dict(rows=False)["passages"][0]["paragraphs"] == list(note.paragraphs)
    assert note.paragraphs == (
        "Résultats de l’enquête présentés au Comité des normes de l’OMPI (CWS) à sa session CWS/3 en avril 2013.",
    )
    assert (
        "Les 3 offices suivants ont participé à l’enquête et ont soumis 5 réponses au total"
        in introduction.paragraphs[2]
    )
    with build_report(survey_round, scope=Scope.PUBLISHED, language="es") as report:
        _, introduction = report.sections[0].passages
    assert introduction.paragraphs[2].startswith("Las 3 oficinas siguientes participaron en la encuesta")


@pytest.mark.django_db
def test_one_office_alone_is_not_announced_as_a_list(edition, moldova_answers):
    survey_round = make_round(edition, 2012)
    publish(survey_round, moldova_answers, ["MD"])
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        _, introduction = report.sections[0].passages
    assert introduction.paragraphs[2].startswith("1 office took part in the survey and submitted 1 response in total")


# --- the round form ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_round_form_saves_the_cws_session_and_the_day_of_presentation(client, edition, secretariat_reviewer):
    client.force_login(secretariat_reviewer)
    form = {
        "edition": edition.pk,
        "title": "Application numbering 2027",
        "slug": "application-numbering-2027",
        "year": 2027,
        "opens_on": "2027-01-15",
        "closes_on": "2027-06-30",
        "offices": "MD EM",
    }
    page = client.get(reverse("surveys:round_new")).content.decode()
    assert 'name="cws_session"' in page and 'name="presented_on"' in page
    # A day of presentation needs its session.
    page = client.post(reverse("surveys:round_new"), form | {"presented_on": "2028-04-10"})
    assert page.status_code == 200 and "Name the session the results were presented to." in page.content.decode()
    assert not SurveyRound.objects.filter(slug="application-numbering-2027").exists()
    page = client.post(reverse("surveys:round_new"), form | {"cws_session": " CWS/16 ", "presented_on": "2028-04-10"})
    assert page.status_code == 302
    saved = SurveyRound.objects.get(slug="application-numbering-2027")
    assert (saved.cws_session, saved.presented_on) == ("CWS/16", date(2028, 4, 10))
    # Both may wait until the results are presented.
    client.post(reverse("surveys:round_new"), form | {"slug": "application-numbering-2027-b"})
    later = SurveyRound.objects.get(slug="application-numbering-2027-b")
    assert (later.cws_session, later.presented_on) == ("", None)


@pytest.mark.django_db
def test_the_secretariat_records_the_presentation_after_the_round(
    client, edition, secretariat_reviewer, moldova_answers
):
    survey_round = make_round(edition, 2012)
    publish(survey_round, moldova_answers, ["MD"])
    client.force_login(secretariat_reviewer)
    dashboard = client.get(reverse("surveys:round_dashboard", args=[survey_round.slug])).content.decode()
    assert "Results not yet presented to the CWS." in dashboard
    url = reverse("surveys:round_presentation", args=[survey_round.slug])
    assert 'name="cws_session"' in client.get(url).content.decode()
    # Not before the round opened.
    page = client.post(url, {"cws_session": "CWS/2", "presented_on": "2012-02-29"})
    assert "The results cannot have been presented before the round opened." in page.content.decode()
    survey_round.refresh_from_db()
    assert (survey_round.cws_session, survey_round.presented_on) == ("", None)
    page = client.post(url, {"cws_session": "CWS/3", "presented_on": "2013-04-15"})
    assert page.status_code == 302
    survey_round.refresh_from_db()
    assert (survey_round.cws_session, survey_round.presented_on) == ("CWS/3", date(2013, 4, 15))
    dashboard = client.get(reverse("surveys:round_dashboard", args=[survey_round.slug])).content.decode()
    assert "Results presented to the CWS at its session CWS/3 on 15 April 2013." in dashboard
    report = client.get(reverse("reports:round_report", args=[survey_round.slug])).content.decode()
    assert "at its session CWS/3 in April 2013." in report
    assert 'value="CWS/3"' in client.get(url).content.decode()  # the form shows what is recorded
