"""The open data of a round: a versioned ZIP of the published answers that validates as a
Frictionless Data Package, built in the background, with a change log."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import frictionless
import pytest
from django.urls import reverse

from surveys.models import ExportBuild, OpenDataRelease, SurveyRound
from surveys.reports import builds, opendata, tables
from surveys.review.workflow import response_accept, response_publish, response_reopen, response_submit
from tests.surveys.test_export_builds import DUMMY
from tests.surveys.test_reports import build_report_round

ROUND = "application-numbering-2012"


def landing_url() -> str:
    return reverse("reports:open_data", args=[ROUND])


def file_url(version: int) -> str:
    return reverse("reports:open_data_file", args=[ROUND, version])


def the_round() -> SurveyRound:
    return SurveyRound.objects.select_related("edition").get(slug=ROUND)


def build_now(release: OpenDataRelease) -> ExportBuild:
    """Ask for the file of a version and build it as the worker would."""
    survey_round = the_round()
    build, _ = opendata.request_build(survey_round, release)
    assert builds.run_build(build.pk) == "done", ExportBuild.objects.get(pk=build.pk).error
    return ExportBuild.objects.get(pk=build.pk)


def zip_of(build: ExportBuild) -> zipfile.ZipFile:
    with builds.open_file(build) as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def queue(settings):
    """Tasks wait in a list until the test runs them (the worker's part)."""
    settings.TASKS = DUMMY
    backend = builds.build_export_task.get_backend()
    backend.clear()
    return backend


def queued_builds(queue) -> list:
    """The open data's build tasks waiting (e-mail and the report's files wait in the same queue)."""
    ours = set(ExportBuild.objects.filter(format="opendata").values_list("pk", flat=True))
    return [r for r in queue.results if r.task.func is builds.build_export_task.func and r.args[0] in ours]


def run_queued(queue) -> list[str]:
    """Work the open data's builds as `manage.py db_worker` would."""
    pending = queued_builds(queue)
    queue.clear()
    return [result.task.call(*result.args, **result.kwargs) for result in pending]


@pytest.fixture
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    """The report tests' round: MD (Moldova 2012), EP and KR published; JP accepted; FR submitted; CN a draft."""
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


@pytest.fixture
def built(report_round):
    release, created = opendata.record_release(the_round())
    assert created and release.version == 1
    return zip_of(build_now(release))


def reviewer():
    from django.contrib.auth.models import User

    return User.objects.get(username="ib.reviewer.auto")


def approver():
    from django.contrib.auth.models import User

    return User.objects.get(username="md.approver.auto")


# --- the package -------------------------------------------------------------------------------


def test_the_zip_validates_as_a_frictionless_data_package(built, tmp_path):
    assert sorted(built.namelist()) == sorted([*opendata.FILES, "datapackage.json"])
    built.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["type", "note", "resourceName", "fieldName", "rowNumber"])
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert rows["responses"] == 3 and rows["codebook"] == 46 and rows["answers"] > 3 * 46 - 1
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["version"] == "1" and package["licenses"][0]["name"] == "CC-BY-4.0"
    schemas = {r["name"]: r.get("schema") for r in package["resources"]}
    assert schemas["responses"]["primaryKey"] == ["response_id"]
    assert schemas["answers"]["primaryKey"] == ["response_id", "part"]
    assert {fk["reference"]["resource"] for fk in schemas["answers"]["foreignKeys"]} == {"responses", "codebook"}
    states = next(f for f in schemas["answers"]["fields"] if f["name"] == "state")
    assert "not_applicable" in states["description"]
    wide = {f["name"]: f for f in schemas["responses"]["fields"]}
    assert wide["q1a.patents"]["type"] == "boolean" and wide["q4b.serial"]["type"] == "integer"
    assert wide["q3a"]["constraints"]["enum"] == ["st13", "other"]


def test_a_package_with_a_wrong_value_does_not_validate(built, tmp_path):
    """The schema says something: an answer state the engine does not have is refused."""
    built.extractall(tmp_path)
    path = tmp_path / "responses.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",answered,", ",maybe,", 1), encoding="utf-8-sig")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert {error_type for (error_type,) in report.flatten(["type"])} == {"constraint-error"}


