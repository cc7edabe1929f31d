"""Admin for the standards catalogue: offices (imported and exported by ST.3 code) and standards.

Access here is Django's own (model permissions, superusers). The surveys app, which knows
about the International Bureau's secretariat group, registers these admins again with
that group's access (standards never imports surveys).

Spreadsheet imports are all or nothing: a file with any bad row writes nothing, and each
problem names the row as the spreadsheet numbers it (the header is row 1), the column
and the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Error, Result

from standards.models import Office, Standard
from standards.validators import validate_st3_code

SPREADSHEET_FORMATS = [CSV, XLSX]
HEADER_ROWS = 1


class SheetResult(Result):
    """Import-export counts data rows from 1; people read the row numbers their spreadsheet shows."""

    def append_invalid_row(self, number: int, row: Any, validation_error: ValidationError) -> None:
        super().append_invalid_row(number + HEADER_ROWS, row, validation_error)

    def row_errors(self) -> list[tuple[int, list[Error]]]:
        return [
            ((row.errors[0].number or i + 1) + HEADER_ROWS, row.errors) for i, row in enumerate(self.rows) if row.errors
        ]


class QuietError(Error):
    """An import error shown without its stack trace (the page is for people, not debuggers)."""

    @property
    def traceback(self) -> str:
        return ""


class AllOrNothingMixin:
    """A resource whose imports write nothing unless every row is good.

    The admin's confirm step does not ask import-export to roll back on validation
    errors, and a file may change between preview and confirmation: rollback is forced
    here, for every caller, whatever the settings say.
    """

    def import_data(self, dataset: Any, dry_run: bool = False, raise_errors: bool = False, **kwargs: Any) -> Result:
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return SheetResult

    @classmethod
    def get_error_result_class(cls) -> type[Error]:
        return QuietError


class ProblemListMixin:
    """Lists every problem of an import preview as a message at the top of the page.

    The import-export preview shows a bad row's reasons only when the pointer is over
    its error badge; people checking a file want them in plain sight.
    """

    max_problem_messages = 50

    def import_action(self, request: HttpRequest, **kwargs: Any) -> Any:
        page = super().import_action(request, **kwargs)
        result = (getattr(page, "context_data", None) or {}).get("result")
        if result is None:
            return page
        problems = [
            f"Row {row.number}, column {column}: {message}"
            for row in result.invalid_rows
            for column, errors in row.field_specific_errors.items()
            for message in errors
        ]
        problems += [
            f"Row {row.number}: {message}" for row in result.invalid_rows for message in row.non_field_specific_errors
        ]
        for problem in problems[: self.max_problem_messages]:
            messages.error(request, problem)
        if len(problems) > self.max_problem_messages:
            more = len(problems) - self.max_problem_messages
            messages.error(request, f"… and {more} more problem{'s' if more != 1 else ''} (see the table below).")
        if problems:
            messages.warning(request, "Nothing was imported: correct the file and upload it again.")
        return page


def strip_cells(row: dict[str, Any], columns: tuple[str, ...]) -> None:
    for column in columns:
        if isinstance(row.get(column), str):
            row[column] = row[column].strip()


class OfficeResource(AllOrNothingMixin, resources.ModelResource):
    """Offices keyed by their ST.3 code: columns code, name, kind (state · entity · organization)."""

    class Meta:
        model = Office
        fields = ("code", "name", "kind")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        strip_cells(row, ("code", "name", "kind"))
        # Checked before the office is looked up by its code, so that a bad code is
        # reported against the code column, not as a failed look-up.
        try:
            validate_st3_code(row.get("code"))
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from None


@admin.register(Office)
class OfficeAdmin(ProblemListMixin, ImportExportModelAdmin):
    resource_classes = [OfficeResource]
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    ordering = ("code",)
    list_per_page = 100

    def has_import_permission(self, request: HttpRequest) -> bool:
        # import-export lets anyone who reaches the list import; an import adds and changes offices.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Office | None = None) -> tuple[str, ...]:
        # The code is the primary key: "changing" it in a form would create another office.
        return ("code",) if obj is not None else ()


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "version", "adopted")
    search_fields = ("code", "title")
