"""Import of published response pages: the 2012 plain text and this product's own HTML page."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from surveys.demo import MOLDOVA_TRADEMARKS
from surveys.intake.published_pages import (
    Line,
    import_page,
    lines_from_html,
    map_page,
    norm,
    published_response_record,
    read_page,
)
from surveys.models import (
    Attachment,
    Invitation,
    NumberingSystem,
    ResponseRevision,
    ResponseStatus,
    SurveyResponse,
    SurveyRound,
)

SEED = Path(__file__).parent / "fixtures" / "questionnaire-response-md-002.en.txt"
ROUND = "application-numbering-2012"
EDITION = "application-numbering-2012"

# An EPO-like response answering the follow-ups Moldova's answers hide: "other" texts,
# variable lengths, type codes per IPR type, internal codes, a check digit set apart,
# several separators, a two-row example table, dates with a day, a comment and a file.
EP_RICH = {
    "q1a": ["patents", "utility_models", "other"],
    "q1a_other": "Supplementary protection certificates for plant products",
    "q1b": "1978-06-01",
    "q2a": ["type", "year", "serial", "internal", "control", "other"],
    "q2a_other": "A one-letter filing route code: E (electronic) or P (paper).",
    "q3a": "other",
    "q3b": ["internal", "type", "year", "serial", "other", "control"],
    "q4a": "variable",
    "q4c": {
        "type": {"min": 2, "max": 2},
        "year": {"min": 2, "max": 4},
        "serial": {"min": 1, "max": 6},
        "internal": {"min": 2, "max": 2},
        "control": {"min": 1, "max": 1},
        "other": {"min": 1, "max": 1},
    },
    "q5a": "yes",
    "q5b": {"patents": {"code": "10"}, "utility_models": {"code": "20"}, "other": {"code": "31"}},
    "q5c": "partly",
    "q6a": "yes",
    "q6b": "4",
    "q6c": "other",
    "q6c_other": "Minguo calendar",
    "q7a": "yes",
    "q7b": "variable",
    "q7c": "yes",
    "q7d": "yes",
    "q7e": "yes",
    "q7f": "yes",
    "q8a": "yes",
    "q8b": [{"code": "01", "meaning": "The Hague branch"}, {"code": "02", "meaning": "Munich headquarters"}],
    "q8c": "other",
    "q8c_other": "Before the type code, set apart by a hyphen.",
    "q9a": "yes",
    "q9b": "separate",
    "q9c": "ep_mod10_w12",
    "q10a": "yes",
    "q10b": "The last letter shows the filing route.\nE: electronic filing; P: paper filing.",
    "q11a": "yes",
    "q11b": ["hyphen", "dot", "other"],
    "q11b_other": "Colon “:”",
    "q11c": "no",
    "q12a": "no",
    "q12b": "Priority numbers drop the check digit & the filing route <code>.",
    "q13a": "no",
    "q13b": "yes",
    "q13c": "2015-01-31",
    "q14a": [
        {
            "office_name": "European Patent Office",
            "example": "EP 01-10-1999-403122-E.7",
            "priority_presentation": "EP 01-10-1999-403122-E",
        },
        {"office_name": "European Patent Office", "example": "EP 02-20-2001-12-P.3"},
    ],
    "q14b": "1978",
    "q14c": [
        {
            "description": "Office code, type, year, serial, route, check digit.",
            "ipr_types": "10, 20, 31",
            "year": "4 digits",
            "serial_position": "after the year",
            "internal_code": "first two characters",
            "control_number": "after a dot",
        }
    ],
    "q14d": "See the attached table of examples.",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_legacy_responses", *args, stdout=out)
    return out.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_legacy_responses", *args, stdout=out)
    return out.getvalue(), str(excinfo.value)


def snapshot() -> tuple[int, ...]:
    return (
        SurveyResponse.objects.count(),
        NumberingSystem.objects.count(),
        ResponseRevision.objects.count(),
        Attachment.objects.count(),
        Invitation.objects.count(),
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def other_round(edition):
    """A second 2012 round to re-import published pages into."""
    return SurveyRound.objects.create(
        edition=edition,
        slug="reimport-2012",
        title="Re-import of 2012",
        year=2012,
        opens_on=date(2012, 3, 1),
        closes_on=date(2012, 12, 31),
    )


# --- the 2012 seed page --------------------------------------------------------------------


def test_seed_page_reads_to_the_moldova_answers_without_database(edition_structure):
    page = read_page(seed_text(), edition_structure, source=SEED.name)
    mapped = map_page(page, edition_structure)

    assert (page.format, page.sequence, page.total, page.office_name, page.year) == (
        "text",
        2,
        2,
        "Republic of Moldova",
        2012,
    )
    assert mapped.problems == []
    assert mapped.unmapped == []
    assert mapped.answers == MOLDOVA_TRADEMARKS
    assert mapped.attachments == [("q14d", "Example 2.doc")]
    # Question numbers and letters, not wording, decide the question: the 2012 "Question 10"
    # has no letter and Q3's follow-up is unlettered.
    assert mapped.lines_of["q10a"] < mapped.lines_of["q11a"]
    assert mapped.lines_of["q3a"] < mapped.lines_of["q3b"]


def test_seed_page_imports_exactly_the_moldova_answers(survey_round):
    output = run(str(SEED), "--round", ROUND)

    response = SurveyResponse.objects.get(round=survey_round, office_id="MD", sequence=2)
    assert response.status == ResponseStatus.PUBLISHED
    assert response.published_at is not None
    assert response.answers == MOLDOVA_TRADEMARKS
    assert response.set_aside_answers == {}
    assert response.numbering_system.label == "Imported response 2"
    assert [(a.question_id, a.original_name, bool(a.file)) for a in response.attachments.all()] == [
        ("q14d", "Example 2.doc", False)
    ]
    revision = response.revisions.get()
    assert (revision.version, revision.status, revision.note, revision.author) == (
        1,
        "published",
        "imported from questionnaire-response-md-002.en.txt",
        None,
    )
    assert revision.answers == MOLDOVA_TRADEMARKS
    assert revision.changed == sorted(MOLDOVA_TRADEMARKS)
    # "2 of 2": response 1 is named by the page but not on it — an empty draft keeps the count.
    placeholder = SurveyResponse.objects.get(round=survey_round, office_id="MD", sequence=1)
    assert (placeholder.status, placeholder.answers, placeholder.numbering_system.label) == (
        ResponseStatus.DRAFT,
        {},
        "Imported response 1",
    )
    assert placeholder.revisions.get().note.startswith("placeholder: response 1 of 2")
    assert "imported as md-002 (Republic of Moldova, response 2 of 2, 25 answers, 1 attachment(s) by name)" in output
    assert "not mapped" not in output
    assert "1 of 1 page(s) imported." in output


def test_imported_seed_is_published_with_the_2012_heading(client, survey_round):
    run(str(SEED), "--round", ROUND)

    page = client.get(reverse("surveys:public_response_detail", args=[EDITION, "md-002"]))

    assert page.status_code == 200
    assert "Response 2 of 2 submitted by Republic of Moldova" in page.content.decode()


def test_dry_run_writes_nothing(survey_round):
    before = snapshot()

    output = run(str(SEED), "--round", ROUND, "--dry-run")

    assert snapshot() == before
    assert "would import as md-002" in output
    assert "1 of 1 page(s) would be imported (dry run: nothing was written)." in output


def test_an_office_not_invited_is_invited_by_the_import(edition):
    SurveyRound.objects.create(
        edition=edition, slug="r", title="R", year=2012, opens_on=date(2012, 1, 1), closes_on=date(2012, 12, 31)
    )

    output = run(str(SEED), "--round", "r")

    assert Invitation.objects.filter(round__slug="r", office_id="MD").count() == 1
    assert "invited MD to the round" in output


def test_importing_the_same_page_twice_keeps_the_first(survey_round):
    run(str(SEED), "--round", ROUND)
    before = snapshot()

    output, error = run_failing(str(SEED), "--round", ROUND)

    assert snapshot() == before
    assert "MD already has response 2 in the round" in output
    assert "nothing was overwritten" in output
    assert error == "0 of 1 page(s) imported; 1 failed and nothing was written for them."


def test_a_later_page_fills_the_placeholder(survey_round, tmp_path):
    run(str(SEED), "--round", ROUND)
    first = write(tmp_path, "md-001.txt", seed_text().replace("Response 2 of 2", "Response 1 of 2"))

    output = run(first, "--round", ROUND)

    responses = SurveyResponse.objects.filter(round=survey_round, office_id="MD").order_by("sequence")
    assert [(r.sequence, r.status) for r in responses] == [(1, "published"), (2, "published")]
    filled = responses[0]
    assert filled.answers == MOLDOVA_TRADEMARKS
    assert filled.version == 2
    assert list(filled.revisions.values_list("version", "note")) == [
        (1, "placeholder: response 1 of 2 named on questionnaire-response-md-002.en.txt, not imported"),
        (2, "imported from md-001.txt"),
    ]
    assert "filled the placeholder of response 1" in output


@pytest.mark.parametrize(
    ("label", "earlier_system", "system", "systems", "notes"),
    [
        # The office has no system of that name: the placeholder's made-up name is replaced.
        (
            "Designs",
            False,
            "Designs",
            ["Designs", "Imported response 2"],
            ["filled the placeholder of response 1", "renamed numbering system “Imported response 1” to “Designs”"],
        ),
        # A system known from an earlier round takes the response; the made-up one goes.
        (
            "trademarks",
            True,
            "Trademarks",
            ["Imported response 2", "Trademarks"],
            ["filled the placeholder of response 1"],
        ),
    ],
)
def test_a_placeholder_filled_in_a_closed_round_takes_the_page_label(
    survey_round, label, earlier_system, system, systems, notes
):
    run(str(SEED), "--round", ROUND)
    if earlier_system:
        NumberingSystem.objects.create(office_id="MD", label="Trademarks")
    survey_round.status = SurveyRound.Status.CLOSED
    survey_round.save(update_fields=["status"])
    placeholder = SurveyResponse.objects.get(round=survey_round, office_id="MD", sequence=1)

    response, written = published_response_record(
        survey_round=survey_round,
        office=placeholder.office,
        sequence=1,
        total=2,
        label=label,
        answers=MOLDOVA_TRADEMARKS,
        source="md-001.html",
    )

    assert response.pk == placeholder.pk
    response.refresh_from_db()
    assert (response.status, response.version, response.answers) == ("published", 2, MOLDOVA_TRADEMARKS)
    assert response.published_at is not None
    assert response.numbering_system.label == system
    assert sorted(NumberingSystem.objects.filter(office_id="MD").values_list("label", flat=True)) == systems
    assert list(response.revisions.values_list("version", "status", "note")) == [
        (1, "draft", "placeholder: response 1 of 2 named on questionnaire-response-md-002.en.txt, not imported"),
        (2, "published", "imported from md-001.html"),
    ]
    assert written == notes


def test_only_the_secretariat_or_a_command_imports_pages(survey_round, office_a_approver, secretariat_reviewer):
    before = snapshot()

    refused = import_page(seed_text(), survey_round=survey_round, source="md-002.txt", user=office_a_approver)

    assert refused.problems == ["Only the International Bureau (secretariat) can record responses for an office."]
    assert snapshot() == before
    done = import_page(seed_text(), survey_round=survey_round, source="md-002.txt", user=secretariat_reviewer)
    assert done.ok and done.public_key == "md-002"
    response = SurveyResponse.objects.get(pk=done.response_id)
    assert (response.created_by, response.updated_by, response.revisions.get().author) == (
        secretariat_reviewer,
        secretariat_reviewer,
        secretariat_reviewer,
    )


# --- pages that fail ---------------------------------------------------------------------


def test_truncated_page_fails_and_writes_nothing(survey_round, tmp_path):
    text = seed_text()
    truncated = write(tmp_path, "truncated.txt", text[: text.index("CODE FOR INTERNAL USE")])
    before = snapshot()

    output, error = run_failing(truncated, "--round", ROUND)

    assert snapshot() == before
    assert "truncated.txt: FAILED, nothing written" in output
    assert (
        "no answer found for required question(s) Question 8 a) (q8a), Question 9 a) (q9a), "
        "Question 10 a) (q10a), Question 11 a) (q11a), Question 12 a) (q12a), Question 13 a) (q13a), "
        "Question 14 a) (q14a) — the page stops after Question 7: is it complete (truncated?)"
    ) in output
    assert "1 failed" in error


def test_garbled_choice_fails_with_its_line(survey_round, tmp_path):
    text = seed_text()
    line_no = text[: text.index("\nFixed\n\nQuestion 4 (cont'd)")].count("\n") + 2
    garbled = write(
        tmp_path, "garbled.txt", text.replace("\nFixed\n\nQuestion 4 (cont'd)", "\nFixd\n\nQuestion 4 (cont'd)")
    )
    before = snapshot()

    output, _ = run_failing(garbled, "--round", ROUND)

    assert snapshot() == before
    assert (
        f"line {line_no}: Question 4 a) (q4a): “Fixd” is not one of the choices (Fixed length, Variable length)"
        in output
    )
    # q4b is on the page but q4a could not be read, so the branching hides it.
    assert "Question 4 b) (q4b) is answered, but the other answers make it not applicable" in output
    assert f"line {line_no}: 'Fixd' — “Fixd” is not one of the choices" in output


def test_answer_the_branching_hides_fails(survey_round, tmp_path):
    text = seed_text().replace("\nFixed\n\nQuestion 4 (cont'd)", "\nVariable\n\nQuestion 4 (cont'd)")
    page = write(tmp_path, "variable.txt", text)

    output, _ = run_failing(page, "--round", ROUND)

    assert "Question 4 b) (q4b) is answered, but the other answers make it not applicable" in output
    assert "no answer found for required question(s) Question 4 c) (q4c)" in output
    assert SurveyResponse.objects.count() == 0


def test_unreadable_date_fails(survey_round, tmp_path):
    page = write(tmp_path, "date.txt", seed_text().replace("from 1992", "from 19x2"))

    output, _ = run_failing(page, "--round", ROUND)

    assert "Question 1 b) (q1b): “from 19x2” is not a year (yyyy) or a date (dd/mm/yyyy)" in output
    assert SurveyResponse.objects.count() == 0


def test_page_without_heading_fails(survey_round, tmp_path):
    page = write(tmp_path, "notes.txt", "Some notes\n\nQuestion 1\n\na) Which types?\n\n  • Trademarks\n")

    output, _ = run_failing(page, "--round", ROUND)

    assert "no heading “Response n of m submitted by … in yyyy” found: is this a response page?" in output
    assert SurveyResponse.objects.count() == 0


def test_unknown_office_and_wrong_year_fail(survey_round, tmp_path):
    text = seed_text().replace("submitted by Republic of Moldova in 2012", "submitted by Atlantis in 2013")
    page = write(tmp_path, "atlantis.txt", text)

    output, _ = run_failing(page, "--round", ROUND)

    assert "no office called “Atlantis” in the ST.3 list" in output
    assert "the response was submitted in 2013, but the round" in output
    assert SurveyResponse.objects.count() == 0


def test_unknown_round_and_missing_file(survey_round, tmp_path):
    with pytest.raises(
        CommandError, match="No round with the slug “nope” \\(known rounds: application-numbering-2012\\)"
    ):
        run(str(SEED), "--round", "nope")
    output, _ = run_failing(str(tmp_path / "missing.txt"), "--round", ROUND)
    assert "missing.txt: FAILED, nothing written" in output
    assert "cannot read" in output


def test_non_utf8_file_fails(survey_round, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Response 2 of 2 submitted by Republic of Moldôva in 2012\n".encode("latin-1"))

    output, _ = run_failing(str(path), "--round", ROUND)

    assert "latin1.txt is not UTF-8 text" in output


def test_each_page_is_atomic(survey_round, tmp_path):
    bad = write(
        tmp_path, "bad.txt", seed_text().replace("\nFixed\n\nQuestion 4 (cont'd)", "\nFixd\n\nQuestion 4 (cont'd)")
    )

    output, error = run_failing(bad, str(SEED), "--round", ROUND)

    assert error == "1 of 2 page(s) imported; 1 failed and nothing was written for them."
    assert list(SurveyResponse.objects.values_list("office_id", "sequence", "status").order_by("sequence")) == [
        ("MD", 1, "draft"),
        ("MD", 2, "published"),
    ]
    assert (
        SurveyResponse.objects.get(sequence=2).revisions.get().note
        == "imported from questionnaire-response-md-002.en.txt"
    )


def test_lines_it_cannot_map_are_reported_and_the_page_still_imports(survey_round, tmp_path):
    text = seed_text().replace(
        "Are the numbers sequential?\n\nYes\n", "Are the numbers sequential?\n\nYes\n\nMostly.\n"
    )
    line_no = text[: text.index("Mostly.")].count("\n") + 1
    page = write(tmp_path, "extra.txt", text)

    output = run(page, "--round", ROUND)

    assert "1 line(s) not mapped:" in output
    assert f"line {line_no}: 'Mostly.' — after the answer to Question 7 c) (q7c), which takes one line" in output
    assert SurveyResponse.objects.get(sequence=2).answers == MOLDOVA_TRADEMARKS


def test_question_missing_from_the_edition_fails(survey_round, tmp_path):
    text = seed_text().replace("f) Does your Office", "g) Does your Office")
    page = write(tmp_path, "q7g.txt", text)

    output, _ = run_failing(page, "--round", ROUND)

    assert "Question 7 g) is not a question of the edition application-numbering-2012" in output
    assert "answer to an unknown question" in output


# --- this product's own page -----------------------------------------------------------------


def rendered(client, key: str, tmp_path: Path) -> str:
    page = client.get(reverse("surveys:public_response_detail", args=[EDITION, key]))
    assert page.status_code == 200
    return write(tmp_path, f"{key}.html", page.content.decode())


def test_own_public_page_of_moldova_reimports_to_identical_answers(
    client, office_a_respondent, make_response, moldova_answers, other_round, tmp_path
):
    make_response(office_a_respondent, label="Patents")
    original = make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    Attachment.objects.create(response=original, question_id="q14d", token="t-md-002", original_name="Example 2.doc")
    page = rendered(client, "md-002", tmp_path)

    output = run(page, "--round", other_round.slug)

    copy = SurveyResponse.objects.get(round=other_round, office_id="MD", sequence=2)
    assert copy.answers == original.answers == MOLDOVA_TRADEMARKS
    assert [(a.question_id, a.original_name) for a in copy.attachments.all()] == [("q14d", "Example 2.doc")]
    # The page names its numbering system, which persists across rounds.
    assert copy.numbering_system_id == original.numbering_system_id
    assert "not mapped" not in output


def test_own_public_page_with_every_kind_of_answer_reimports_identically(
    client, office_b_respondent, make_response, other_round, tmp_path
):
    original = make_response(office_b_respondent, EP_RICH, label="European patents", publish=True)
    assert original.answers == EP_RICH  # the engine kept every answer (all applicable, all valid)
    Attachment.objects.create(response=original, question_id="q14d", token="t-ep-001", original_name="Table.xlsx")
    page = rendered(client, "ep-001", tmp_path)

    output = run(page, "--round", other_round.slug)

    copy = SurveyResponse.objects.get(round=other_round, office_id="EP", sequence=1)
    assert copy.answers == EP_RICH
    assert [(a.question_id, a.original_name) for a in copy.attachments.all()] == [("q14d", "Table.xlsx")]
    assert f"imported as ep-001 (European Patent Office (EPO), response 1 of 1, {len(EP_RICH)} answers" in output
    assert "not mapped" not in output


def test_own_page_whose_markup_names_another_question_fails(
    client, office_a_respondent, make_response, moldova_answers, other_round, tmp_path
):
    make_response(office_a_respondent, label="Patents")
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    path = Path(rendered(client, "md-002", tmp_path))
    path.write_text(path.read_text().replace('data-question="q7c"', 'data-question="q7d"'), encoding="utf-8")

    output, _ = run_failing(str(path), "--round", other_round.slug)

    assert "the page marks Question 7 c) as q7d, but it is q7c in the edition" in output
    assert not SurveyResponse.objects.filter(round=other_round).exists()


def test_truncated_html_page_fails(client, office_a_respondent, make_response, moldova_answers, other_round, tmp_path):
    make_response(office_a_respondent, label="Patents")
    make_response(office_a_respondent, moldova_answers, label="Trademarks", publish=True)
    path = Path(rendered(client, "md-002", tmp_path))
    html = path.read_text()
    path.write_text(html[: html.index('id="section-separators"')], encoding="utf-8")

    output, _ = run_failing(str(path), "--round", other_round.slug)

    assert "the page stops after Question 10: is it complete (truncated?)" in output
    assert not SurveyResponse.objects.filter(round=other_round).exists()


def test_own_page_without_optional_end_tags_reimports_identically(
    client, office_b_respondent, make_response, other_round, tmp_path
):
    # HTML lets a page leave out the end of paragraphs, list items, cells and rows; the
    # parser closes them where the next one starts.
    make_response(office_b_respondent, EP_RICH, label="European patents", publish=True)
    path = Path(rendered(client, "ep-001", tmp_path))
    html = path.read_text()
    for end_tag in ("</p>", "</li>", "</td>", "</th>", "</tr>", "</thead>", "</tbody>"):
        html = html.replace(end_tag, "")
    path.write_text(html, encoding="utf-8")

    output = run(str(path), "--round", other_round.slug)

    assert SurveyResponse.objects.get(round=other_round, office_id="EP", sequence=1).answers == EP_RICH
    assert "not mapped" not in output


def test_html_page_nested_beyond_what_the_parser_reads_fails(survey_round, tmp_path):
    depth = 5000
    page = write(
        tmp_path,
        "deep.html",
        "<html><body><main><h1>Response 1 of 1 submitted by Republic of Moldova in 2012</h1>\n"
        + "<div>" * depth
        + "<p>Question 1</p>"
        + "</div>" * depth
        + "</main></body></html>",
    )

    output, _ = run_failing(page, "--round", ROUND)

    assert "line 2: the HTML cannot be read from here on" in output
    assert SurveyResponse.objects.count() == 0


def test_plain_html_without_our_markup_reads_like_text(edition_structure):
    # The 2012 text wrapped in paragraphs and list items, as a saved web page would be.
    body = []
    for raw in seed_text().splitlines():
        line = raw.strip()
        if line.startswith("•"):
            body.append(f"<ul><li>{line[1:].strip()}</li></ul>")
        elif line:
            body.append(f"<p>{line.replace('&', '&amp;').replace('<', '&lt;')}</p>")
    html = "<!doctype html><html><body>" + "\n".join(body) + "</body></html>"

    mapped = map_page(read_page(html, edition_structure, source="saved.html"), edition_structure)

    assert mapped.problems == []
    assert mapped.answers == MOLDOVA_TRADEMARKS


def test_html_lines_keep_line_breaks_and_skip_review_parts():
    html = (
        "<main><h1>Title</h1><section class='compliance'><h2>Against ST.13</h2><p>skip me</p></section>"
        "<p class='answer'>one<br>two &amp; three</p><ul><li>A</li><li>B</li></ul>"
        "<table><thead><tr><th>H1</th><th>H2</th></tr></thead><tbody><tr><td>x</td><td> </td></tr></tbody></table>"
        "</main><footer><p>not read</p></footer>"
    )

    lines = lines_from_html(html)

    assert lines == [
        Line(1, "Title"),
        Line(1, "one\ntwo & three", "answer"),
        Line(1, "A", "bullet"),
        Line(1, "B", "bullet"),
        Line(1, "", "table", headers=("H1", "H2"), rows=(("x", ""),)),
    ]


def test_html_lines_recover_unclosed_and_stray_tags():
    html = (
        "<main><h2>Types</h2>\n"
        "<div data-question='q1a'><p class='q-text'>a) Which types?\n"
        "<ul><li>Patents<li>Trade&shy;marks</ul>\n"
        "<p class='answer'>one<br>two</span></b>\n"
        "<table><thead><tr><th>Part<th>Length<tbody><tr><td>Year<td>4<tr><td>Serial<td>6</table>\n"
        "<p class='answer'>cut off"
    )

    lines = lines_from_html(html)

    assert lines == [
        Line(1, "Types", "section"),
        Line(2, "a) Which types?", "question", "q1a"),
        Line(3, "Patents", "bullet", "q1a"),
        Line(3, "Trade\u00admarks", "bullet", "q1a"),
        Line(4, "one\ntwo", "answer", "q1a"),
        Line(5, "", "table", headers=("Part", "Length"), rows=(("Year", "4"), ("Serial", "6"))),
        Line(6, "cut off", "answer", "q1a"),
    ]


@pytest.mark.parametrize("html", ["", " \n ", "<!-- nothing here -->", "<html><body></body></html>", "<main>\n</main>"])
def test_html_lines_of_an_empty_page(html):
    assert lines_from_html(html) == []


@pytest.mark.parametrize(
    "declaration",
    ['<meta charset="windows-1252">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'],
)
def test_html_lines_ignore_the_charset_a_page_declares(declaration):
    # The file is decoded (UTF-8) before it is parsed: what the page says of its encoding
    # must not decode it again.
    html = f"<html><head>{declaration}</head><body><main><p class='answer'>Moldôva – “Ştiinţa”</p></main></body></html>"
    xhtml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + html

    assert lines_from_html(html) == [Line(1, "Moldôva – “Ştiinţa”", "answer")]
    assert lines_from_html(xhtml) == [Line(2, "Moldôva – “Ştiinţa”", "answer")]


def test_norm_ignores_case_punctuation_and_quotes():
    assert norm("Control number (check digit)") == norm("Control number check digit") == "control number check digit"
    assert norm("Slash “/”") == "slash"
    assert norm("'type' 'year' 'serial number'") == "type year serial number"
