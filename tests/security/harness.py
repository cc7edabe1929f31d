"""Builds the data and sends the requests for the URL permission matrix."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from surveys.models import NumberingSystem
from surveys.responses.attachments import attachment_add

PERSONAS = ("anonymous", "office_a_respondent", "office_a_approver", "office_b_respondent", "secretariat", "admin")
# The roles of issue 14, in a table of their own (tests/security/test_url_permissions.py).
MORE_PERSONAS = ("task_force", "translator")
LOGIN = "/accounts/login/"


def named_urls() -> set[str]:
    """Every named URL of the site outside the Django admin, namespaced ("surveys:dashboard")."""

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns))
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return set(walk(get_resolver().url_patterns, None))


def build_world(make_response, moldova_answers, users: dict[str, User]):
    a_resp = users["office_a_respondent"]
    draft = make_response(a_resp, {"q1b": "1992"}, label="Patents")
    published = make_response(a_resp, moldova_answers, label="Trademarks", publish=True)
    attachment = attachment_add(
        response=draft, question_id="q14d", upload=SimpleUploadedFile("note.pdf", b"%PDF-1.4 note"), user=a_resp
    )
    fresh = NumberingSystem.objects.create(office_id="MD", label="Industrial designs")
    return SimpleNamespace(draft=draft, published=published, attachment=attachment, fresh=fresh)


def snapshot() -> str:
    """Everything a refused request must leave as it was."""
    from django.contrib.auth.models import User

    from surveys.models import (
        AccountInvitation,
        Attachment,
        ExportBuild,
        Membership,
        QuestionnaireEdition,
        ResponseEvent,
        ResponseRevision,
        ReviewComment,
        SurveyResponse,
        SurveyRound,
    )

    state = {
        "responses": list(
            SurveyResponse.objects.order_by("pk").values_list("pk", "status", "version", "ready_for_approval_at")
        ),
        "round_texts": list(SurveyRound.objects.order_by("pk").values_list("pk", "title", "title_fr", "title_es")),
        "revisions": ResponseRevision.objects.count(),
        "events": ResponseEvent.objects.count(),
        "comments": ReviewComment.objects.count(),
        "attachments": Attachment.objects.count(),
        "systems": NumberingSystem.objects.count(),
        "rounds": SurveyRound.objects.count(),
        "reminders": list(SurveyRound.objects.values_list("invitations__reminders_sent", flat=True)),
        "export_builds": list(ExportBuild.objects.order_by("pk").values_list("pk", "state")),
        "editions": list(QuestionnaireEdition.objects.order_by("pk").values_list("slug", "state", "checksum")),
        "users": list(User.objects.order_by("pk").values_list("pk", "is_active", "password")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "user_id", "office_id", "role")),
        "account_invitations": list(
            AccountInvitation.objects.order_by("pk").values_list("pk", "token_digest", "accepted_at", "revoked_at")
        ),
    }
    return json.dumps(state, sort_keys=True, default=str)


def classify(response) -> str:
    """ok · login · no (refused or hidden: 401/403/404) · 400 (refused as invalid) · 405 ·
    later (503 with Retry-After: a file not ready yet, and the visitor may not have it built)."""
    status = response.status_code
    if status == 503 and response.has_header("Retry-After"):
        return "later"
    if status == 400:
        return "400"
    if status == 302 and response["Location"].startswith(LOGIN):
        return "login"
    if status in (401, 403, 404):
        return "no"
    if status == 405:
        return "405"
    if status >= 500:
        return f"error {status}"
    return "ok"


def send(client: Client, method: str, url: str, data) -> tuple[str, bool]:
    """The outcome, and whether the database changed; every effect is rolled back."""
    before = snapshot()
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif method == "POST":
            response = client.post(url, data or {})
        else:
            response = getattr(client, method.lower())(
                url, data=json.dumps(data or {}), content_type="application/json"
            )
        changed = snapshot() != before
        transaction.set_rollback(True)
    return classify(response), changed
