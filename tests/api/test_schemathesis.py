"""The API against its own OpenAPI schema, with generated requests (schemathesis): no
server errors, and every response conforms to the schema. Bounded for CI."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

MAX_EXAMPLES = 8
SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture
def api_schema(db, settings, office_a_respondent, make_response, moldova_answers):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from wipostad.wsgi import application

    # The in-process client sends "localhost" as the host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    make_response(office_a_respondent, moldova_answers, publish=True)
    make_response(office_a_respondent, {"q1b": "19x2"}, label="Patents")
    # Requests go straight to the WSGI application: keep the test's database connection
    # (and its transaction) open across them, as Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, "the schema should describe every endpoint"
    return operations


# No server error, and status codes, content types, headers and bodies as the schema
# says. (A refused wrong password is not a defect, so "valid data must be accepted" is
# left out.)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _exercise(schema, headers, before_each=lambda: None):
    checked = []
    for operation in _operations(schema):

        @SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            before_each()
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        checked.append(f"{operation.method.upper()} {operation.path}")
    return checked


def test_api_conforms_to_its_schema_signed_in(api_schema, office_a_respondent):
    from rest_framework.authtoken.models import Token

    key = Token.objects.get_or_create(user=office_a_respondent)[0].key

    def keep_token():
        # DELETE /api/auth/token/ is among the operations: it revokes the token.
        Token.objects.get_or_create(key=key, defaults={"user": office_a_respondent})

    checked = _exercise(api_schema, {"Authorization": f"Token {key}"}, keep_token)
    assert "POST /api/st13/parse/" in checked and "GET /api/responses/" in checked


def test_api_conforms_to_its_schema_anonymous(api_schema):
    assert "GET /api/editions/{slug}/" in _exercise(api_schema, {})
