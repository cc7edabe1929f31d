"""What the REST API tests share: the round and edition, clients signed in as a persona,
the addresses, and the state a refused request must leave as it was."""

from __future__ import annotations

from rest_framework.test import APIClient

from surveys.models import ResponseEvent, ResponseRevision, ReviewComment, SurveyResponse

ROUND_SLUG = "application-numbering-2012"
EDITION_SLUG = "application-numbering-2012"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def state(response: SurveyResponse) -> dict:
    """Everything a refused request must leave as it was."""
    response = SurveyResponse.objects.get(pk=response.pk)
    return {
        "status": response.status,
        "version": response.version,
        "answers": response.answers,
        "set_aside": response.set_aside_answers,
        "revisions": ResponseRevision.objects.filter(response=response).count(),
        "events": ResponseEvent.objects.filter(response=response).count(),
        "comments": ReviewComment.objects.filter(response=response).count(),
    }


def url(path: str) -> str:
    return f"/api/{path}"
