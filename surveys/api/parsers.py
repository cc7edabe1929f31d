"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder recurses once per level: a body of a few kilobytes nested a
thousand levels deep ("[[[[…") exhausts the stack. No request of the API needs more than
a handful of levels (answers → a grid → its rows → a cell), so a body nested deeper than
MAX_DEPTH is refused with a 400 saying so, before any other code walks it.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
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


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        message = f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(message)
        return data
