"""The round dashboard's filters (state, and office or numbering system), as a django-filter
FilterSet over the rows of ``selectors.round_rows``: the database does the filtering.

A value that is not one of the states is ignored (every state is shown), as is an empty
search.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q, QuerySet

from standards.models import Office
from surveys.review.presenters import DASHBOARD_STATES, dashboard_state_label


class SearchText(forms.CharField):
    """Typed text, without surrounding spaces; a NUL character is let through (the search
    then finds nothing) rather than making the search ignored."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchText


class RoundDashboardFilter(django_filters.FilterSet):
    # A callable: the labels are read in the language of each request.
    state = django_filters.ChoiceFilter(choices=lambda: [(s, dashboard_state_label(s)) for s in DASHBOARD_STATES])
    q = SearchTextFilter()

    class Meta:
        model = Office
        fields = ["state", "q"]

    def filter_queryset(self, rows: QuerySet[Office]) -> QuerySet[Office]:
        # Both conditions concern the same joined response: they go to the database in one
        # filter() call, which joins it once (each call would join it again, repeating rows).
        data = self.form.cleaned_data
        condition = Q()
        if data.get("state"):
            condition &= in_state(data["state"])
        if data.get("q"):
            if "\x00" in data["q"]:
                # No stored text holds a NUL character, and PostgreSQL refuses one in a query.
                return rows.none()
            condition &= office_or_system(data["q"])
        return rows.filter(condition)

    def rows_counted(self, counts: dict[str, int]) -> int | None:
        """The number of rows the filters leave, from the round's counts per state
        (``selectors.round_counts``); None when a search needs the database to count. A
        row is an invited office once per response it has in the round, or once "not
        started": exactly the rows the counts per state count."""
        self.is_valid()  # the form validated as for ``qs``: the same fields filter and count
        data = self.form.cleaned_data
        if data.get("q"):
            return None
        if data.get("state"):
            return counts[data["state"]]
        return sum(counts[state] for state in DASHBOARD_STATES)


def in_state(state: str) -> Q:
    return Q(response__isnull=True) if state == "not_started" else Q(response__status=state)


def office_or_system(text: str) -> Q:
    """The office's ST.3 code (whole), or part of its name or of the numbering system's
    label, whatever the letter case (on SQLite, whatever the case of ASCII letters: its
    LIKE folds no other)."""
    needle = text.lower()
    matches = Q(name__icontains=needle) | Q(response__numbering_system__label__icontains=needle)
    if needle.isascii():
        # ST.3 codes are two capital letters.
        matches |= Q(code=needle.upper())
    return matches
