"""REST API reference data: offices and standards, the editions with their whole question
tree, the rounds each persona sees, and the numbering systems an office adds."""

from __future__ import annotations

from datetime import date

from rest_framework.test import APIClient

from standards.models import Office, Standard
from surveys.models import Invitation, NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound
from tests.api.helpers import EDITION_SLUG, ROUND_SLUG, client_for, url

# --- reference data -------------------------------------------------------------------


def test_offices_are_paginated_filtered_and_searched(reference_data):
    client = APIClient()
    first = client.get(url("offices/")).json()
    assert first["count"] == Office.objects.count()
    assert len(first["results"]) == 50
    assert first["next"].endswith("/api/offices/?page=2")
    assert first["results"][0] == {
        "code": first["results"][0]["code"],
        "name": Office.objects.order_by("code").first().name,
        "kind": Office.objects.order_by("code").first().kind,
        "url": f"http://testserver/api/offices/{first['results'][0]['code']}/",
    }
    organizations = client.get(url("offices/"), {"kind": "organization"}).json()
    codes = [o["code"] for o in organizations["results"]]
    assert codes == list(Office.objects.filter(kind="organization").order_by("code").values_list("code", flat=True))
    assert "EP" in codes and "MD" not in codes
    found = client.get(url("offices/"), {"search": "moldova"}).json()
    assert [o["code"] for o in found["results"]] == ["MD"]
    assert [o["code"] for o in client.get(url("offices/"), {"search": "european patent"}).json()["results"]] == ["EP"]
    bad = client.get(url("offices/"), {"kind": "planet"})
    assert bad.status_code == 400
    assert "kind" in bad.json()


def test_office_detail_by_code_in_either_case(reference_data):
    client = APIClient()
    assert client.get(url("offices/ep/")).json()["name"] == Office.objects.get(code="EP").name
    assert client.get(url("offices/EP/")).json()["code"] == "EP"
    assert client.get(url("offices/ZZ/")).status_code == 404


def test_standards_list(reference_data):
    data = APIClient().get(url("standards/")).json()
    assert data["count"] == Standard.objects.count()
    st13 = next(s for s in data["results"] if s["code"] == "ST.13")
    row = Standard.objects.get(code="ST.13")
    assert st13 == {"code": "ST.13", "title": row.title, "version": row.version, "adopted": row.adopted, "url": row.url}


# --- the question tree ----------------------------------------------------------------


def test_edition_list_and_whole_question_tree(edition, edition_structure):
    client = APIClient()
    listing = client.get(url("editions/")).json()
    assert listing["count"] == 1
    assert listing["results"][0] == {
        "slug": EDITION_SLUG,
        "version": edition.version,
        "title": edition.title,
        "year": 2012,
        "state": "published",
        "checksum": edition.checksum,
        "url": f"http://testserver/api/editions/{EDITION_SLUG}/",
    }
    tree = client.get(url(f"editions/{EDITION_SLUG}/")).json()
    questions = [q for section in tree["sections"] for q in section["questions"]]
    assert [q["id"] for q in questions] == [q.id for q in edition_structure.questions]
    assert [s["id"] for s in tree["sections"]] == [s.id for s in edition_structure.sections]
    by_id = {q["id"]: q for q in questions}

    q1a = by_id["q1a"]
    assert (q1a["type"], q1a["required"], q1a["condition"]) == ("multi", True, None)
    assert q1a["text"] == "Which types of IPRs are numbered using this system?"
    assert [c["code"] for c in q1a["choices"]] == [
        "patents", "pct_national", "plant_patents", "utility_models", "industrial_designs", "trademarks", "spc",
        "layout_designs", "other",
    ]  # fmt: skip
    assert q1a["choices"][0] == {"code": "patents", "label": "Patents for inventions"}
    assert by_id["q1a_other"]["condition"] == {"has": ["q1a", "other"]}
    # yes/no questions list their two codes like any other choice.
    assert by_id["q5a"]["choices"] == [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}]
    assert (by_id["q4b"]["type"], by_id["q4b"]["parts_from"], by_id["q4b"]["range"]) == ("part_lengths", "q2a", False)
    assert by_id["q4b"]["condition"] == edition_structure.by_id["q4b"].condition
    assert by_id["q4c"]["range"] is True
    assert by_id["q5b"]["rows_from"] == "q1a"
    assert [c["id"] for c in by_id["q14a"]["columns"]] == ["office_name", "example", "priority_presentation"]
    assert by_id["q14a"]["min_rows"] == 1
    assert by_id["q9c"]["catalogue"] == "check_digits"
    assert {"ep_mod10_w12", "cn_mod11", "other"} <= {c["code"] for c in by_id["q9c"]["choices"]}
    assert by_id["q13c"]["required"] is False
    assert by_id["q14d"]["attachment"] is True
    for qid, question in by_id.items():
        source = edition_structure.by_id[qid]
        assert (question["required"], question["condition"], question["type"]) == (
            source.required,
            source.condition,
            source.type,
        )
    assert [e["number"] for e in tree["help_examples"]] == list(range(1, len(edition_structure.examples) + 1))
    assert len(tree["introduction"]) == len(edition_structure.introduction)
    assert client.get(url("editions/no-such-edition/")).status_code == 404


