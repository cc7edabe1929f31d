"""Admin for the standards catalogue: offices (imported and exported by ST.3 code) and standards.

Access here is Django's own (model permissions, superusers). The surveys app, which knows
about the International Bureau's secretariat group, registers these admins again with
that group's access (standards never imports surveys).

Spreadsheet imports are all or nothing: a file with any bad row writes nothing, and each
problem names the row as the spreadsheet numbers it (the header is row 1), the column
and the reason. Files over the caps of standards.sheet_uploads are refused before they
are read whole, and a previewed file is kept only until its import is confirmed.
"""

from __future__ import annotations

import io
import os
from contextlib import suppress
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import Error, Result

from standards.models import Office, OfficeName, Standard
from standards.office_names import check_name_periods
from standards.sheet_uploads import SheetRefused, check_sheet
from standards.validators import validate_st3_code

HEADER_ROWS = 1


class CheckedCSV(CSV):
    """CSV read only within the caps, at whichever step the file is read (the
    confirmation reads the previewed file again)."""

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        check_sheet(_Sized(data), CSV)
        return super().create_dataset(in_stream, **kwargs)


class CheckedXLSX(XLSX):
    """XLSX read only within the caps, at whichever step the file is read."""

    def create_dataset(self, in_stream: bytes) -> Any:
        check_sheet(_Sized(in_stream), XLSX)
        return super().create_dataset(in_stream)


class _Sized(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.size = len(data)


SPREADSHEET_FORMATS = [CheckedCSV, CheckedXLSX]


class CappedImportForm(ImportForm):
    """The import page's form: a file over the caps is refused here, before import-export
    keeps or parses it."""

    def __init__(self, formats: list[type], resources: list[type], **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, choice = cleaned.get("import_file"), cleaned.get("format")
        if upload is not None and choice:
            try:
                check_sheet(upload, self.import_formats[int(choice)])
            except SheetRefused as refused:
                self.add_error("import_file", str(refused))
        return cleaned


class CappedImportMixin:
    """Imports within the caps of standards.sheet_uploads, keeping no file they do not need.

    import-export keeps the uploaded file from the preview to the confirmation; it removes
    it once imported, but not when the preview finds problems (no confirmation follows):
    such a file is removed at once. A confirmation whose file is gone (swept as stale, or
    already imported) or refused asks for the file again instead of failing.
    """

    import_form_class = CappedImportForm

    def import_action(self, request: HttpRequest, **kwargs: Any) -> Any:
        page = super().import_action(request, **kwargs)
        context = getattr(page, "context_data", None) or {}
        kept = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if kept and "confirm_form" not in context:
            self._remove_preview(kept)
        return page

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(request, _("This preview has expired or was already imported; upload the file again."))
        except SheetRefused as refused:
            messages.error(request, str(refused))
        self._remove_preview(request.POST.get("import_file_name", ""))
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def _remove_preview(self, name: str) -> None:
        name = os.path.basename(name)
        if name:
            with suppress(OSError):
                self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()


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


class OfficeNameFormSet(BaseInlineFormSet):
    """The names of one office: their periods may not overlap (on any day, one name)."""

    def clean(self) -> None:
        super().clean()
        periods = [
            (form.cleaned_data.get("valid_from"), form.cleaned_data.get("valid_until"))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        check_name_periods(periods)


class OfficeNameInline(admin.TabularInline):
    """The office's names over time; reports name an office as it was named at their round's opening date."""

    model = OfficeName
    formset = OfficeNameFormSet
    fields = ("name", "valid_from", "valid_until", "source")
    extra = 0


@admin.register(Office)
class OfficeAdmin(CappedImportMixin, ProblemListMixin, ImportExportModelAdmin):
    resource_classes = [OfficeResource]
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    ordering = ("code",)
    list_per_page = 100
    inlines = [OfficeNameInline]

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
