"""The name of an ST.3 office on a given day (Django glue over `OfficeName`).

Offices change names while their ST.3 code stays: EM was the Office for Harmonization in
the Internal Market (OHIM) until 22 March 2016 and is the European Union Intellectual
Property Office (EUIPO) since; CZ, the Czech Republic, is Czechia in the United Nations'
and ISO's lists since 2016. A report names an office as it was named at the time of its
round; a day no recorded name covers takes the office's current name (`Office.name`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from standards.models import Office, OfficeName


def _valid_on(day: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def office_name_at(office: Office, day: date) -> str:
    """The office's name on `day` (one query)."""
    recorded = OfficeName.objects.filter(_valid_on(day), office=office).values_list("name", flat=True).first()
    return recorded or office.name


def office_names_on(day: date, codes: Iterable[str] | None = None) -> dict[str, str]:
    """ST.3 code → the name recorded as valid on `day`, for every office with such a record
    (or only those of `codes`): one query whatever the number of offices. Offices missing
    from the result bear their current name (`Office.name`) on that day."""
    names = OfficeName.objects.filter(_valid_on(day))
    if codes is not None:
        names = names.filter(office_id__in=list(codes))
    return dict(names.order_by("office_id", "valid_from").values_list("office_id", "name"))


def overlapping_periods(periods: Sequence[tuple[date | None, date | None]]) -> list[tuple[int, int]]:
    """The pairs of periods (by their index) that share a day; None is an open end."""
    clashes = []
    for i, (start_a, end_a) in enumerate(periods):
        for j in range(i + 1, len(periods)):
            start_b, end_b = periods[j]
            starts_before_b_ends = start_a is None or end_b is None or start_a <= end_b
            starts_before_a_ends = start_b is None or end_a is None or start_b <= end_a
            if starts_before_b_ends and starts_before_a_ends:
                clashes.append((i, j))
    return clashes


def check_name_periods(periods: Sequence[tuple[date | None, date | None]]) -> None:
    """Refuses periods of one office that overlap: on any day an office bears one name."""
    clashes = overlapping_periods(periods)
    if clashes:
        raise ValidationError(
            _(
                "Two names of this office cover the same days; on any day an office bears one name. "
                "Give each name its own period."
            )
        )
