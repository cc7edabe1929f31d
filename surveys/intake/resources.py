"""Import-export resources for the admin: numbering systems and responses.

- Numbering systems: columns ``office`` (ST.3 code) and ``label``; a row whose office
  already has a system of that label (letter case ignored) updates it.
- Responses: one row per response, one column per question ID in edition order (q1a …
  q14d) after ``round``, ``office``, ``numbering_system``, ``sequence`` and ``status``
  (export only). How each answer is written in its cell ("patents; trademarks",
  "serial=6; year=4", "15/03/1992", a JSON list for free tables, …) is documented in
  ``surveys.intake.spreadsheets``, which both writes and reads cells, so an export imports
  back to the same answers. Each row goes through
  ``surveys.intake.spreadsheets.import_row``: the branching engine, then the
  secretariat's import writer (``surveys.intake.recording``).

Offices are imported and exported by ``standards.admin.OfficeResource`` (standards does
not depend on surveys). Every import here is all or nothing (``AllOrNothingMixin``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets
from import_export.results import RowResult

from standards.admin import AllOrNothingMixin, strip_cells
from standards.models import Office
from standards.validators import validate_st3_code
from surveys.intake.spreadsheets import FIXED_COLUMNS, ImportInvalid, SheetReader, encode_answer, import_row
from surveys.models import NumberingSystem, QuestionnaireEdition, SurveyResponse
from surveys.questionnaire.edition import Edition
from surveys.questionnaire.types.cells import guard_text, unguard_text


class SheetTextWidget(widgets.CharWidget):
    """Free text typed by people: written so no spreadsheet runs it as a formula, read back exactly."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return unguard_text(super().clean(value, row, **kwargs)).strip()

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return guard_text(super().render(value, obj, **kwargs) or "")


class OfficeCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(Office, field="code")


class NumberingSystemResource(AllOrNothingMixin, resources.ModelResource):
    office = fields.Field(attribute="office", column_name="office", widget=OfficeCodeWidget())
    label = fields.Field(attribute="label", column_name="label", widget=SheetTextWidget())

    class Meta:
        model = NumberingSystem
        fields = ("office", "label")
        import_id_fields = ("office", "label")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self) -> Any:
        return NumberingSystem.objects.select_related("office")

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        strip_cells(row, ("office",))
        code = row.get("office")
        try:
            validate_st3_code(code)
        except ValidationError as exc:
            raise ValidationError({"office": exc.messages}) from None
        if not Office.objects.filter(code=code).exists():
            raise ValidationError({"office": [f"no office has the ST.3 code {code!r}."]})

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> NumberingSystem | None:
        # Labels are unique per office whatever their letter case (as the database says).
        label = self.fields["label"].clean(row)
        return self.get_queryset().filter(office_id=row.get("office"), label__iexact=label).first()

    def before_save_instance(self, instance: NumberingSystem, row: dict[str, Any], **kwargs: Any) -> None:
        if instance.pk is None:
            instance.created_by = kwargs.get("user")


class AnswerField(fields.Field):
    """The cell of one question: the response's applicable answer, encoded for people."""

    def __init__(self, question_id: str, resource: ResponseResource):
        super().__init__(attribute=None, column_name=question_id, readonly=True)
        self.question_id = question_id
        self.resource = resource

    def export(self, instance: SurveyResponse, **kwargs: Any) -> str | int:
        edition = self.resource.structure_for(instance)
        question = edition.by_id.get(self.question_id) if edition else None
        if question is None:
            return ""
        return encode_answer(question, instance.answers.get(self.question_id))


class ResponseResource(AllOrNothingMixin, resources.ModelResource):
    round = fields.Field(attribute="round__slug", column_name="round", readonly=True)
    office = fields.Field(attribute="office_id", column_name="office", readonly=True)
    numbering_system = fields.Field(
        attribute="numbering_system__label", column_name="numbering_system", widget=SheetTextWidget(), readonly=True
    )
    sequence = fields.Field(attribute="sequence", column_name="sequence", widget=widgets.IntegerWidget(), readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = SurveyResponse
        fields = FIXED_COLUMNS
        import_id_fields = ()

    def __init__(self, edition: QuestionnaireEdition | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        editions = [edition] if edition is not None else list(QuestionnaireEdition.objects.order_by("-year", "slug"))
        self._structures: dict[int, Edition] = {e.pk: e.structure for e in editions}
        self._reader: SheetReader | None = None
        # Columns of the newest edition first, in its order; then any other edition's own.
        for structure in self._structures.values():
            for q in structure.questions:
                if q.id not in self.fields:
                    self.fields[q.id] = AnswerField(q.id, self)

    def structure_for(self, response: SurveyResponse) -> Edition | None:
        edition_id = response.round.edition_id if response.round_id else None
        if edition_id is None:
            return None
        if edition_id not in self._structures:
            self._structures[edition_id] = QuestionnaireEdition.objects.get(pk=edition_id).structure
        return self._structures[edition_id]

    def get_queryset(self) -> Any:
        return SurveyResponse.objects.for_listing()

    # --- import: each row through the branching engine and the import writer ---------

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self._reader = SheetReader(dataset.headers or [])
        if self._reader.header_problems:
            raise ImportInvalid(self._reader.header_problems)

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> RowResult:
        result = self.get_row_result_class()()
        number = kwargs["row_number"] + 1  # the spreadsheet's row number (the header is row 1)
        user = kwargs.get("user")
        if user is None or self._reader is None:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError({NON_FIELD_ERRORS: ["No importing user was given."]})
            return result
        try:
            outcome = import_row(self._reader, row, number=number, user=user)
        except ImportInvalid as exc:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = exc.as_validation_error()
            return result
        if outcome is None:
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        result.import_type = {
            "created": RowResult.IMPORT_TYPE_NEW,
            "updated": RowResult.IMPORT_TYPE_UPDATE,
            "unchanged": RowResult.IMPORT_TYPE_SKIP,
        }[outcome.action]
        response = outcome.response
        diff = self.get_diff_class()(self, outcome.original or SurveyResponse(), outcome.original is None)
        diff.compare_with(self, response)
        result.diff = diff.as_html()
        result.add_instance_info(response)
        result.instance = response
        return result
