"""Lists shown a page at a time: the page asked for in ``?page=``, and the query of the
other parameters (search, filters) that the links to other pages keep.

The database returns only the rows of the page (LIMIT/OFFSET) and counts the rest in one
query, so a page costs the same whatever the length of the list: each list's order and
filters have an index (migration ``list_indexes``) from which the database reads the page's
rows in order and stops, and its count is made on the simplest query with as many rows
(or taken from counts the page makes anyway).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

# Rows on one page of a list.
PER_PAGE = 50


class _Counted:
    """A queryset for the paginator: the page is a slice of ``rows``; the count is
    ``count`` when the caller knows it already (an int), else the count of ``count`` (a
    queryset with as many rows, which the database counts more cheaply), else that of
    ``rows`` over ``fields``: COUNT(*) drops the joins that only select_related uses, which
    undercounts a list that shows a row per joined row (an office once per response)."""

    def __init__(self, rows: QuerySet, fields: tuple[str, ...], count: QuerySet | int | None) -> None:
        self.rows, self.fields, self.known = rows, fields, count

    def count(self) -> int:
        if isinstance(self.known, int):
            return self.known
        counted = self.rows if self.known is None else self.known
        return counted.values_list(*self.fields).count() if self.fields else counted.count()

    def __getitem__(self, key):
        return self.rows[key]

    def __len__(self) -> int:
        return self.count()

    @property
    def ordered(self) -> bool:
        return self.rows.ordered


def page_of(
    request: HttpRequest,
    rows: QuerySet,
    per_page: int = PER_PAGE,
    count_by: tuple[str, ...] = (),
    count: QuerySet | int | None = None,
) -> Page:
    """The page of ``rows`` the request asks for; a number that is not one, or is past the
    end, gives the first or the last page (never an error). ``count_by``: the fields that
    tell rows apart, when a row is more than one record; ``count``: the number of rows when
    already known, or a queryset of as many rows that is cheaper to count (see ``_Counted``)."""
    listed = _Counted(rows, count_by, count) if count_by or count is not None else rows
    return Paginator(listed, per_page).get_page(request.GET.get("page"))


def page_query(request: HttpRequest) -> str:
    """The request's query string without its page number, to which links to other pages
    add theirs (``?{{ page_query }}page=2``): ends with "&" when not empty."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def paginated(
    request: HttpRequest,
    rows: QuerySet,
    per_page: int = PER_PAGE,
    count_by: tuple[str, ...] = (),
    count: QuerySet | int | None = None,
) -> dict:
    """What the shared pager (templates/_pagination.html) needs, for a page's context."""
    return {"page": page_of(request, rows, per_page, count_by, count), "page_query": page_query(request)}
