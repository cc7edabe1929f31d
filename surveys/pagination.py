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


def page_of(request: HttpRequest, rows: QuerySet, per_page: int = PER_PAGE) -> Page:
    """The page of ``rows`` the request asks for; a number that is not one, or is past the
    end, gives the first or the last page (never an error)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def page_query(request: HttpRequest) -> str:
    """The request's query string without its page number, to which links to other pages
    add theirs (``?{{ page_query }}page=2``): ends with "&" when not empty."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def paginated(request: HttpRequest, rows: QuerySet, per_page: int = PER_PAGE) -> dict:
    """What the shared pager (templates/_pagination.html) needs, for a page's context."""
    return {"page": page_of(request, rows, per_page), "page_query": page_query(request)}
