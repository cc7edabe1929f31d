# ruff: noqa: E501  (the matrix keeps one URL per line, to be read as a table)
"""Who may read and write what, for EVERY named URL of the site, generated from the URL
configuration: a URL added without an entry in MATRIX fails the suite.

Each cell is (read, write) for one persona: "ok" allowed, "login" sent to the sign-in
page, "no" refused or hidden (401/403/404), "400" refused as invalid (the permission
passed, the request body did not), "405" method not offered, "-" no such request (the
URL only reads, or only writes). Refused writes are checked to leave the database
exactly as it was; every request is rolled back. The Django admin is covered by
tests/surveys/test_admin.py.
"""

import os

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.security.harness import MORE_PERSONAS, PERSONAS, build_world, named_urls, send

R = "application-numbering-2012"  # round and edition slug


def _reviewed_build(w):
    """A file of the secretariat's figures (accepted and published), asked for and not built yet."""
    from surveys.models import ExportBuild

    return ExportBuild.objects.get_or_create(
        round=w.published.round, scope="reviewed", format="pdf", table_id="", language="en", fingerprint="0" * 64
    )[0]


def _open_data_version(w) -> int:
    """The round's open data, version 1 recorded (its file not built yet)."""
    from surveys.reports import opendata

    return opendata.record_release(w.published.round)[0].version


def _draft_edition(w):
    """A draft edition (the 2012 definition under another ID), uploaded and not published."""
    from surveys.models import QuestionnaireEdition

    definition = {**QuestionnaireEdition.objects.get(slug=R).definition, "slug": DRAFT}
    return QuestionnaireEdition.objects.get_or_create(
        slug=DRAFT,
        defaults={
            "version": "1",
            "title": "Draft",
            "year": 2027,
            "definition": definition,
            "checksum": "d",
            "state": "draft",
        },
    )[0]


MATRIX_TOKEN = "matrix-invitation-token"
PASSWORDS = {"new_password1": "Matrix pass phrase 42", "new_password2": "Matrix pass phrase 42"}


def _md_invitation(w):
    """An invitation of a Moldovan contact, waiting, its link's secret known."""
    import hashlib
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import AccountInvitation

    return AccountInvitation.objects.get_or_create(
        office_id="MD",
        email="matrix.contact@example.org",
        defaults={
            "role": "respondent",
            "expires_at": timezone.now() + timedelta(days=14),
            "token_digest": hashlib.sha256(MATRIX_TOKEN.encode()).hexdigest(),
        },
    )[0]


