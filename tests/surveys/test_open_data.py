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

from surveys.demo import EPO_PATENTS
from surveys.models import ExportBuild, OpenDataRelease, SurveyRound
from surveys.reports import builds, opendata, tables
from surveys.review.workflow import response_accept, response_publish, response_reopen, response_submit
from tests.surveys.test_export_builds import queue, queued_builds, run_queued  # noqa: F401
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
def report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers):
    """The report tests' round: MD (Moldova 2012), EP and KR published; JP accepted; FR submitted; CN a draft."""
    return build_report_round(survey_round, make_response, office_a_respondent, office_b_respondent, moldova_answers)


@pytest.fixture
def built(report_round):
    release, created = opendata.record_release(the_round())
    assert created and release.version == 1
    return zip_of(build_now(release))


def test_smoke(built, tmp_path):
    built.extractall(tmp_path)
    print(sorted(built.namelist()))
    report = frictionless.validate(tmp_path / "datapackage.json")
    print(report.flatten(["type", "note", "resourceName", "fieldName", "rowNumber"])[:20])
    print((tmp_path / "answers.csv").read_text()[:3000])
    print((tmp_path / "responses.csv").read_text()[:3000])
    assert report.valid
