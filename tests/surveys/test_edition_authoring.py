"""Editions authored as spreadsheets (surveys/questionnaire/authoring.py and its pages):
drafts imported, replaced, previewed and published; translations re-imported into a
published edition; who may do what; the API; the list's query count."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from surveys.errors import NotAllowed, WorkflowError
from surveys.models import TRANSLATOR_GROUP, EditionState, QuestionnaireEdition, SurveyResponse
from surveys.questionnaire import authoring, spreadsheet
from surveys.questionnaire.loading import EDITIONS_DIR, checksum
from surveys.review.rounds import round_create
from surveys.table_files import XLSX_CONTENT_TYPE
from tests.surveys.edition_sheets import book, definition_2012, small_sheets
from tests.surveys.web_helpers import EDITION_SLUG, logged_in

SLUG = "test-edition-2027"


@pytest.fixture
def translator(reference_data):
    user = User.objects.create_user("translator", password="persona-password")
    user.groups.add(Group.objects.get_or_create(name=TRANSLATOR_GROUP)[0])
    return user


def upload(sheets=None, **kwargs):
    data = book(sheets or small_sheets(**kwargs)).getvalue()
    return SimpleUploadedFile("edition.xlsx", data, content_type=XLSX_CONTENT_TYPE)


def spreadsheet_file(definition: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("edition.xlsx", spreadsheet.workbook(definition))


@pytest.fixture
def draft(secretariat_reviewer):
    return authoring.edition_import(file=upload(), user=secretariat_reviewer).edition


# --- the services -------------------------------------------------------------------------


def test_a_new_spreadsheet_becomes_a_draft_and_the_same_id_replaces_it(secretariat_reviewer):
    first = authoring.edition_import(file=upload(), user=secretariat_reviewer)
    assert first.outcome == "created"
    assert first.edition.state == EditionState.DRAFT
    assert [q.id for q in first.edition.structure.questions] == ["q1", "q1_other", "q2", "q3"]
    sheets = small_sheets()
    sheets["survey"][5][2] = "How many digits does the year have?"
    second = authoring.edition_import(file=upload(sheets), user=secretariat_reviewer)
    assert second.outcome == "replaced"
    assert second.edition.pk == first.edition.pk
    assert second.edition.structure.by_id["q3"].text["en"] == "How many digits does the year have?"
    assert QuestionnaireEdition.objects.filter(slug=SLUG).count() == 1


def test_a_spreadsheet_with_errors_writes_nothing_and_says_where(secretariat_reviewer):
    sheets = small_sheets()
    sheets["survey"][3][0] = "colour"
    with pytest.raises(authoring.EditionInvalid) as caught:
        authoring.edition_import(file=upload(sheets), user=secretariat_reviewer)
    assert [p.cell for p in caught.value.problems if p.error] == ["survey!A4"]
    assert not QuestionnaireEdition.objects.filter(slug=SLUG).exists()


def test_the_warnings_of_a_draft_are_kept_with_it(secretariat_reviewer):
    sheets = small_sheets()
    sheets["survey"][2][4] = ""
    result = authoring.edition_import(file=upload(sheets), user=secretariat_reviewer)
    assert [str(w) for w in authoring.stored_warnings(result.edition)] == [
        "survey!E3 (label::Español (es)): no Spanish text: readers in Spanish will see the English one"
    ]


def test_a_published_edition_takes_new_translations_only(reference_data, secretariat_reviewer, translator):
    definition = definition_2012()
    definition["sections"][0]["questions"][0]["text"]["fr"] = "Quels types de DPI (corrigé) ?"
    for user in (translator, secretariat_reviewer):
        result = authoring.edition_import(file=spreadsheet_file(definition), user=user)
        assert result.outcome in ("translations updated", "unchanged")
    reference_data.refresh_from_db()
    assert reference_data.state == EditionState.PUBLISHED
    assert reference_data.checksum == checksum(definition_2012())
    assert reference_data.structure.by_id["q1a"].text["fr"] == "Quels types de DPI (corrigé) ?"
    changed = definition_2012()
    changed["sections"][0]["questions"][0]["text"]["en"] = "Which kinds, really?"
    with pytest.raises(authoring.EditionInvalid) as caught:
        authoring.edition_import(file=spreadsheet_file(changed), user=secretariat_reviewer)
    (problem,) = caught.value.problems
    assert problem.cell == "settings!A2"
    assert "application-numbering-2012 is published: only its translations can be re-imported" in problem.message
    assert "(q1a)" in problem.message
    reference_data.refresh_from_db()
    assert reference_data.checksum == checksum(definition_2012())


def test_a_translator_changes_texts_but_not_questions(draft, translator, office_a_respondent):
    sheets = small_sheets()
    sheets["survey"][2][3] = "Quels types de droits ?"
    result = authoring.edition_import(file=upload(sheets), user=translator)
    assert result.outcome == "translations updated"
    assert QuestionnaireEdition.objects.get(slug=SLUG).structure.by_id["q1"].text["fr"] == "Quels types de droits ?"
    sheets["survey"][2][2] = "Which kinds of rights?"
    with pytest.raises(NotAllowed, match=r"French and Spanish texts only.*\(q1\)"):
        authoring.edition_import(file=upload(sheets), user=translator)
    with pytest.raises(NotAllowed):
        authoring.edition_import(file=upload(slug="another-2027"), user=translator)
    with pytest.raises(NotAllowed):
        authoring.edition_import(file=upload(), user=office_a_respondent)


def test_publishing_makes_the_draft_open_rounds_and_only_then(draft, secretariat_reviewer, reference_data):
    opening = {
        "title": "Test round",
        "slug": "test-round-2027",
        "year": 2027,
        "opens_on": date(2027, 1, 1),
        "closes_on": date(2027, 6, 30),
        "office_codes": ["MD"],
        "user": secretariat_reviewer,
    }
    with pytest.raises(WorkflowError, match="is a draft: publish it before opening a round"):
        round_create(edition=draft, **opening)
    published = authoring.edition_publish(edition=draft, user=secretariat_reviewer)
    assert published.state == EditionState.PUBLISHED and published.published_at is not None
    assert round_create(edition=published, **opening).edition == published
    with pytest.raises(WorkflowError, match="published already"):
        authoring.edition_publish(edition=published, user=secretariat_reviewer)
    with pytest.raises(authoring.EditionInvalid):
        authoring.edition_import(file=upload(sheets=_changed_small()), user=secretariat_reviewer)


def _changed_small():
    sheets = small_sheets()
    sheets["survey"][5][2] = "A changed question"
    return sheets


def test_the_round_form_offers_published_editions_only(draft, secretariat_reviewer):
    page = logged_in(secretariat_reviewer).get(reverse("surveys:round_new"))
    assert EDITION_SLUG in page.content.decode()
    assert SLUG not in page.content.decode()


def test_a_draft_revising_an_edition_that_is_not_here_cannot_be_imported(secretariat_reviewer):
    sheets = small_sheets(revises="application-numbering-1999")
    sheets["mapping"] = [["kind", "old", "new"], ["added", "", "q1"]]
    with pytest.raises(authoring.EditionInvalid) as caught:
        authoring.edition_import(file=upload(sheets), user=secretariat_reviewer)
    assert [str(p) for p in caught.value.problems if p.error] == [
        "settings!H2 (revises): this edition revises application-numbering-1999, which is not a published "
        "edition of this site"
    ]


def test_a_mapping_naming_what_the_revised_edition_lacks_is_pointed_at(reference_data, secretariat_reviewer):
    sheets = small_sheets(revises=EDITION_SLUG)
    sheets["mapping"] = [["kind", "old", "new", "old_choice", "new_choice"], ["removed", "q77", ""]]
    with pytest.raises(authoring.EditionInvalid) as caught:
        authoring.edition_import(file=upload(sheets), user=secretariat_reviewer)
    assert any(p.sheet == "mapping" for p in caught.value.problems if p.error)
    if authoring._revisions is None:
        assert "mapping!B2 (old): q77 is not a question of application-numbering-2012" in {
            str(p) for p in caught.value.problems
        }


def test_the_2026_spreadsheet_with_a_broken_mapping_row_is_refused_at_that_row(reference_data, secretariat_reviewer):
    """The real 2026 workbook, its mapping checked against the loaded 2012 edition by the
    revisions module: one row naming a question 2012 never had is pointed at; the workbook
    as shipped imports as a draft."""
    import openpyxl

    shipped = (EDITIONS_DIR / "application-numbering-2026.xlsx").read_bytes()
    workbook = openpyxl.load_workbook(io.BytesIO(shipped))
    sheet = workbook["mapping"]
    header = [cell.value for cell in sheet[1]]
    kind, old = header.index("kind") + 1, header.index("old") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, kind).value == "split")
    sheet.cell(row, old).value = "q12z"
    broken = io.BytesIO()
    workbook.save(broken)
    with pytest.raises(authoring.EditionInvalid) as caught:
        authoring.edition_import(file=SimpleUploadedFile("2026.xlsx", broken.getvalue()), user=secretariat_reviewer)
    errors = [str(p) for p in caught.value.problems if p.error]
    assert any(e.startswith(f"mapping!A{row} ") and "q12z" in e for e in errors), errors
    # q12a, now named by no row, is reported as unaccounted for.
    assert any("q12a" in e for e in errors), errors
    assert not QuestionnaireEdition.objects.filter(slug="application-numbering-2026").exists()

    result = authoring.edition_import(file=SimpleUploadedFile("2026.xlsx", shipped), user=secretariat_reviewer)
    assert result.edition.slug == "application-numbering-2026" and result.edition.state == EditionState.DRAFT


def test_the_2012_edition_loads_from_its_spreadsheet_with_the_same_checksum(reference_data, tmp_path):
    path = tmp_path / "edition.xlsx"
    call_command("export_edition", EDITION_SLUG, output=path, stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_edition", str(path), stdout=out)
    assert "application-numbering-2012 (version 2012.1, 46 questions): unchanged" in out.getvalue()
    json_path = tmp_path / "from-json.xlsx"
    call_command("export_edition", "surveys/editions/application-numbering-2012.json", output=json_path, stdout=out)
    assert json_path.read_bytes()[:2] == b"PK"


# --- the pages ----------------------------------------------------------------------------


def test_the_upload_page_shows_every_problem_with_its_cell(secretariat_reviewer):
    client = logged_in(secretariat_reviewer)
    sheets = small_sheets()
    sheets["survey"][3][6] = "${q9z} = 'yes'"
    page = client.post(reverse("surveys:edition_upload"), {"file": upload(sheets)})
    assert page.status_code == 400
    assert "survey!G4" in page.content.decode()
    assert "the condition names q9z, which is not a question of this edition" in page.content.decode()
    done = client.post(reverse("surveys:edition_upload"), {"file": upload()})
    assert done.status_code == 302 and done["Location"] == reverse("surveys:edition_status", args=[SLUG])
    status = client.get(done["Location"]).content.decode()
    assert "created as a draft" in status
    assert reverse("surveys:edition_preview", args=[SLUG]) in status
    assert reverse("surveys:edition_publish", args=[SLUG]) in status


def test_the_upload_is_capped_like_every_import(secretariat_reviewer, settings):
    settings.WIPOSTAD_IMPORT_MAX_BYTES = 100
    page = logged_in(secretariat_reviewer).post(reverse("surveys:edition_upload"), {"file": upload()})
    assert page.status_code == 400
    assert "files to import may be at most 100" in page.content.decode()


def test_publishing_asks_for_confirmation(draft, secretariat_reviewer):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:edition_publish", args=[SLUG])
    assert "Publish the edition" in client.get(url).content.decode()
    assert QuestionnaireEdition.objects.get(slug=SLUG).is_draft
    assert client.post(url).status_code == 302
    assert not QuestionnaireEdition.objects.get(slug=SLUG).is_draft


def test_the_preview_renders_the_form_and_saves_nothing(draft, secretariat_reviewer, survey_round):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:edition_preview", args=[SLUG])
    page = client.get(url).content.decode()
    assert 'id="q-q1_other"' in page and "Which other kind?" in page
    assert 'id="wp-conditions"' in page and "branching.js" in page
    before = (SurveyResponse.objects.count(), QuestionnaireEdition.objects.get(slug=SLUG).definition)
    posted = client.post(url, {"q1": ["other"], "q2": "yes", "q3": "-4"}, follow=True)
    content = posted.content.decode()
    assert posted.status_code == 200
    assert "This is a preview: nothing was saved." in content
    assert "Which other kind?" in content and "error-summary" in content
    assert (SurveyResponse.objects.count(), QuestionnaireEdition.objects.get(slug=SLUG).definition) == before
    complete = client.post(url, {"q1": ["patents"], "q2": "no"}).content.decode()
    assert "These answers would be accepted on submission." in complete


def test_a_draft_is_hidden_from_the_public_and_offices(draft, client, office_a_respondent):
    for who in (client, logged_in(office_a_respondent)):
        for name in ("edition_status", "edition_preview", "edition_spreadsheet"):
            assert who.get(reverse(f"surveys:{name}", args=[SLUG])).status_code == 404
        assert who.get(reverse("surveys:edition_detail", args=[SLUG])).status_code == 404
        listed = who.get(reverse("surveys:edition_list")).content.decode()
        assert SLUG not in listed and EDITION_SLUG in listed
        assert SLUG not in who.get(reverse("home")).content.decode()


def test_the_spreadsheet_of_any_edition_downloads(reference_data, client):
    response = client.get(reverse("surveys:edition_spreadsheet", args=[EDITION_SLUG]))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="application-numbering-2012-2012.1.xlsx"' in response["Content-Disposition"]
    assert spreadsheet.read(io.BytesIO(response.content))[0] == reference_data.definition


# Persona → may they: see the draft, open the upload page, publish the draft.
PERSONAS = {
    "anonymous": (False, "login", "login"),
    "office": (False, 403, 403),
    "translator": (True, 200, 403),
    "secretariat": (True, 200, 302),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_see_upload_and_publish_drafts(persona, draft, office_a_respondent, translator, secretariat_reviewer):
    users = {"office": office_a_respondent, "translator": translator, "secretariat": secretariat_reviewer}
    client = logged_in(users[persona]) if persona in users else Client()
    sees, upload_page, publish = PERSONAS[persona]
    assert (client.get(reverse("surveys:edition_status", args=[SLUG])).status_code == 200) is sees
    assert (SLUG in client.get(reverse("surveys:edition_list")).content.decode()) is sees
    response = client.get(reverse("surveys:edition_upload"))
    assert (response.status_code if upload_page != "login" else response["Location"].split("?")[0]) == (
        upload_page if upload_page != "login" else "/accounts/login/"
    )
    response = client.post(reverse("surveys:edition_publish", args=[SLUG]))
    expected = 404 if not sees and publish != "login" else publish
    if publish == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    assert QuestionnaireEdition.objects.get(slug=SLUG).is_draft is (persona != "secretariat")


def test_the_edition_list_costs_the_same_for_more_editions(reference_data, secretariat_reviewer):
    client = logged_in(secretariat_reviewer)
    url = reverse("surveys:edition_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    authoring.edition_import(file=upload(slug="one-2027"), user=secretariat_reviewer)
    one = queries()
    for n in range(2, 6):
        authoring.edition_import(file=upload(slug=f"edition-{n}"), user=secretariat_reviewer)
    assert queries() == one
    listed = client.get(url).content.decode()
    assert all(f"edition-{n}" in listed for n in range(2, 6))


# --- the API ----------------------------------------------------------------------------


def test_the_api_lists_editions_with_their_state(draft, secretariat_reviewer):
    api = APIClient()
    public = api.get(reverse("api:edition-list")).json()
    assert [(e["slug"], e["state"]) for e in public["results"]] == [(EDITION_SLUG, "published")]
    api.force_authenticate(secretariat_reviewer)
    listed = api.get(reverse("api:edition-list")).json()
    assert {(e["slug"], e["state"]) for e in listed["results"]} == {(EDITION_SLUG, "published"), (SLUG, "draft")}
    assert api.get(reverse("api:edition-detail", args=[SLUG])).status_code == 200
    assert APIClient().get(reverse("api:edition-detail", args=[SLUG])).status_code == 404


def test_the_api_list_costs_the_same_for_more_editions(draft, secretariat_reviewer):
    api = APIClient()
    api.force_authenticate(secretariat_reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(reverse("api:edition-list")).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for n in range(2, 6):
        authoring.edition_import(file=upload(slug=f"edition-{n}"), user=secretariat_reviewer)
    assert queries() == one


def test_the_api_uploads_and_downloads_spreadsheets(reference_data, secretariat_reviewer, office_a_respondent):
    api = APIClient()
    url = reverse("api:edition-upload")
    assert api.post(url, {"file": upload()}, format="multipart").status_code in (401, 403)
    api.force_authenticate(office_a_respondent)
    assert api.post(url, {"file": upload()}, format="multipart").status_code == 403
    api.force_authenticate(secretariat_reviewer)
    sheets = small_sheets()
    sheets["survey"][2][0] = "select_one nolist"
    refused = api.post(url, {"file": upload(sheets)}, format="multipart")
    assert refused.status_code == 400
    assert [p["cell"] for p in refused.json()["problems"] if p["severity"] == "error"] == ["survey!A3"]
    created = api.post(url, {"file": upload()}, format="multipart")
    assert created.status_code == 201
    assert created.json()["outcome"] == "created" and created.json()["edition"]["state"] == "draft"
    again = api.post(url, {"file": upload()}, format="multipart")
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    download = api.get(reverse("api:edition-spreadsheet", args=[SLUG]))
    assert download.status_code == 200
    assert spreadsheet.read(io.BytesIO(download.content))[0] == QuestionnaireEdition.objects.get(slug=SLUG).definition
    assert APIClient().get(reverse("api:edition-spreadsheet", args=[SLUG])).status_code == 404


def test_the_admin_lists_editions_with_their_state_and_spreadsheet(draft, reference_data):
    admin = User.objects.create_superuser("site.admin", "admin@example.org", "persona-password")
    page = logged_in(admin).get(reverse("admin:surveys_questionnaireedition_changelist")).content.decode()
    assert "Draft" in page and "Published" in page
    assert reverse("surveys:edition_spreadsheet", args=[SLUG]) in page


def test_the_spreadsheet_download_is_written_once_per_state_of_the_edition(reference_data, monkeypatch):
    """Anyone may download a published edition's spreadsheet: it is written once, then
    served from the cache until the edition changes (a translation re-imported)."""
    from django.core.cache import cache

    cache.clear()
    written = []
    real = spreadsheet.workbook
    monkeypatch.setattr(spreadsheet, "workbook", lambda definition: written.append(1) or real(definition))
    url = reverse("surveys:edition_spreadsheet", args=[EDITION_SLUG])
    first, second = Client().get(url), Client().get(url)
    api = APIClient().get(f"/api/editions/{EDITION_SLUG}/spreadsheet/")
    assert first.content == second.content == api.content and first.content[:2] == b"PK"
    assert len(written) == 1
    QuestionnaireEdition.objects.filter(slug=EDITION_SLUG).update(updated_at=timezone.now())
    assert Client().get(url).content[:2] == b"PK"
    assert len(written) == 2


def test_a_translation_loaded_from_the_edition_file_gives_a_new_spreadsheet(reference_data):
    # `load_edition` with new French texts keeps the checksum: the download must not be the
    # workbook cached before it.
    import copy

    from django.core.cache import cache

    from surveys.questionnaire.loading import definition_load

    cache.clear()
    url = reverse("surveys:edition_spreadsheet", args=[EDITION_SLUG])
    before = Client().get(url).content
    edition = QuestionnaireEdition.objects.get(slug=EDITION_SLUG)
    definition = copy.deepcopy(edition.definition)
    definition["title"]["fr"] = definition["title"]["fr"] + " (texte revu)"
    assert checksum(definition) == edition.checksum
    assert definition_load(definition)[1] == "translations updated"
    after = Client().get(url).content
    assert after != before
    found = spreadsheet.read(io.BytesIO(after))[0]
    assert found["title"]["fr"].endswith("(texte revu)")
