"""Lists shown a page at a time: the page asked for in ``?page=``, and the query of the
other parameters (search, filters) that the links to other pages keep.

The database returns only the rows of the page (LIMIT/OFFSET) and counts the rest in one
query, so a page costs the same whatever the length of the list.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

# Rows on one page of a list.
PER_PAGE = 50


class _CountedBy:
    """A queryset whose rows are counted over the given fields: COUNT(*) drops the joins
    that only select_related uses, which undercounts a list that shows a row per joined
    row (an office once per response)."""

    def __init__(self, rows: QuerySet, fields: tuple[str, ...]) -> None:
        self.rows, self.fields = rows, fields

    def count(self) -> int:
        return self.rows.values_list(*self.fields).count()

    def __getitem__(self, key):
        return self.rows[key]

    def __len__(self) -> int:
        return self.count()

    @property
    def ordered(self) -> bool:
        return self.rows.ordered


def page_of(request: HttpRequest, rows: QuerySet, per_page: int = PER_PAGE, count_by: tuple[str, ...] = ()) -> Page:
    """The page of ``rows`` the request asks for; a number that is not one, or is past the
    end, gives the first or the last page (never an error). ``count_by``: the fields that
    tell rows apart, when a row is more than one record (see ``_CountedBy``)."""
    listed = _CountedBy(rows, count_by) if count_by else rows
    return Paginator(listed, per_page).get_page(request.GET.get("page"))


def page_query(request: HttpRequest) -> str:
    """The request's query string without its page number, to which links to other pages
    add theirs (``?{{ page_query }}page=2``): ends with "&" when not empty."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def paginated(request: HttpRequest, rows: QuerySet, per_page: int = PER_PAGE, count_by: tuple[str, ...] = ()) -> dict:
    """What the shared pager (templates/_pagination.html) needs, for a page's context."""
    return {"page": page_of(request, rows, per_page, count_by), "page_query": page_query(request)}
