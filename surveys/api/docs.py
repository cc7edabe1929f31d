"""A readable API reference built from the OpenAPI schema, for when Swagger UI's files
are not available locally (see views.swagger_assets_available).

The rows are plain data worked out here; the template only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import engines
from drf_spectacular.generators import SchemaGenerator

TEMPLATE = Path(__file__).with_name("reference.html")
TAG_ORDER = ("auth", "reference", "questionnaire", "rounds", "numbering systems", "responses", "ST.13")
TAG_TITLES = {
    "auth": "Authentication",
    "reference": "Offices and standards",
    "questionnaire": "Questionnaire editions",
    "rounds": "Survey rounds",
    "numbering systems": "Numbering systems",
    "responses": "Responses and review workflow",
    "ST.13": "ST.13 number checker",
}
METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Group:
    tag: str
    title: str
    operations: list[Operation] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return _ref_name(prop["$ref"])
    if "allOf" in prop and prop["allOf"]:
        return _type(prop["allOf"][0])
    if "oneOf" in prop:
        return " or ".join(_type(p) for p in prop["oneOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if "enum" in prop:
        return " | ".join(str(v) for v in prop["enum"] if v is not None)
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"object of {_type(prop['additionalProperties'])}"
    return kind + (f" ({prop['format']})" if "format" in prop else "")


def _body_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[Field]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    if not body:
        return []
    if "$ref" in body:
        body = schema["components"]["schemas"][_ref_name(body["$ref"])]
    required = set(body.get("required", ()))
    return [
        Field(name, _type(prop), name in required, prop.get("description", ""))
        for name, prop in body.get("properties", {}).items()
        if not prop.get("readOnly")
    ]


def _response_text(response: dict[str, Any]) -> str:
    if response.get("description"):
        return response["description"]
    body = response.get("content", {}).get("application/json", {}).get("schema")
    return f"Success: {_type(body)}" if body else "Success."


@cache
def reference_groups() -> tuple[Group, ...]:
    """The operations of the public schema, grouped by tag (computed once per process)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    groups = {tag: Group(tag, TAG_TITLES.get(tag, tag)) for tag in TAG_ORDER}
    for path, item in schema["paths"].items():
        for method in METHOD_ORDER:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            group = groups.setdefault(tag, Group(tag, TAG_TITLES.get(tag, tag)))
            group.operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    parameters=[
                        Field(
                            p["name"],
                            f"{p['in']}: {_type(p.get('schema', {}))}",
                            p.get("required", False),
                            p.get("description", ""),
                        )
                        for p in operation.get("parameters", ())
                    ],
                    body=_body_fields(schema, operation),
                    responses=[(code, _response_text(r)) for code, r in operation.get("responses", {}).items()],
                )
            )
    return tuple(g for g in groups.values() if g.operations)


def render_reference(request: HttpRequest) -> HttpResponse:
    # The template lives beside the API code it documents; it extends the site's base.html.
    template = engines["django"].from_string(TEMPLATE.read_text(encoding="utf-8"))
    return HttpResponse(template.render({"groups": reference_groups()}, request))
