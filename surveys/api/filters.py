"""Query-string filters for the list endpoints (django-filter is not a dependency).

A view lists its filters in ``filter_params``; each one maps a query parameter to a
lookup, with the accepted values when they are a closed set. A value outside that set
is a 400 naming the parameter, rather than an empty page that looks like "no data".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request


@dataclass(frozen=True)
class FilterParam:
    name: str
    lookup: str
    description: str
    choices: Sequence[str] = ()
    # Turns the text of the query string into the value compared (e.g. upper-casing a code).
    clean: Callable[[str], Any] = str
    schema_type: str = "string"


class ParamFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        for param in getattr(view, "filter_params", ()):
            raw = request.query_params.get(param.name)
            if raw is None or raw == "":
                continue
            try:
                value = param.clean(raw.strip())
            except ValueError:
                raise ValidationError({param.name: [f"{raw!r} is not a valid value."]}) from None
            if param.choices and value not in param.choices:
                raise ValidationError({param.name: [f"{raw!r} is not one of: {', '.join(param.choices)}."]})
            if isinstance(value, str) and "\x00" in value:
                # No stored value holds a NUL character, and PostgreSQL refuses one in a
                # query: nothing matches, on every database.
                return queryset.none()
            queryset = queryset.filter(**{param.lookup: value})
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = []
        for param in getattr(view, "filter_params", ()):
            schema: dict[str, Any] = {"type": param.schema_type}
            if param.choices:
                schema["enum"] = list(param.choices)
            parameters.append(
                {
                    "name": param.name,
                    "required": False,
                    "in": "query",
                    "description": param.description,
                    "schema": schema,
                }
            )
        return parameters
