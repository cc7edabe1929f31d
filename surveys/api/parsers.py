"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder recurses once per level: a body of a few kilobytes nested a
thousand levels deep ("[[[[…") exhausts the stack. No request of the API needs more than
a handful of levels (answers → a grid → its rows → a cell), so a body nested deeper than
MAX_DEPTH is refused with a 400 saying so, before any other code walks it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(value: Any) -> int:
    """How many arrays and objects deep the value goes (0 for a plain value), counted
    without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _refuse_large_body(parser_context: Any) -> None:
    """413 before reading a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (as Django does
    for form posts), as it declares itself or as it turns out."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        length = 0
    if limit is not None and length > limit:
        raise BodyTooLarge(f"The request body is too large: at most {limit} bytes.")


class DepthLimitedJSONParser(JSONParser):
    """JSON bodies nested at most MAX_DEPTH levels, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        _refuse_large_body(parser_context)
        message = f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(message)
        return data


def exception_handler(exc: Exception, context: Any) -> Any:
    """DRF's handler, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE found by Django while
    reading it (RequestDataTooBig) answered as BodyTooLarge: 413 with a JSON body."""
    from django.core.exceptions import RequestDataTooBig
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(f"The request body is too large: at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    return drf_exception_handler(exc, context)
