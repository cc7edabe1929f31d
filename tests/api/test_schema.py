"""The OpenAPI schema validates and documents every endpoint; /api/docs/ works offline."""

from __future__ import annotations

import json

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

OPERATIONS = {
    ("/api/auth/token/", "post"),
    ("/api/auth/token/", "delete"),
    ("/api/offices/", "get"),
    ("/api/offices/{code}/", "get"),
    ("/api/standards/", "get"),
    ("/api/editions/", "get"),
    ("/api/editions/{slug}/", "get"),
    ("/api/editions/upload/", "post"),
    ("/api/editions/{slug}/spreadsheet/", "get"),
    ("/api/rounds/", "get"),
    ("/api/rounds/{slug}/", "get"),
    ("/api/rounds/{slug}/report/", "get"),
    ("/api/numbering-systems/", "get"),
    ("/api/numbering-systems/", "post"),
    ("/api/numbering-systems/{id}/", "get"),
    ("/api/responses/", "get"),
    ("/api/responses/", "post"),
    ("/api/responses/{id}/", "get"),
    ("/api/responses/{id}/", "put"),
    ("/api/responses/{id}/", "patch"),
    ("/api/responses/{id}/submit/", "post"),
    ("/api/responses/{id}/return/", "post"),
    ("/api/responses/{id}/accept/", "post"),
    ("/api/responses/{id}/publish/", "post"),
    ("/api/responses/{id}/reopen/", "post"),
    ("/api/responses/{id}/compliance/", "get"),
    ("/api/st13/parse/", "post"),
    ("/api/st13/profiles/", "get"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


def _operations(schema: dict) -> set[tuple[str, str]]:
    return {(path, method) for path, item in schema["paths"].items() for method in item if method != "parameters"}


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    # --validate checks the document against the OpenAPI 3.0 JSON schema; --fail-on-warn
    # turns every generator warning (an unresolved type, a name clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["openapi"] == "3.0.3"
    assert _operations(written) == OPERATIONS


def test_schema_is_served_as_yaml_and_json(db):
    client = APIClient()
    as_yaml = client.get("/api/schema/")
    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "wipostad API"
    as_json = client.get("/api/schema/", {"format": "json"})
    assert json.loads(as_json.content)["paths"].keys() == yaml.safe_load(as_yaml.content)["paths"].keys()


def test_every_operation_is_documented(schema):
    assert _operations(schema) == OPERATIONS
    for path, method in OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation.get("summary"), (path, method)
        assert operation.get("tags"), (path, method)
        codes = set(operation["responses"])
        # Every change can be refused; the token endpoint and the number checker are open to all.
        if method != "get" and path not in ("/api/auth/token/", "/api/st13/parse/"):
            assert {"400", "401", "403"} <= codes, (path, method, codes)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    # Drafts and workflow steps document the 409 of optimistic locking.
    for path, method in [("/api/responses/{id}/", "put"), ("/api/responses/{id}/submit/", "post")]:
        assert schema["paths"][path][method]["responses"]["409"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Conflict"
        }


def test_list_filters_are_in_the_schema(schema):
    names = {p["name"] for p in schema["paths"]["/api/responses/"]["get"]["parameters"]}
    assert names == {"page", "round", "office", "status", "numbering_system"}
    status = next(p for p in schema["paths"]["/api/responses/"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["draft", "submitted", "returned", "accepted", "published"]
    office_params = {p["name"] for p in schema["paths"]["/api/offices/"]["get"]["parameters"]}
    assert office_params == {"page", "kind", "search"}


def test_docs_with_swagger_files_serve_them_locally(db):
    page = APIClient().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">' in html
    assert '<link rel="stylesheet" href="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css">' in html
    # The start-up script is a file of its own, so the page needs no inline script (CSP).
    assert "<script>" not in html
    assert '<script src="/api/docs/?script="></script>' in html
    script = APIClient().get("/api/docs/?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/schema/" in script.content.decode()
    assert "cdn" not in html.lower()


def test_api_root_lists_the_collections(db):
    data = APIClient().get("/api/").json()
    assert set(data) == {"offices", "standards", "editions", "rounds", "numbering-systems", "responses"}
    assert data["responses"] == "http://testserver/api/responses/"


def test_schema_follows_the_reader_language_like_the_rest_of_the_api(db):
    # The models' choice labels are translated lazily: English by default, the reader's
    # language where one is asked for, as Django REST framework's own texts.
    assert "`draft` - Draft" in APIClient().get("/api/schema/", {"format": "json"}).content.decode()
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = client.get("/api/schema/", {"format": "json"}).content.decode()
    assert "`draft` - Brouillon" in text and "`open` - Ouvert" in text
    assert "Un numéro de page de l'ensemble des résultats." in text