def test_moldova_2012_reads_as_published(built):
    wide = {row["response_id"]: row for row in csv_rows(built, "responses.csv")}
    md = wide["md-002"]
    assert (md["office_code"], md["response_sequence"]) == ("MD", "2")
    assert md["q1a.state"] == "answered" and md["q1a.trademarks"] == "true" and md["q1a.patents"] == "false"
    assert md["q1a_other.state"] == "not_applicable" and md["q1a_other"] == ""
    assert (md["q3a"], md["q3a.label"], md["q3b.1"], md["q3b.1.label"]) == ("other", "Other", "serial", "Serial number")
    assert md["q4b.serial"] == "6" and md["q4c.state"] == "not_applicable"
    assert md["q5a"] == "no" and md["q5b.state"] == "not_applicable"
    assert md["q13b"] == "no" and md["q13c.state"] == "not_applicable"
    assert md["q14a.example"] == "030812" and md["q14c.serial_position"] == "1-6"
    long = [row for row in csv_rows(built, "answers.csv") if row["response_id"] == "md-002"]
    by_part = {row["part"]: row for row in long}
    assert by_part["q1a.trademarks"]["value_label"] == "Trademarks"
    assert by_part["q14a.1.example"]["value_code"] == "030812"
    assert by_part["q1b"]["value_code"] == "1992"
    assert by_part["q13c"]["state"] == "not_applicable" and by_part["q13c"]["value_code"] == ""
    # Every question of the edition once in the states, with one state each.
    assert {row["question_id"] for row in long} == {q.id for q in the_round().edition.structure.questions}


def test_long_and_wide_forms_agree_with_the_reports_counts(built, report_round):
    wide = csv_rows(built, "responses.csv")
    long = csv_rows(built, "answers.csv")
    with tables.build_report(the_round(), scope=tables.Scope.PUBLISHED) as report:
        assert report.response_count == len(wide) == 3
        compared = 0
        for table in report.tables:
            if not table.id.startswith("q"):
                continue
            totals = table.totals_by_column[next(iter(table.totals_by_column))]
            for column in table.columns[1:]:
                counted = totals[column.id]
                if column.kind == tables.Kind.MARK:
                    # A choice: ticked (several choices) or chosen (one choice) in the wide form.
                    question, code = column.id.split(".")
                    ticked = sum(row.get(column.id) == "true" or row.get(question) == code for row in wide)
                    assert ticked == counted, column.id
                    chosen = [r for r in long if r["question_id"] == question and r["value_code"] == code]
                    assert len(chosen) == counted and {r["state"] for r in chosen} <= {"answered"}, column.id
                else:
                    assert sum(row[f"{column.id}.state"] == "answered" for row in wide) == counted, column.id
                    answered = {
                        r["response_id"] for r in long if r["question_id"] == column.id and r["state"] == "answered"
                    }
                    assert len(answered) == counted, column.id
                compared += 1
                # A dash in the report is "not applicable" in the data, row by row.
            for row in table.rows:
                for column, cell in zip(table.columns[1:], row.cells[1:], strict=True):
                    question = column.id.split(".")[0]
                    state = next(r for r in wide if r["response_id"] == row.key)[f"{question}.state"]
                    assert (cell.value == "—") == (state == "not_applicable"), (row.key, column.id)
    assert compared > 60


def test_the_json_file_holds_the_same_content(built):
    data = json.loads(built.read("open-data.json"))
    long = csv_rows(built, "answers.csv")
    assert [r["response_id"] for r in data["responses"]] == [r["response_id"] for r in csv_rows(built, "responses.csv")]
    answers = [
        (r["response_id"], a["part"], a["state"], str(a["value_code"])) for r in data["responses"] for a in r["answers"]
    ]
    assert answers == [(r["response_id"], r["part"], r["state"], r["value_code"]) for r in long]
    assert [q["question_id"] for q in data["codebook"]] == [r["question_id"] for r in csv_rows(built, "codebook.csv")]
    assert data["dataset"]["version"] == 1 and data["dataset"]["states"] == list(opendata.STATES)


def test_the_codebook_has_every_question_in_three_languages(built):
    edition = the_round().edition.structure
    codebook = csv_rows(built, "codebook.csv")
    assert [row["question_id"] for row in codebook] == [q.id for q in edition.questions]
    for row, q in zip(codebook, edition.questions, strict=True):
        for language in ("en", "fr", "es"):
            assert row[f"text_{language}"] and row[f"text_{language}"] == q.text[language], (q.id, language)
        assert row["type"] == q.type
    assert len({row["text_en"] for row in codebook} & {row["text_fr"] for row in codebook}) < 3
    by_id = {row["question_id"]: row for row in codebook}
    assert by_id["q1a_other"]["condition"] == 'q1a has "other"'
    assert json.loads(by_id["q1a_other"]["condition_tree"]) == {"has": ["q1a", "other"]}
    assert by_id["q1a"]["condition"] == "" and by_id["q3b"]["parts_from"] == "q2a"
    assert "patents=Patents for inventions" in by_id["q1a"]["choices"]
    choices = {(row["question_id"], row["code"]): row for row in csv_rows(built, "choices.csv")}
    q1a = edition.by_id["q1a"]
    assert choices[("q1a", "patents")]["label_fr"] == q1a.choice_label("patents", "fr") != q1a.choice_label("patents")
    assert choices[("q5a", "yes")]["label_es"] == "Sí"


