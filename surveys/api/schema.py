"""Adjustments to the generated OpenAPI document, for answers every endpoint may give."""

from __future__ import annotations

from typing import Any

DETAIL = {
    "application/json": {
        "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
    }
}


BAD_REQUEST = {
    "application/json": {
        "schema": {
            "type": "object",
            "description": "Either one sentence in `detail`, or the errors per field (per question for answers).",
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": True,
        }
    }
}


def document_common_refusals(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Any endpoint refuses a wrong or revoked token with 401; a paginated list answers
    404 for a page past its end, and an object address 404 for an object that does not
    exist or is not visible; say so in every operation concerned."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "400" in responses:
                # Serializer validation errors are keyed by field, not a single sentence.
                responses["400"] = {**responses["400"], "content": BAD_REQUEST}
            responses.setdefault("401", {"description": "The token or session is not valid.", "content": DETAIL})
            parameters = [p for p in operation.get("parameters", []) if isinstance(p, dict)]
            if method == "get" and any(p.get("name") == "page" for p in parameters):
                responses.setdefault("404", {"description": "No such page of results.", "content": DETAIL})
            if any(p.get("in") == "path" for p in parameters):
                responses.setdefault(
                    "404", {"description": "No such object, or not one you may see.", "content": DETAIL}
                )
    return result
