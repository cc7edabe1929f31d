"""What the spreadsheet tests share: a sheet's columns and rows, the state of the responses
before and after, and a whole sheet imported all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from surveys.intake.spreadsheets import ImportInvalid, SheetReader, import_row
from surveys.models import NumberingSystem, ResponseRevision, SurveyResponse

HEADERS = ["round", "office", "numbering_system", "sequence", "q1a", "q1b", "q2a", "q4a", "q4b", "q4c", "q5a"]
ROUND = "application-numbering-2012"


def row(**cells):
    base = {"round": ROUND, "office": "MD", "numbering_system": "Trademarks", "sequence": ""}
    base.update(cells)
    return [base.get(h, "") for h in HEADERS]


def snapshot():
    return (
        SurveyResponse.objects.count(),
        NumberingSystem.objects.count(),
        ResponseRevision.objects.count(),
        list(SurveyResponse.objects.values_list("pk", "version", "answers", "set_aside_answers")),
    )


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    written: bool = False


def responses_import(*, headers, rows, user):
    """A whole sheet through the import writer, all or nothing, as the admin import runs it:
    any problem in any row, and nothing is written."""
    report = ImportReport()
    with transaction.atomic():
        reader = SheetReader(headers)
        report.problems.extend(reader.header_problems)
        for number, values in enumerate(rows, start=2):
            try:
                outcome = import_row(reader, dict(zip(headers, values, strict=False)), number=number, user=user)
            except ImportInvalid as exc:
                report.problems.extend(exc.problems)
                continue
            if outcome is not None:
                getattr(report, outcome.action).append(outcome.response)
        if report.problems:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report