def test_unpublished_responses_comments_and_people_never_appear(report_round, built):
    everything = b"".join(built.read(name) for name in built.namelist()).decode("utf-8-sig")
    for key in ("jp-001", "fr-001", "cn-001", "md-001"):  # accepted, submitted, drafts
        assert key not in everything
    assert {row["response_id"] for row in csv_rows(built, "responses.csv")} == {"md-002", "ep-001", "kr-001"}
    for who in ("ib.reviewer", "respondent", "approver", "@example.org"):
        assert who not in everything


# --- versions and the change log -----------------------------------------------------------------


def reopen_change_and_republish(response, answers: dict, capture, comment: str = "") -> None:
    """Each step commits on its own, as it does from the pages (the versions are recorded on commit)."""
    from surveys.responses.services import response_save_draft

    with capture(execute=True):
        response_reopen(response=response, user=reviewer(), comment=comment)
    response.refresh_from_db()
    with capture(execute=True):
        response_save_draft(response=response, answers=answers, user=approver(), expected_version=response.version)
        response_submit(response=response, user=approver())
        response_accept(response=response, user=reviewer())
    with capture(execute=True):
        response_publish(response=response, user=reviewer())


def test_reopening_and_republishing_bumps_the_version_and_logs_the_change(
    report_round, moldova_answers, django_capture_on_commit_callbacks
):
    survey_round = the_round()
    first, _ = opendata.record_release(survey_round)
    md = survey_round.responses.get(office_id="MD", sequence=2)
    reopen_change_and_republish(
        md, {**moldova_answers, "q7e": "yes"}, django_capture_on_commit_callbacks, comment="Internal note: check q7e"
    )
    versions = list(survey_round.open_data_releases.order_by("version"))
    assert [r.version for r in versions] == [1, 2, 3]
    assert versions[1].changes[0]["change"] == "withdrawn" and versions[1].changes[0]["response"] == "md-002"
    assert len(versions[1].responses) == 2
    line = versions[2].changes[0]
    assert (line["change"], line["response"], line["questions"]) == ("republished", "md-002", ["q7e"])
    assert line["at"]
    # Nothing changed since: recording again gives the same version.
    assert opendata.record_release(survey_round) == (versions[2], False)

    newest = zip_of(build_now(versions[2]))
    changes = csv_rows(newest, "changes.csv")
    assert [(c["version"], c["change"], c["response_id"], c["questions"]) for c in changes if c["version"] != "1"] == [
        ("2", "withdrawn", "md-002", ""),
        ("3", "republished", "md-002", "q7e"),
    ]
    assert json.loads(newest.read("datapackage.json"))["version"] == "3"
    md_now = next(r for r in csv_rows(newest, "responses.csv") if r["response_id"] == "md-002")
    assert md_now["q7e"] == "yes"
    assert b"Internal note" not in b"".join(newest.read(n) for n in newest.namelist())
    # The first version is still what was published then, built from the revisions.
    md_then = next(r for r in csv_rows(zip_of(build_now(first)), "responses.csv") if r["response_id"] == "md-002")
    assert md_then["q7e"] == "no"
    assert ExportBuild.objects.filter(format="opendata", state="done").count() == 2  # both versions kept


def test_publishing_records_a_version_and_queues_its_file(
    settings, queue, make_response, office_a_respondent, moldova_answers, django_capture_on_commit_callbacks
):
    settings.WIPOSTAD_PREPARE_PUBLIC_EXPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        make_response(office_a_respondent, moldova_answers, publish=True)
    release = OpenDataRelease.objects.get()
    assert release.version == 1 and release.changes[0]["change"] == "first_published"
    assert len(queued_builds(queue)) == 1
    assert run_queued(queue) == ["done"]
    build = opendata.find_build(the_round(), release)
    assert build.state == ExportBuild.State.DONE and build.filename == f"{ROUND}-open-data-v1.zip"


# --- the pages -------------------------------------------------------------------------------------


