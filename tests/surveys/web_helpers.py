"""What the web-view tests share: the addresses of the pages, a signed-in client, a
question's text, and the POST body the questionnaire form sends."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from surveys.models import SurveyResponse

EDITION_SLUG = "application-numbering-2012"


def public_url(key: str) -> str:
    return reverse("surveys:public_response_detail", args=[EDITION_SLUG, key])


def edit_url(response: SurveyResponse) -> str:
    return reverse("surveys:response_edit", args=[response.pk])


def form_data(edition_row, answers: dict, *, version: int, action: str = "save") -> dict:
    """The POST body the questionnaire form sends for these answers (see surveys/questionnaire/form_fields.py)."""
    by_id = edition_row.structure.by_id
    data: dict = {"version": str(version), "action": action}
    for qid, value in answers.items():
        q = by_id[qid]
        if q.type == "multi":
            data[qid] = list(value)
        elif q.type == "order":
            for position, part in enumerate(value, start=1):
                data[f"{qid}.{part}"] = str(position)
        elif q.type == "part_lengths":
            for part, length in value.items():
                if isinstance(length, dict):
                    data[f"{qid}.{part}.min"] = str(length["min"])
                    data[f"{qid}.{part}.max"] = str(length["max"])
                else:
                    data[f"{qid}.{part}"] = str(length)
        elif q.type == "grid" and q.rows_from:
            for row_id, row in value.items():
                for col, cell in row.items():
                    data[f"{qid}.{row_id}.{col}"] = cell
        elif q.type == "grid":
            for i, row in enumerate(value):
                for col, cell in row.items():
                    data[f"{qid}.{i}.{col}"] = cell
        else:
            data[qid] = str(value)
    return data


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(edition_row, qid: str) -> str:
    return edition_row.structure.by_id[qid].text["en"]


def submit_through_form(client: Client, edition_row, response: SurveyResponse, answers: dict, *, version: int):
    """The approver's way to submit: the form's "Submit response" saves the answers and
    leads to the confirmation page; "Submit to the International Bureau" there submits.
    Returns the confirmation's answer (a redirect once submitted)."""
    page = client.post(edit_url(response), form_data(edition_row, answers, version=version, action="submit"))
    assert page.status_code == 302, page.status_code
    assert page["Location"] == reverse("surveys:response_submit", args=[response.pk])
    saved = SurveyResponse.objects.get(pk=response.pk).version
    return client.post(page["Location"], {"version": str(saved)})