def _edition_upload(w):
    """A spreadsheet of a new edition (the 2012 one under another ID)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from surveys.models import QuestionnaireEdition
    from surveys.questionnaire import spreadsheet

    definition = {**QuestionnaireEdition.objects.get(slug=R).definition, "slug": "uploaded-2027"}
    return SimpleUploadedFile("edition.xlsx", spreadsheet.workbook(definition))


DRAFT = "draft-edition-2027"


def _a_respondent_membership(w) -> int:
    return w.draft.office.memberships.get(user__username="a.respondent").pk


# URL name → (how to read, how to write): each a function of the world giving
# (method, url, data), or None when there is no such request.
CASES = {
    "home": (lambda w: ("GET", reverse("home"), None), None),
    "invitation_accept": (
        lambda w: ("GET", reverse("invitation_accept", args=[_md_invitation(w) and MATRIX_TOKEN]), None),
        lambda w: ("POST", reverse("invitation_accept", args=[_md_invitation(w) and MATRIX_TOKEN]), PASSWORDS),
    ),
    "surveys:round_invitations": (
        lambda w: ("GET", reverse("surveys:round_invitations", args=[R]), None),
        lambda w: (
            "POST",
            reverse("surveys:round_invitations", args=[R]),
            {"office": "MD", "emails": "new.contact@example.org", "role": "respondent", "language": "fr"},
        ),
    ),
    "surveys:invitation_resend": (
        lambda w: ("GET", reverse("surveys:invitation_resend", args=[_md_invitation(w).pk]), None),
        lambda w: ("POST", reverse("surveys:invitation_resend", args=[_md_invitation(w).pk]), {}),
    ),
    "surveys:invitation_revoke": (
        lambda w: ("GET", reverse("surveys:invitation_revoke", args=[_md_invitation(w).pk]), None),
        lambda w: ("POST", reverse("surveys:invitation_revoke", args=[_md_invitation(w).pk]), {}),
    ),
    "surveys:office_people": (
        lambda w: ("GET", reverse("surveys:office_people"), None),
        lambda w: (
            "POST",
            reverse("surveys:office_people"),
            {"emails": "colleague@example.org", "role": "respondent", "language": "es"},
        ),
    ),
    "surveys:office_person_role": (
        lambda w: ("GET", reverse("surveys:office_person_role", args=[_a_respondent_membership(w)]), None),
        lambda w: (
            "POST",
            reverse("surveys:office_person_role", args=[_a_respondent_membership(w)]),
            {"role": "approver"},
        ),
    ),
    "surveys:office_person_remove": (
        lambda w: ("GET", reverse("surveys:office_person_remove", args=[_a_respondent_membership(w)]), None),
        lambda w: ("POST", reverse("surveys:office_person_remove", args=[_a_respondent_membership(w)]), {}),
    ),
    "healthz": (lambda w: ("GET", reverse("healthz"), None), None),
    "set_language": (
        lambda w: ("GET", reverse("set_language"), None),
        lambda w: ("POST", reverse("set_language"), {"language": "fr", "next": "/"}),
    ),
    "login": (lambda w: ("GET", reverse("login"), None), lambda w: ("POST", reverse("login"), {})),
    "logout": (lambda w: ("GET", reverse("logout"), None), lambda w: ("POST", reverse("logout"), {})),
    "surveys:dashboard": (lambda w: ("GET", reverse("surveys:dashboard"), None), None),
    "surveys:numbering_system_new": (
        lambda w: ("GET", reverse("surveys:numbering_system_new"), None),
        lambda w: ("POST", reverse("surveys:numbering_system_new"), {"label": "New system"}),
    ),
    "surveys:response_start": (
        lambda w: ("GET", reverse("surveys:response_start", args=[R, w.fresh.pk]), None),
        lambda w: ("POST", reverse("surveys:response_start", args=[R, w.fresh.pk]), {}),
    ),
    "password_reset": (
        lambda w: ("GET", reverse("password_reset"), None),
        lambda w: ("POST", reverse("password_reset"), {"email": "nobody@example.org"}),
    ),
    "password_reset_done": (lambda w: ("GET", reverse("password_reset_done"), None), None),
    "password_reset_confirm": (
        lambda w: ("GET", reverse("password_reset_confirm", args=["MQ", "set-password"]), None),
        lambda w: (
            "POST",
            reverse("password_reset_confirm", args=["MQ", "set-password"]),
            {"new_password1": "a-new-Password-2026", "new_password2": "a-new-Password-2026"},
        ),
    ),
    "password_reset_complete": (lambda w: ("GET", reverse("password_reset_complete"), None), None),
    "password_change": (
        lambda w: ("GET", reverse("password_change"), None),
        lambda w: (
            "POST",
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "a-new-Password-2026", "new_password2": "a-new-Password-2026"},
        ),
    ),
    "password_change_done": (lambda w: ("GET", reverse("password_change_done"), None), None),
    "two_factor_setup": (
        lambda w: ("GET", reverse("two_factor_setup"), None),
        lambda w: ("POST", reverse("two_factor_setup"), {"otp_token": "not a code"}),
    ),
    "two_factor_verify": (
        lambda w: ("GET", reverse("two_factor_verify"), None),
        lambda w: ("POST", reverse("two_factor_verify"), {"otp_token": "not a code"}),
    ),
    "lockouts": (
        lambda w: ("GET", reverse("lockouts"), None),
        lambda w: ("POST", reverse("lockouts"), {"username": "nobody", "ip_address": "127.0.0.1"}),
    ),
    "surveys:round_list": (lambda w: ("GET", reverse("surveys:round_list"), None), None),
    "surveys:round_new": (
        lambda w: ("GET", reverse("surveys:round_new"), None),
        lambda w: ("POST", reverse("surveys:round_new"), {}),
    ),
    "surveys:round_dashboard": (lambda w: ("GET", reverse("surveys:round_dashboard", args=[R]), None), None),
    "surveys:round_remind": (
        lambda w: ("GET", reverse("surveys:round_remind", args=[R]), None),
        lambda w: ("POST", reverse("surveys:round_remind", args=[R]), {}),
    ),
    "surveys:round_presentation": (
        lambda w: ("GET", reverse("surveys:round_presentation", args=[R]), None),
        lambda w: (
            "POST",
            reverse("surveys:round_presentation", args=[R]),
            {"cws_session": "CWS/3", "presented_on": "2013-04-15"},
        ),
    ),
    "surveys:round_close": (
        lambda w: ("GET", reverse("surveys:round_close", args=[R]), None),
        lambda w: ("POST", reverse("surveys:round_close", args=[R]), {}),
    ),
    "surveys:round_reopen": (
        lambda w: ("GET", reverse("surveys:round_reopen", args=[R]), None),
        lambda w: ("POST", reverse("surveys:round_reopen", args=[R]), {}),
    ),
    "surveys:round_reminder_schedule": (
        lambda w: ("GET", reverse("surveys:round_reminder_schedule", args=[R]), None),
        lambda w: ("POST", reverse("surveys:round_reminder_schedule", args=[R]), {"reminder_days_before": "10, 3"}),
    ),
    "surveys:response_detail": (lambda w: ("GET", reverse("surveys:response_detail", args=[w.draft.pk]), None), None),
    "surveys:response_review": (
        lambda w: ("GET", reverse("surveys:response_review", args=[w.draft.pk]), None),
        lambda w: (
            "POST",
            reverse("surveys:response_review", args=[w.published.pk]),
            {"action": "reopen", "comment": "x"},
        ),
    ),
    "surveys:response_history": (lambda w: ("GET", reverse("surveys:response_history", args=[w.draft.pk]), None), None),
    "surveys:response_document": (
        lambda w: ("GET", reverse("surveys:response_document", args=[w.draft.pk, "pdf"]), None),
        None,
    ),
    "surveys:response_comment": (
        lambda w: ("GET", reverse("surveys:response_comment", args=[w.draft.pk]), None),
        lambda w: ("POST", reverse("surveys:response_comment", args=[w.draft.pk]), {"body": "A comment"}),
    ),
    "surveys:response_edit": (
        lambda w: ("GET", reverse("surveys:response_edit", args=[w.draft.pk]), None),
        lambda w: (
            "POST",
            reverse("surveys:response_edit", args=[w.draft.pk]),
            {"version": w.draft.version, "q1b": "1993", "action": "save"},
        ),
    ),
    "surveys:attachment_download": (
        lambda w: ("GET", reverse("surveys:attachment_download", args=[w.draft.pk, w.attachment.token]), None),
        None,
    ),
    "surveys:attachment_remove": (
        lambda w: ("GET", reverse("surveys:attachment_remove", args=[w.draft.pk, w.attachment.token]), None),
        lambda w: ("POST", reverse("surveys:attachment_remove", args=[w.draft.pk, w.attachment.token]), {}),
    ),
    # The public address of an attached file, asked for a response that is not published.
    "surveys:public_attachment_download": (
        lambda w: (
            "GET",
            reverse("surveys:public_attachment_download", args=[R, w.draft.public_key, w.attachment.token]),
            None,
        ),
        None,
    ),
    "surveys:edition_detail": (lambda w: ("GET", reverse("surveys:edition_detail", args=[R]), None), None),
    "surveys:edition_list": (lambda w: ("GET", reverse("surveys:edition_list"), None), None),
    "surveys:edition_upload": (
        lambda w: ("GET", reverse("surveys:edition_upload"), None),
        lambda w: ("POST", reverse("surveys:edition_upload"), {"file": _edition_upload(w)}),
    ),
    "surveys:edition_status": (
        lambda w: ("GET", reverse("surveys:edition_status", args=[_draft_edition(w).slug]), None),
        None,
    ),
    "surveys:edition_preview": (
        lambda w: ("GET", reverse("surveys:edition_preview", args=[_draft_edition(w).slug]), None),
        lambda w: ("POST", reverse("surveys:edition_preview", args=[_draft_edition(w).slug]), {"q1b": "1993"}),
    ),
    "surveys:edition_publish": (
        lambda w: ("GET", reverse("surveys:edition_publish", args=[_draft_edition(w).slug]), None),
        lambda w: ("POST", reverse("surveys:edition_publish", args=[_draft_edition(w).slug]), {}),
    ),
    "surveys:edition_spreadsheet": (
        lambda w: ("GET", reverse("surveys:edition_spreadsheet", args=[_draft_edition(w).slug]), None),
        None,
    ),
    "surveys:public_response_list": (lambda w: ("GET", reverse("surveys:public_response_list", args=[R]), None), None),
    "surveys:public_response_detail": (
        lambda w: ("GET", reverse("surveys:public_response_detail", args=[R, w.published.public_key]), None),
        None,
    ),
    "reports:round_report": (lambda w: ("GET", reverse("reports:round_report", args=[R]), None), None),
    "reports:round_comparison": (lambda w: ("GET", reverse("reports:round_comparison", args=[R]), None), None),
    "reports:report_file": (
        lambda w: ("GET", reverse("reports:report_file", args=[R, "pdf"]), None),
        lambda w: ("POST", reverse("reports:report_file", args=[R, "pdf"]), {}),
    ),
    "reports:working_document": (
        lambda w: ("GET", reverse("reports:working_document", args=[R]), None),
        lambda w: (
            "POST",
            reverse("reports:working_document", args=[R]),
            {"session": "3", "number": "5", "date": "2013-03-01", "meeting_place": "Geneva"},
        ),
    ),
    "reports:working_document_file": (
        lambda w: ("GET", reverse("reports:working_document_file", args=[R, "pdf", "en"]), None),
        lambda w: ("POST", reverse("reports:working_document_file", args=[R, "pdf", "en"]), {}),
    ),
    "reports:export_build": (
        lambda w: ("GET", reverse("reports:export_build", args=[R, _reviewed_build(w).pk]), None),
        lambda w: ("POST", reverse("reports:export_build", args=[R, _reviewed_build(w).pk]), {}),
    ),
    "reports:export_build_status": (
        lambda w: ("GET", reverse("reports:export_build_status", args=[R, _reviewed_build(w).pk]), None),
        None,
    ),
    "reports:export_build_file": (
        lambda w: ("GET", reverse("reports:export_build_file", args=[R, _reviewed_build(w).pk]), None),
        None,
    ),
    "toolkit:checker": (
        lambda w: ("GET", reverse("toolkit:checker"), None),
        lambda w: ("POST", reverse("toolkit:checker"), {}),
    ),
    "toolkit:system_search": (
        lambda w: ("GET", reverse("toolkit:system_search") + "?q=md", None),
        lambda w: ("POST", reverse("toolkit:system_search"), {"q": "md"}),
    ),
    "api:api-root": (lambda w: ("GET", reverse("api:api-root"), None), None),
    "api:token": (lambda w: ("GET", reverse("api:token"), None), lambda w: ("POST", reverse("api:token"), {})),
    "api:st13-parse": (
        lambda w: ("GET", reverse("api:st13-parse"), None),
        lambda w: ("POST", reverse("api:st13-parse"), {"numbers": ["030812"], "response": w.published.pk}),
    ),
    "api:st13-profiles": (lambda w: ("GET", reverse("api:st13-profiles"), None), None),
    "api:schema": (lambda w: ("GET", reverse("api:schema"), None), None),
    "api:docs": (lambda w: ("GET", reverse("api:docs"), None), None),
    "api:office-list": (lambda w: ("GET", reverse("api:office-list"), None), None),
    "api:office-detail": (lambda w: ("GET", reverse("api:office-detail", args=["MD"]), None), None),
    "api:standard-list": (lambda w: ("GET", reverse("api:standard-list"), None), None),
    "api:edition-list": (lambda w: ("GET", reverse("api:edition-list"), None), None),
    "api:edition-upload": (
        lambda w: ("GET", reverse("api:edition-upload"), None),
        lambda w: ("POST", reverse("api:edition-upload"), {"file": _edition_upload(w)}),
    ),
    "api:edition-spreadsheet": (
        lambda w: ("GET", reverse("api:edition-spreadsheet", args=[_draft_edition(w).slug]), None),
        None,
    ),
    "api:edition-detail": (lambda w: ("GET", reverse("api:edition-detail", args=[R]), None), None),
    "api:round-list": (lambda w: ("GET", reverse("api:round-list"), None), None),
    "api:round-detail": (lambda w: ("GET", reverse("api:round-detail", args=[R]), None), None),
    "api:round-report": (lambda w: ("GET", reverse("api:round-report", args=[R]), None), None),
    "api:numbering-system-list": (
        lambda w: ("GET", reverse("api:numbering-system-list"), None),
        lambda w: ("POST", reverse("api:numbering-system-list"), {"label": "Via API"}),
    ),
    "reports:open_data": (
        lambda w: ("GET", reverse("reports:open_data", args=[R]), None),
        lambda w: ("POST", reverse("reports:open_data", args=[R]), {}),
    ),
    "reports:open_data_latest": (
        lambda w: ("GET", reverse("reports:open_data_latest", args=[R]) + f"?v={_open_data_version(w)}", None),
        None,
    ),
    "reports:open_data_file": (
        lambda w: ("GET", reverse("reports:open_data_file", args=[R, _open_data_version(w)]), None),
        lambda w: ("POST", reverse("reports:open_data_file", args=[R, _open_data_version(w)]), {}),
    ),
    "api:numbering-system-detail": (
        lambda w: ("GET", reverse("api:numbering-system-detail", args=[w.draft.numbering_system_id]), None),
        None,
    ),
    "api:response-list": (
        lambda w: ("GET", reverse("api:response-list"), None),
        lambda w: ("POST", reverse("api:response-list"), {"round": R, "numbering_system": w.fresh.pk}),
    ),
    "api:response-detail": (
        lambda w: ("GET", reverse("api:response-detail", args=[w.draft.pk]), None),
        lambda w: (
            "PATCH",
            reverse("api:response-detail", args=[w.draft.pk]),
            {"answers": {"q1b": "1993"}, "version": w.draft.version},
        ),
    ),
    "api:response-compliance": (
        lambda w: ("GET", reverse("api:response-compliance", args=[w.draft.pk]), None),
        None,
    ),
    "surveys:round_texts": (
        lambda w: ("GET", reverse("surveys:round_texts", args=[R]), None),
        lambda w: (
            "POST",
            reverse("surveys:round_texts", args=[R]),
            {"title_fr": "Questionnaire (2012)", "title_es": ""},
        ),
    ),
    "surveys:response_submit": (
        lambda w: ("GET", reverse("surveys:response_submit", args=[w.draft.pk]), None),
        lambda w: ("POST", reverse("surveys:response_submit", args=[w.draft.pk]), {"version": w.draft.version}),
    ),
    "surveys:response_hand_back": (
        lambda w: ("GET", reverse("surveys:response_hand_back", args=[w.draft.pk]), None),
        lambda w: ("POST", reverse("surveys:response_hand_back", args=[w.draft.pk]), {"note": "Answer q1a too."}),
    ),
    **{
        f"api:response-{action}": (
            lambda w, a=action: ("GET", reverse(f"api:response-{a}", args=[w.draft.pk]), None),
            lambda w, a=action: (
                "POST",
                reverse(f"api:response-{a}", args=[(w.published if a == "reopen" else w.draft).pk]),
                {"comment": "x"},
            ),
        )
        for action in ("submit", "return", "accept", "publish", "reopen")
    },
}

# Each row: (read, write) for anonymous, office A respondent, office A approver,
# office B respondent, secretariat reviewer, site admin (superuser, no office).
# fmt: off
MATRIX = {
    "api:round-report": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "set_language": (("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "api:api-root": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:docs": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:st13-profiles": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:edition-detail": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:edition-list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:edition-upload": (("405", "no"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "api:edition-spreadsheet": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "api:numbering-system-detail": (("no", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "api:numbering-system-list": (("ok", "no"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "no"), ("ok", "no")),
    "api:office-detail": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:office-list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:response-accept": (("405", "no"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "400"), ("405", "400")),
    "api:response-compliance": (("no", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "api:response-detail": (("no", "no"), ("ok", "ok"), ("ok", "ok"), ("no", "no"), ("ok", "no"), ("ok", "no")),
    "api:response-list": (("ok", "no"), ("ok", "ok"), ("ok", "ok"), ("ok", "400"), ("ok", "no"), ("ok", "no")),
    "api:response-publish": (("405", "no"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "400"), ("405", "400")),
    "api:response-reopen": (("405", "no"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "api:response-return": (("405", "no"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "400"), ("405", "400")),
    "api:response-submit": (("405", "no"), ("405", "no"), ("405", "400"), ("405", "no"), ("405", "no"), ("405", "no")),
    "api:round-detail": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:round-list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:schema": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:st13-parse": (("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok")),
    "api:standard-list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "api:token": (("405", "400"), ("405", "400"), ("405", "400"), ("405", "400"), ("405", "400"), ("405", "400")),
    "home": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "healthz": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "password_change": (("login", "login"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "password_change_done": (("login", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "password_reset": (("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "password_reset_complete": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "password_reset_confirm": (("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "password_reset_done": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "two_factor_setup": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "two_factor_verify": (("login", "login"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "lockouts": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "login": (("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "logout": (("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok"), ("405", "ok")),
    "reports:round_report": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    # Published figures for everyone, like the report itself.
    "reports:round_comparison": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "reports:report_file": (("later", "no"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "reports:working_document": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "reports:working_document_file": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "reports:export_build": (("no", "no"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "reports:export_build_status": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "reports:export_build_file": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "reports:open_data": (("ok", "no"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "reports:open_data_latest": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "reports:open_data_file": (("later", "no"), ("later", "ok"), ("later", "ok"), ("later", "ok"), ("later", "ok"), ("later", "ok")),
    "surveys:attachment_download": (("login", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    # Never through the public address while the response is not published, for anyone.
    "surveys:public_attachment_download": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("no", "-")),
    "surveys:attachment_remove": (("login", "login"), ("405", "ok"), ("405", "ok"), ("405", "no"), ("405", "no"), ("405", "no")),
    "surveys:dashboard": (("login", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:edition_detail": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:edition_list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:edition_upload": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:edition_status": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:edition_preview": (("no", "no"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:edition_publish": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:edition_spreadsheet": (("no", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:numbering_system_new": (("login", "login"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("no", "no"), ("no", "no")),
    "surveys:public_response_detail": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:public_response_list": (("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:response_comment": (("login", "login"), ("405", "ok"), ("405", "ok"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "surveys:response_detail": (("login", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:response_edit": (("login", "login"), ("ok", "ok"), ("ok", "ok"), ("no", "no"), ("no", "no"), ("no", "no")),
    "surveys:response_history": (("login", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:response_document": (("no", "-"), ("ok", "-"), ("ok", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:response_review": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:response_start": (("login", "login"), ("405", "ok"), ("405", "ok"), ("405", "no"), ("405", "no"), ("405", "no")),
    "surveys:round_dashboard": (("login", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:round_list": (("login", "-"), ("no", "-"), ("no", "-"), ("no", "-"), ("ok", "-"), ("ok", "-")),
    "surveys:round_new": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_remind": (("login", "login"), ("405", "no"), ("405", "no"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "surveys:round_presentation": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_close": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_reopen": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_reminder_schedule": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_texts": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:response_submit": (("login", "login"), ("no", "no"), ("ok", "400"), ("no", "no"), ("no", "no"), ("no", "no")),
    "surveys:response_hand_back": (("login", "login"), ("405", "no"), ("405", "ok"), ("405", "no"), ("405", "no"), ("405", "no")),
    "toolkit:checker": (("ok", "400"), ("ok", "400"), ("ok", "400"), ("ok", "400"), ("ok", "400"), ("ok", "400")),
    "invitation_accept": (("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok"), ("ok", "ok")),
    "surveys:round_invitations": (("login", "login"), ("no", "no"), ("no", "no"), ("no", "no"), ("ok", "ok"), ("ok", "ok")),
    "surveys:invitation_resend": (("login", "login"), ("405", "no"), ("405", "ok"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "surveys:invitation_revoke": (("login", "login"), ("405", "no"), ("405", "ok"), ("405", "no"), ("405", "ok"), ("405", "ok")),
    "surveys:office_people": (("login", "login"), ("no", "no"), ("ok", "ok"), ("no", "no"), ("no", "no"), ("no", "no")),
    "surveys:office_person_role": (("login", "login"), ("405", "no"), ("405", "ok"), ("405", "no"), ("405", "no"), ("405", "no")),
    "surveys:office_person_remove": (("login", "login"), ("no", "no"), ("ok", "ok"), ("no", "no"), ("no", "no"), ("no", "no")),
    "toolkit:system_search": (("ok", "405"), ("ok", "405"), ("ok", "405"), ("ok", "405"), ("ok", "405"), ("ok", "405")),
}
# fmt: on


def test_every_named_url_has_an_expectation():
    missing = sorted(named_urls() - set(CASES))
    assert not missing, f"URLs without an entry in CASES/MATRIX: {missing}"
    assert set(CASES) <= named_urls(), sorted(set(CASES) - named_urls())
    if not os.environ.get("PRINT_MATRIX"):
        assert set(MATRIX) == set(CASES), sorted(set(CASES) ^ set(MATRIX))


@pytest.fixture
def users(
    office_a_respondent, office_a_approver, office_b_respondent, secretariat_reviewer, task_force_reader, translator
):
    admin = User.objects.create_superuser("site.admin", "admin@example.org", "persona-password")
    return {
        "office_a_respondent": office_a_respondent,
        "office_a_approver": office_a_approver,
        "office_b_respondent": office_b_respondent,
        "secretariat": secretariat_reviewer,
        "admin": admin,
        "task_force": task_force_reader,
        "translator": translator,
    }


def _client(users, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


@pytest.mark.parametrize("name", sorted(CASES))
def test_url_permissions(name, users, make_response, moldova_answers):
    world = build_world(make_response, moldova_answers, users)
    reader, writer = CASES[name]
    observed = {}
    for persona in PERSONAS:
        row = []
        for build in (reader, writer):
            if build is None:
                row.append(("-", False))
                continue
            method, url, data = build(world)
            row.append(send(_client(users, persona), method, url, data))
        observed[persona] = row
    if os.environ.get("PRINT_MATRIX"):
        cells = ", ".join(f'("{r[0][0]}", "{r[1][0]}")' for r in observed.values())
        print(f'\n    "{name}": ({cells}),')
        return
    expected = MATRIX[name]
    for persona, (read_expect, write_expect) in zip(PERSONAS, expected, strict=True):
        (read, _), (write, changed) = observed[persona]
        assert (read, write) == (read_expect, write_expect), f"{name} as {persona}"
        if write_expect in ("no", "login", "405", "400"):
            assert not changed, f"{name}: a refused write by {persona} changed the database"


# The roles of issue 14, every named URL: (read, write) for a task-force reader (reads
# every response submitted at least once and the reports with figures not yet published,
# comments, changes nothing) and for a translator (edits the round's French and Spanish
# texts, sees no answers). In the world above the draft was never submitted; the
# published response (which the task force reads) is the one the review cases write to.
# fmt: off
MORE_ROLES = {
    "api:api-root": (("ok", "-"), ("ok", "-")),
    "api:docs": (("ok", "-"), ("ok", "-")),
    "api:edition-detail": (("ok", "-"), ("ok", "-")),
    "api:edition-list": (("ok", "-"), ("ok", "-")),
    "api:numbering-system-detail": (("no", "-"), ("no", "-")),
    "api:numbering-system-list": (("ok", "no"), ("ok", "no")),
    "api:office-detail": (("ok", "-"), ("ok", "-")),
    "api:office-list": (("ok", "-"), ("ok", "-")),
    "api:response-accept": (("405", "no"), ("405", "no")),
    "api:response-compliance": (("no", "-"), ("no", "-")),
    "api:response-detail": (("no", "no"), ("no", "no")),
    "api:response-list": (("ok", "400"), ("ok", "400")),
    "api:response-publish": (("405", "no"), ("405", "no")),
    "api:response-reopen": (("405", "no"), ("405", "no")),
    "api:response-return": (("405", "no"), ("405", "no")),
    "api:response-submit": (("405", "no"), ("405", "no")),
    "api:round-detail": (("ok", "-"), ("ok", "-")),
    "api:round-list": (("ok", "-"), ("ok", "-")),
    "api:round-report": (("ok", "-"), ("ok", "-")),
    "api:schema": (("ok", "-"), ("ok", "-")),
    "api:st13-parse": (("405", "ok"), ("405", "ok")),
    "api:st13-profiles": (("ok", "-"), ("ok", "-")),
    "api:standard-list": (("ok", "-"), ("ok", "-")),
    "api:token": (("405", "400"), ("405", "400")),
    "healthz": (("ok", "-"), ("ok", "-")),
    "home": (("ok", "-"), ("ok", "-")),
    "lockouts": (("no", "no"), ("no", "no")),
    "login": (("ok", "ok"), ("ok", "ok")),
    "logout": (("405", "ok"), ("405", "ok")),
    "reports:export_build": (("ok", "ok"), ("no", "no")),
    "reports:export_build_file": (("ok", "-"), ("no", "-")),
    "reports:export_build_status": (("ok", "-"), ("no", "-")),
    "reports:open_data": (("ok", "ok"), ("ok", "ok")),
    "reports:open_data_file": (("later", "ok"), ("later", "ok")),
    "reports:open_data_latest": (("ok", "-"), ("ok", "-")),
    "reports:report_file": (("ok", "ok"), ("ok", "ok")),
    "reports:round_report": (("ok", "-"), ("ok", "-")),
    "reports:working_document": (("no", "no"), ("no", "no")),
    "reports:working_document_file": (("no", "no"), ("no", "no")),
    "set_language": (("ok", "ok"), ("ok", "ok")),
    "surveys:attachment_download": (("no", "-"), ("no", "-")),
    "surveys:attachment_remove": (("405", "no"), ("405", "no")),
    "surveys:dashboard": (("ok", "-"), ("ok", "-")),
    "surveys:edition_detail": (("ok", "-"), ("ok", "-")),
    "surveys:numbering_system_new": (("no", "no"), ("no", "no")),
    "surveys:public_response_detail": (("ok", "-"), ("ok", "-")),
    "surveys:public_response_list": (("ok", "-"), ("ok", "-")),
    "surveys:response_comment": (("405", "no"), ("405", "no")),
    "surveys:response_detail": (("no", "-"), ("no", "-")),
    "surveys:response_document": (("no", "-"), ("no", "-")),
    "surveys:response_edit": (("no", "no"), ("no", "no")),
    "surveys:response_hand_back": (("405", "no"), ("405", "no")),
    "surveys:response_history": (("no", "-"), ("no", "-")),
    "surveys:response_review": (("no", "no"), ("no", "no")),
    "surveys:response_start": (("405", "no"), ("405", "no")),
    "surveys:response_submit": (("no", "no"), ("no", "no")),
    "surveys:round_dashboard": (("no", "-"), ("no", "-")),
    "surveys:round_list": (("no", "-"), ("no", "-")),
    "surveys:round_new": (("no", "no"), ("no", "no")),
    "surveys:round_presentation": (("no", "no"), ("no", "no")),
    "surveys:round_remind": (("405", "no"), ("405", "no")),
    "surveys:round_texts": (("no", "no"), ("ok", "ok")),
    "toolkit:checker": (("ok", "400"), ("ok", "400")),
    "toolkit:system_search": (("ok", "405"), ("ok", "405")),
    "api:edition-spreadsheet": (("no", "-"), ("ok", "-")),
    "api:edition-upload": (("405", "no"), ("405", "no")),
    "invitation_accept": (("ok", "ok"), ("ok", "ok")),
    "password_change": (("ok", "ok"), ("ok", "ok")),
    "password_change_done": (("ok", "-"), ("ok", "-")),
    "password_reset": (("ok", "ok"), ("ok", "ok")),
    "password_reset_complete": (("ok", "-"), ("ok", "-")),
    "password_reset_confirm": (("ok", "ok"), ("ok", "ok")),
    "password_reset_done": (("ok", "-"), ("ok", "-")),
    "reports:round_comparison": (("ok", "-"), ("ok", "-")),
    "surveys:edition_list": (("ok", "-"), ("ok", "-")),
    "surveys:edition_preview": (("no", "no"), ("ok", "ok")),
    "surveys:edition_publish": (("no", "no"), ("no", "no")),
    "surveys:edition_spreadsheet": (("no", "-"), ("ok", "-")),
    "surveys:edition_status": (("no", "-"), ("ok", "-")),
    "surveys:edition_upload": (("no", "no"), ("ok", "no")),
    "surveys:invitation_resend": (("405", "no"), ("405", "no")),
    "surveys:invitation_revoke": (("405", "no"), ("405", "no")),
    "surveys:office_people": (("no", "no"), ("no", "no")),
    "surveys:office_person_remove": (("no", "no"), ("no", "no")),
    "surveys:office_person_role": (("405", "no"), ("405", "no")),
    "surveys:public_attachment_download": (("no", "-"), ("no", "-")),
    "surveys:round_close": (("no", "no"), ("no", "no")),
    "surveys:round_invitations": (("no", "no"), ("no", "no")),
    "surveys:round_reminder_schedule": (("no", "no"), ("no", "no")),
    "surveys:round_reopen": (("no", "no"), ("no", "no")),
    "two_factor_setup": (("no", "no"), ("no", "no")),
    "two_factor_verify": (("ok", "ok"), ("ok", "ok")),
}
# fmt: on


def test_every_named_url_has_an_expectation_for_the_more_roles():
    if not os.environ.get("PRINT_MATRIX"):
        assert set(MORE_ROLES) == set(CASES), sorted(set(CASES) ^ set(MORE_ROLES))


@pytest.mark.parametrize("name", sorted(CASES))
def test_url_permissions_of_the_more_roles(name, users, make_response, moldova_answers):
    world = build_world(make_response, moldova_answers, users)
    reader, writer = CASES[name]
    observed = {}
    for persona in MORE_PERSONAS:
        row = []
        for build in (reader, writer):
            if build is None:
                row.append(("-", False))
                continue
            method, url, data = build(world)
            row.append(send(_client(users, persona), method, url, data))
        observed[persona] = row
    if os.environ.get("PRINT_MATRIX"):
        cells = ", ".join(f'("{r[0][0]}", "{r[1][0]}")' for r in observed.values())
        print(f'\n    "{name}": ({cells}),')
        return
    for persona, (read_expect, write_expect) in zip(MORE_PERSONAS, MORE_ROLES[name], strict=True):
        (read, _), (write, changed) = observed[persona]
        assert (read, write) == (read_expect, write_expect), f"{name} as {persona}"
        if write_expect in ("no", "login", "405", "400"):
            assert not changed, f"{name}: a refused write by {persona} changed the database"