def test_visitors_never_cause_a_build_and_get_the_stored_file(
    client, queue, report_round, secretariat_reviewer, django_capture_on_commit_callbacks
):
    release, _ = opendata.record_release(the_round())
    latest = client.get(reverse("reports:open_data_latest", args=[ROUND]))
    assert latest.status_code == 302 and latest["Location"] == file_url(1)
    page = client.get(file_url(1))
    assert page.status_code == 503 and page["Retry-After"]
    assert b"The file is being prepared" in page.content
    assert client.post(file_url(1)).status_code == 403
    assert client.post(landing_url()).status_code == 403
    assert not ExportBuild.objects.exists() and not queued_builds(queue)

    client.force_login(secretariat_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(landing_url()).status_code == 302
    assert len(queued_builds(queue)) == 1
    run_queued(queue)
    client.logout()
    download = client.get(file_url(1))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "datapackage.json" in archive.namelist()
    assert client.get(file_url(2)).status_code == 404


def test_the_landing_page_lists_versions_and_changes(
    client, report_round, moldova_answers, django_capture_on_commit_callbacks
):
    survey_round = the_round()
    first, _ = opendata.record_release(survey_round)
    build_now(first)
    md = survey_round.responses.get(office_id="MD", sequence=2)
    reopen_change_and_republish(
        md, {**moldova_answers, "q7e": "yes", "q14d": "Corrected."}, django_capture_on_commit_callbacks
    )
    build_now(OpenDataRelease.objects.get(version=3))
    page = client.get(landing_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Version 3: 3 published responses." in html
    assert "Download version 3 (ZIP," in html
    assert f"{ROUND}-open-data-v1.zip" in html and f"{ROUND}-open-data-v3.zip" in html
    assert f"{ROUND}-open-data-v2.zip" not in html  # never built
    assert "not built" in html
    assert "reopened and published again" in html and "Answers changed: q7e, q14d" in html
    assert "reopened: left out until it is published again" in html
    assert "http://testserver" + reverse("reports:open_data_latest", args=[ROUND]) in html
    assert (
        reverse("reports:open_data", args=[ROUND])
        in client.get(reverse("reports:round_report", args=[ROUND])).content.decode()
    )


def test_a_round_without_published_responses(
    client, survey_round, make_response, office_a_respondent, secretariat_reviewer
):
    make_response(office_a_respondent, {}, submit=False)
    assert client.get(landing_url()).status_code == 404  # not a public round
    client.force_login(secretariat_reviewer)
    page = client.get(landing_url())
    assert page.status_code == 200 and b"Nothing is published in this round yet" in page.content
    assert opendata.record_release(the_round()) == (None, False)
    assert client.get(reverse("reports:open_data_latest", args=[ROUND])).status_code == 404


# --- query counts ----------------------------------------------------------------------------------


def bulk_published(survey_round, n: int, answers: dict) -> None:
    """n published responses of n offices, each with the revision it was published in."""
    from standards.models import Office
    from surveys.models import NumberingSystem, ResponseRevision, ResponseStatus, SurveyResponse

    offices = list(Office.objects.order_by("code")[:n])
    systems = NumberingSystem.objects.bulk_create(NumberingSystem(office=o, label="Patents") for o in offices)
    responses = SurveyResponse.objects.bulk_create(
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
    ResponseRevision.objects.bulk_create(
        ResponseRevision(response=r, version=1, status=ResponseStatus.PUBLISHED, answers=answers) for r in responses
    )


@pytest.mark.django_db
def test_building_takes_the_same_queries_whatever_the_number_of_responses(survey_round, moldova_answers, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys.models import NumberingSystem

    monkeypatch.setattr(opendata, "CHUNK_SIZE", 50)
    counts = {}
    for n in (2, 40):
        OpenDataRelease.objects.all().delete()
        ExportBuild.objects.all().delete()
        survey_round.responses.all().delete()
        NumberingSystem.objects.all().delete()
        bulk_published(survey_round, n, moldova_answers)
        release, _ = opendata.record_release(survey_round)
        build, _ = opendata.request_build(the_round(), release)
        with CaptureQueriesContext(connection) as queries:
            assert builds.run_build(build.pk) == "done"
        counts[n] = len(queries.captured_queries)
        assert len(csv_rows(zip_of(ExportBuild.objects.get(pk=build.pk)), "responses.csv")) == n
    assert counts[2] == counts[40]


@pytest.mark.django_db
def test_the_landing_page_takes_the_same_queries_whatever_the_number_of_versions(
    client, survey_round, moldova_answers, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bulk_published(survey_round, 2, moldova_answers)
    opendata.record_release(survey_round)
    with CaptureQueriesContext(connection) as one:
        assert client.get(landing_url()).status_code == 200
    for n in range(3, 7):
        survey_round.responses.filter(pk=survey_round.responses.order_by("pk").last().pk).update(version=n)
        opendata.record_release(survey_round)
    assert OpenDataRelease.objects.count() == 5
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(landing_url()).status_code == 200


def test_rounds_published_before_the_open_data_get_a_version_by_command(
    report_round, queue, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    out = io.StringIO()
    assert not OpenDataRelease.objects.exists()  # published without the receivers' commits
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prepare_open_data", stdout=out)
    assert out.getvalue().strip() == f"{ROUND}: open data version 1"
    assert run_queued(queue) == ["done"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prepare_open_data", ROUND, stdout=out)  # nothing changed: nothing new
    assert OpenDataRelease.objects.count() == 1 and not queued_builds(queue)
