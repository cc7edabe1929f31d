"""Query-string filters of the list endpoints, as django-filter FilterSets.

Each parameter is read the same way: absent or empty, it filters nothing; otherwise its
value without surrounding spaces is compared. A value outside a closed set, or not a
number where a number is expected, is a 400 naming the parameter, rather than an empty
page that looks like "no data".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from standards.models import Office, OfficeKind
from surveys.models import NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound


class ParamField(forms.Field):
    """One query parameter: its text without surrounding spaces, turned into the value
    compared by ``parse`` and checked against ``choices`` when they are a closed set."""

    def __init__(self, *, parse: Callable[[str], Any] = str, choices: Sequence[tuple[str, Any]] = (), **kwargs: Any):
        super().__init__(**kwargs)
        self.parse = parse
        self.values = [value for value, _ in choices]

    def clean(self, value: str | None) -> Any:
        if value is None or value == "":
            return None
        try:
            parsed = self.parse(value.strip())
        except ValueError:
            raise ValidationError("%(value)r is not a valid value.", code="invalid", params={"value": value}) from None
        if self.values and parsed not in self.values:
            raise ValidationError(
                "%(value)r is not one of: %(values)s.",
                code="invalid_choice",
                params={"value": value, "values": ", ".join(self.values)},
            )
        return parsed


class ParamLookup(django_filters.Filter):
    """A lookup on one query parameter (see ParamField for how the value is read)."""

    field_class = ParamField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is None:
            return qs
        if isinstance(value, str) and "\x00" in value:
            # No stored value holds a NUL character, and PostgreSQL refuses one in a
            # query: nothing matches, on every database.
            return qs.none()
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": value})


class ParamFilter(ParamLookup, django_filters.CharFilter):
    """Text, e.g. a slug or an ST.3 code, or one of a closed set of values (``choices``)."""

    field_class = ParamField


# IDs are 64-bit: a number outside that range is no ID (and SQLite cannot even compare it).
ID_RANGE = range(-(2**63), 2**63)


def _id(text: str) -> int:
    number = int(text)
    if number not in ID_RANGE:
        raise ValueError(text)
    return number


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(ParamLookup, django_filters.NumberFilter):
    """A whole number, e.g. the ID of a numbering system."""

    field_class = ParamField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, parse=_id, **kwargs)


def _st3_code(text: str) -> str:
    # ST.3 codes are written in capitals; "md" finds MD.
    return text.upper()


class OfficeFilter(django_filters.FilterSet):
    kind = ParamFilter("kind", label="Kind of office.", choices=OfficeKind.choices)

    class Meta:
        model = Office
        fields = ["kind"]


class RoundFilter(django_filters.FilterSet):
    status = ParamFilter("status", label="Open or closed.", choices=SurveyRound.Status.choices)
    edition = ParamFilter("edition__slug", label="Slug of the questionnaire edition.")

    class Meta:
        model = SurveyRound
        fields = ["status", "edition"]


class NumberingSystemFilter(django_filters.FilterSet):
    office = ParamFilter("office_id", label="ST.3 code of the office.", parse=_st3_code)

    class Meta:
        model = NumberingSystem
        fields = ["office"]


class ResponseFilter(django_filters.FilterSet):
    round = ParamFilter("round__slug", label="Slug of the round.")
    office = ParamFilter("office_id", label="ST.3 code of the office.", parse=_st3_code)
    status = ParamFilter("status", label="Workflow status.", choices=ResponseStatus.choices)
    numbering_system = IdFilter("numbering_system_id", label="ID of the numbering system.")

    class Meta:
        model = SurveyResponse
        fields = ["round", "office", "status", "numbering_system"]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; its schema is documented by ParamFilterSchema."""


class ParamFilterSchema(DjangoFilterExtension):
    """The OpenAPI parameters of the FilterSets above: each parameter's description is its
    label alone, and a closed set of values is listed in the order the model declares it
    (drf-spectacular would sort it and repeat it in the description)."""

    target_class = "surveys.api.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        choices = filter_field.extra.get("choices")
        for parameter in parameters:
            parameter["description"] = str(filter_field.label)
            parameter["required"] = False
            if choices:
                parameter["schema"]["enum"] = [value for value, _ in choices]
        return parameters