# --- rounds and numbering systems -----------------------------------------------------


def test_rounds_by_who_asks(
    survey_round, make_response, office_a_respondent, office_b_respondent, secretariat_reviewer
):
    other = SurveyRound.objects.create(
        edition=survey_round.edition,
        slug="application-numbering-2030",
        title="Application numbering (2030)",
        year=2030,
        opens_on=date(2030, 1, 1),
        closes_on=date(2030, 12, 31),
    )
    Invitation.objects.create(round=other, office_id="JP")

    def slugs(user=None):
        return [r["slug"] for r in client_for(user).get(url("rounds/")).json()["results"]]

    assert slugs() == []  # nothing published yet
    assert slugs(office_a_respondent) == [ROUND_SLUG]  # invited
    assert slugs(secretariat_reviewer) == ["application-numbering-2030", ROUND_SLUG]
    assert client_for().get(url(f"rounds/{ROUND_SLUG}/")).status_code == 404
    assert client_for(office_a_respondent).get(url("rounds/application-numbering-2030/")).status_code == 404

    make_response(office_b_respondent, {}, label="Patents", publish=False)
    assert slugs() == []
    md = make_response(office_a_respondent, {}, label="Patents")
    SurveyResponse.objects.filter(pk=md.pk).update(status=ResponseStatus.PUBLISHED)
    assert slugs() == [ROUND_SLUG]
    detail = client_for().get(url(f"rounds/{ROUND_SLUG}/")).json()
    assert detail == {
        "slug": ROUND_SLUG,
        "url": f"http://testserver/api/rounds/{ROUND_SLUG}/",
        "title": survey_round.title,
        "year": 2012,
        "edition": EDITION_SLUG,
        "opens_on": "2012-03-01",
        "closes_on": "2012-12-31",
        "status": "open",
        "invited_offices": None,
    }
    assert client_for(secretariat_reviewer).get(url(f"rounds/{ROUND_SLUG}/")).json()["invited_offices"] == ["EP", "MD"]
    assert client_for(secretariat_reviewer).get(url("rounds/"), {"status": "closed"}).json()["count"] == 0


def test_office_adds_a_numbering_system(reference_data, office_a_respondent, secretariat_reviewer):
    client = client_for(office_a_respondent)
    page = client.post(url("numbering-systems/"), {"label": "  Utility models "}, format="json")
    assert page.status_code == 201
    system = NumberingSystem.objects.get()
    assert (system.office_id, system.label, system.created_by) == ("MD", "Utility models", office_a_respondent)
    assert page.json() == {
        "id": system.pk,
        "url": f"http://testserver/api/numbering-systems/{system.pk}/",
        "office": "MD",
        "office_name": "Republic of Moldova",
        "label": "Utility models",
        "created_at": page.json()["created_at"],
    }
    duplicate = client.post(url("numbering-systems/"), {"label": "utility MODELS"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"detail": "The office already has a numbering system called “utility MODELS”."}
    other_office = client.post(url("numbering-systems/"), {"label": "Patents", "office": "EP"}, format="json")
    assert other_office.status_code == 403
    unknown = client.post(url("numbering-systems/"), {"label": "Patents", "office": "ZZ"}, format="json")
    assert unknown.status_code == 400
    assert client_for(secretariat_reviewer).post(url("numbering-systems/"), {"label": "X"}).status_code == 403
    assert NumberingSystem.objects.count() == 1
