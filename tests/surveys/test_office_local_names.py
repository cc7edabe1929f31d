"""Office names in the reader's language: the French and Spanish names of WIPO Standard
ST.3 (standards/data/st3_names_fr_es.csv cites the French and Spanish versions of ST.3),
English where a version gives none, and a report's former names kept as recorded."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from standards.models import Office
from standards.office_names import office_names_on
from standards.services import DATA_DIR, offices_load, read_office_translations
from surveys.reports.tables import Scope, build_report
from tests.surveys.web_helpers import public_url

OHIM = "Office for Harmonization in the Internal Market (Trademarks and Designs) (OHIM)"


def test_the_data_file_cites_the_french_and_spanish_versions_of_st3():
    head = (DATA_DIR / "st3_names_fr_es.csv").read_text(encoding="utf-8").split("code,")[0]
    assert "standards/fr/pdf/03-03-01.pdf" in head and "standards/es/pdf/03-03-01.pdf" in head
    names = read_office_translations()
    assert names["MD"] == {"name_fr": "République de Moldova", "name_es": "República de Moldova"}
    assert names["EP"] == {
        "name_fr": "Office européen des brevets (OEB)",
        "name_es": "Oficina Europea de Patentes (OEP)",
    }


@pytest.mark.django_db
def test_load_standards_stores_the_names_and_a_code_outside_st3_is_refused(reference_data, tmp_path):
    md = Office.objects.get(code="MD")
    assert (md.name, md.name_fr, md.name_es) == ("Republic of Moldova", "République de Moldova", "República de Moldova")
    bad = tmp_path / "names.csv"
    bad.write_text("# source\ncode,name_fr,name_es\nQQ,Nulle part,Ninguna parte\n", encoding="utf-8")
    with pytest.raises(ValueError, match="QQ"):
        offices_load(translations=bad)
    # Loading again changes nothing.
    assert offices_load().updated == 0


@pytest.mark.django_db
def test_an_office_is_named_in_the_readers_language(reference_data):
    md, ad = Office.objects.get(code="MD"), Office.objects.get(code="AD")
    assert [md.name_in(lang) for lang in ("en", "fr", "es", "fr-ch", None)] == [
        "Republic of Moldova", "République de Moldova", "República de Moldova", "République de Moldova",
        "Republic of Moldova",
    ]  # fmt: skip
    assert ad.name_in("fr") == "Andorra"  # no French name given: the English one
    with translation.override("es"):
        assert md.local_name == "República de Moldova"


@pytest.mark.django_db
def test_a_former_name_stays_as_recorded_in_every_language(reference_data):
    em = Office.objects.get(code="EM")
    recorded = office_names_on(date(2012, 3, 1))["EM"]
    assert recorded == OHIM
    assert em.name_in("fr", recorded=recorded) == OHIM
    today = office_names_on(date(2024, 3, 1))["EM"]
    assert em.name_in("fr", recorded=today).startswith("Office de l'Union européenne pour la propriété intellectuelle")


@pytest.mark.django_db
def test_pages_and_reports_name_the_office_in_their_language(
    edition, survey_round, office_a_respondent, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    french = Client(headers={"accept-language": "fr"}).get(public_url(response.public_key)).content.decode()
    assert "Réponse 1 sur 1 soumise par République de Moldova" in french
    spanish = Client(headers={"accept-language": "es"}).get(public_url(response.public_key)).content.decode()
    assert "Respuesta 1 de 1 presentada por República de Moldova" in spanish
    english = Client().get(public_url(response.public_key)).content.decode()
    assert "Response 1 of 1 submitted by Republic of Moldova" in english

    with build_report(survey_round, scope=Scope.PUBLISHED, language="fr") as report:
        assert "République de Moldova" in json.dumps(report.as_dict(), ensure_ascii=False, default=str)
    with build_report(survey_round, scope=Scope.PUBLISHED) as report:
        assert "République de Moldova" not in json.dumps(report.as_dict(), ensure_ascii=False, default=str)
