"""The admin: who reaches it, constant query counts, workflow actions through the services, imports."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import Office
from surveys.models import (
    NumberingSystem,
    QuestionnaireEdition,
    ResponseEvent,
    ResponseRevision,
    ReviewComment,
    SurveyResponse,
    SurveyRound,
)

pytestmark = pytest.mark.django_db

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_FORMAT = "1"  # the admins offer CSV (0) and XLSX (1)
CHANGELISTS = [
    "standards_office",
    "standards_standard",
    "surveys_questionnaireedition",
    "surveys_surveyround",
    "surveys_invitation",
    "surveys_membership",
    "surveys_numberingsystem",
    "surveys_surveyresponse",
    "surveys_responserevision",
    "surveys_responseevent",
    "surveys_reviewcomment",
    "surveys_attachment",
    "surveys_outgoingmail",
    "surveys_exportbuild",
    "surveys_accountinvitation",
    "surveys_preferences",
]


@pytest.fixture
def ib_staff(secretariat_reviewer):
    # As in the demo: the secretariat's accounts are staff accounts, without model permissions
    # of their own (their group holds them).
    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save(update_fields=["is_staff"])
    return secretariat_reviewer


@pytest.fixture
def ib_client(client, ib_staff):
    client.force_login(ib_staff)
    return client


def changelist(name):
    return reverse(f"admin:{name}_changelist")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries), page


def act(client, action, responses, comment=""):
    return client.post(
        changelist("surveys_surveyresponse"),
        {"action": action, "index": 0, "_selected_action": [r.pk for r in responses], "comment": comment},
        follow=True,
    )


def page_messages(page):
    return [str(m) for m in page.context["messages"]]


def xlsx_upload(headers, rows, name="responses.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile(name, stream.getvalue(), content_type=XLSX_MIME)


def import_preview(client, model, upload):
    return client.post(
        reverse(f"admin:{model}_import"), {"resource": "0", "format": XLSX_FORMAT, "import_file": upload}
    )


def import_confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:{model}_process_import"), form.initial, follow=True)


# --- who reaches the admin ------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "office_a_respondent", "office_a_approver", "secretariat_reviewer"])
def test_only_staff_reach_the_admin(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))  # not staff: the secretariat persona here is not
    for url in (
        reverse("admin:index"),
        changelist("surveys_surveyresponse"),
        reverse("admin:surveys_surveyresponse_import"),
    ):
        page = client.get(url)
        assert page.status_code == 302
        assert page["Location"] == f"{reverse('admin:login')}?next={url}"


def test_addresses_of_the_response_admin_before_the_rename_lead_to_the_new_ones(client):
    page = client.get("/admin/surveys/response/12/change/?_changelist_filters=status%3Ddraft")
    assert page.status_code == 301
    assert page["Location"] == "/admin/surveys/surveyresponse/12/change/?_changelist_filters=status%3Ddraft"
    assert client.get("/admin/surveys/response/")["Location"] == changelist("surveys_surveyresponse")


@pytest.mark.parametrize("name", CHANGELISTS)
def test_secretariat_staff_reach_every_changelist_through_their_group(ib_client, name):
    assert ib_client.get(changelist(name)).status_code == 200


def test_the_admin_index_lists_every_model_for_the_secretariat(ib_client):
    page = ib_client.get(reverse("admin:index"))
    listed = {f"{m['object_name'].lower()}" for app in page.context["app_list"] for m in app["models"]}
    assert listed == {name.split("_", 1)[1] for name in CHANGELISTS}


def test_the_secretariat_group_holds_the_model_permissions_of_its_pages(ib_staff):
    """Granted by the data migration: nothing more (no users, no groups, no deleting responses)."""
    from django.contrib.auth.models import Group

    from surveys.permissions import SECRETARIAT_GROUP, SECRETARIAT_MODEL_PERMISSIONS

    held = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=SECRETARIAT_GROUP).permissions.all()
    }
    assert held == {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in SECRETARIAT_MODEL_PERMISSIONS.items()
        for action in actions
    }
    assert ib_staff.has_perm("surveys.add_surveyround") and not ib_staff.has_perm("surveys.delete_surveyround")
    assert not ib_staff.has_perm("auth.view_user") and not ib_staff.has_perm("surveys.change_surveyresponse")


def test_other_staff_need_permissions_and_see_only_their_office(
    client, make_response, office_a_respondent, reference_data
):
    make_response(office_a_respondent, {"q1b": "1992"})
    ep_user = User.objects.create_user("ep.staff", password="x", is_staff=True)
    client.force_login(ep_user)
    assert client.get(changelist("surveys_surveyresponse")).status_code == 403
    assert client.get(reverse("admin:surveys_surveyresponse_import")).status_code == 403
    ep_user.user_permissions.add(Permission.objects.get(codename="view_surveyresponse"))
    from surveys.models import Membership

    Membership.objects.create(user=ep_user, office_id="EP")
    page = client.get(changelist("surveys_surveyresponse"))
    assert page.status_code == 200 and page.context["cl"].result_count == 0  # Moldova's response is not theirs
    # Viewing is not importing, exporting or taking workflow steps.
    assert client.get(reverse("admin:surveys_surveyresponse_import")).status_code == 403
    assert client.get(reverse("admin:surveys_surveyresponse_export")).status_code == 403
    assert page.context["action_form"] is None  # no workflow actions offered


def test_editions_responses_and_history_are_read_only(ib_client, admin_client, make_response, office_a_respondent):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    edition = QuestionnaireEdition.objects.get()
    for client in (ib_client, admin_client):
        assert client.get(reverse("admin:surveys_questionnaireedition_add")).status_code == 403
        assert client.post(reverse("admin:surveys_questionnaireedition_delete", args=[edition.pk])).status_code == 403
        assert client.get(reverse("admin:surveys_surveyresponse_add")).status_code == 403
        change = reverse("admin:surveys_surveyresponse_change", args=[response.pk])
        assert client.post(change, {"status": "published", "answers": "{}"}).status_code == 403
        assert client.post(reverse("admin:surveys_surveyresponse_delete", args=[response.pk])).status_code == 403
        revision = response.revisions.first()
        assert client.post(reverse("admin:surveys_responserevision_delete", args=[revision.pk])).status_code == 403
    response.refresh_from_db()
    assert (response.status, response.answers, response.version) == ("draft", {"q1b": "1992"}, 2)


def test_edition_page_shows_its_identity_and_question_count(ib_client, edition):
    page = ib_client.get(reverse("admin:surveys_questionnaireedition_change", args=[edition.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    count = len(edition.structure.questions)
    assert count == 46
    assert f'<div class="readonly">{count}</div>' in content
    assert edition.checksum in content and edition.version in content
    assert "q1: " not in content  # sections are listed by id and title, not as raw JSON
    assert '"sections"' not in content


# --- constant query counts ------------------------------------------------------------


def test_response_changelist_query_count_does_not_grow(ib_client, make_response, office_a_respondent, moldova_answers):
    make_response(office_a_respondent, moldova_answers, label="System 0")
    url = changelist("surveys_surveyresponse")
    ib_client.get(url)  # warm-up: session and caches
    one, page = count_queries(ib_client, url)
    assert page.context["cl"].result_count == 1
    for i in range(1, 10):
        make_response(office_a_respondent, {"q1b": "1992"}, label=f"System {i}")
    ten, page = count_queries(ib_client, url)
    assert page.context["cl"].result_count == 10
    assert ten == one


def test_office_changelist_query_count_does_not_grow(admin_client, db):
    Office.objects.create(code="AA", name="Office AA", kind="state")
    url = changelist("standards_office")
    admin_client.get(url)
    one, page = count_queries(admin_client, url)
    assert page.context["cl"].result_count == 1
    Office.objects.bulk_create(Office(code=f"A{c}", name=f"Office A{c}", kind="state") for c in "BCDEFGHIJ")
    ten, page = count_queries(admin_client, url)
    assert page.context["cl"].result_count == 10
    assert ten == one


@pytest.mark.parametrize(
    "name",
    ["surveys_responserevision", "surveys_responseevent", "surveys_numberingsystem", "surveys_surveyround"],
)
def test_history_and_catalogue_changelists_do_not_grow(
    ib_client, make_response, office_a_respondent, moldova_answers, name
):
    make_response(office_a_respondent, moldova_answers, label="System 0", publish=True)
    url = changelist(name)
    ib_client.get(url)
    one, _ = count_queries(ib_client, url)
    for i in range(1, 4):
        make_response(office_a_respondent, moldova_answers, label=f"System {i}", publish=True)
    SurveyRound.objects.create(
        edition=QuestionnaireEdition.objects.get(),
        slug="r2",
        title="Round 2",
        year=2013,
        opens_on=date(2013, 1, 1),
        closes_on=date(2013, 12, 31),
    )
    more, _ = count_queries(ib_client, url)
    assert more == one


# --- workflow steps through the services ----------------------------------------------


def test_accept_and_publish_actions_call_the_services(
    ib_client, ib_staff, make_response, office_a_respondent, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, submit=True)
    page = act(ib_client, "accept", [response], comment="Checked against the published record.")
    assert page_messages(page) == ["Accepted: md-001."]
    response.refresh_from_db()
    assert response.status == "accepted" and response.accepted_at is not None and response.updated_by == ib_staff
    event = ResponseEvent.objects.get(response=response, action="accept")
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        "submitted",
        "accepted",
        ib_staff,
        "Checked against the published record.",
    )
    page = act(ib_client, "publish", [response])
    assert page_messages(page) == ["Published: md-001."]
    response.refresh_from_db()
    assert response.status == "published"
    assert list(response.events.values_list("action", "actor")) == [
        ("submit", response.events.get(action="submit").actor_id),
        ("accept", ib_staff.pk),
        ("publish", ib_staff.pk),
    ]
    page = act(ib_client, "reopen", [response], comment="A correction from the office.")
    response.refresh_from_db()
    assert response.status == "returned" and page_messages(page) == ["Reopened: md-001."]


def test_refused_steps_are_reported_and_change_nothing(ib_client, make_response, office_a_respondent, moldova_answers):
    submitted = make_response(office_a_respondent, moldova_answers, label="Trademarks", submit=True)
    draft = make_response(office_a_respondent, {"q1b": "1992"}, label="Patents")
    page = act(ib_client, "return_to_office", [submitted])
    assert page_messages(page) == [
        "md-001 (Questionnaire on application numbering (2012)): Say what the office should change: add a "
        "comment, on the response or on a question."
    ]
    page = act(ib_client, "publish", [submitted, draft])
    assert sorted(page_messages(page)) == [
        "md-001 (Questionnaire on application numbering (2012)): A response that is submitted cannot be published.",
        "md-002 (Questionnaire on application numbering (2012)): A response that is draft cannot be published.",
    ]
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == ("submitted", "draft")
    assert not ResponseEvent.objects.exclude(action="submit").exists()
    # With a comment, the same return goes through and the office sees the comment.
    page = act(ib_client, "return_to_office", [submitted, draft], comment="Please check q4b.")
    assert page_messages(page) == [
        "md-002 (Questionnaire on application numbering (2012)): A response that is draft cannot be returned to "
        "the office.",
        "Returned to the office: md-001.",
    ]
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert list(submitted.comments.values_list("question_id", "body")) == [("", "Please check q4b.")]


def test_response_page_shows_answers_as_a_readable_list(ib_client, make_response, office_a_respondent, moldova_answers):
    response = make_response(office_a_respondent, {**moldova_answers, "q1b": "19x2"})
    response.set_aside_answers = {"q4c": {"serial": {"min": 4, "max": 6}}}
    response.save(update_fields=["set_aside_answers"])
    page = ib_client.get(reverse("admin:surveys_surveyresponse_change", args=[response.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    text = re.sub(r"\s+", " ", content)
    assert (
        '<td class="nowrap">q1a</td><td>Which types of IPRs are numbered using this system?</td>'
        '<td class="nowrap">Answered</td><td>Trademarks</td>'
    ) in text
    assert '<td class="nowrap">q4b</td>' in text and "Serial number: 6 characters" in text
    assert '<td class="nowrap">Not applicable</td><td><em>set aside:</em> serial=4-6</td>' in text
    assert "19x2 <em>(not valid: Enter a year (yyyy) or a full date (dd/mm/yyyy).)</em>" in text
    assert 'name="_save"' not in content and 'name="answers"' not in content and 'name="status"' not in content


# --- import and export through the admin ----------------------------------------------


def test_admin_import_preview_with_a_bad_row_writes_nothing(
    admin_client, survey_round, make_response, office_a_respondent
):
    before = (SurveyResponse.objects.count(), NumberingSystem.objects.count(), ResponseRevision.objects.count())
    upload = xlsx_upload(
        ["round", "office", "numbering_system", "q1a", "q1b", "q4b"],
        [
            ["application-numbering-2012", "MD", "Trademarks", "trademarks", 1992, ""],
            ["application-numbering-2012", "EP", "Patents", "patents", "1978", "serial=six"],
        ],
    )
    page = import_preview(admin_client, "surveys_surveyresponse", upload)
    assert page.status_code == 200
    result = page.context["result"]
    assert "confirm_form" not in page.context
    assert [(r.number, r.field_specific_errors) for r in result.invalid_rows] == [
        (3, {"q4b": ["serial: 'six' is not a whole number."]})
    ]
    content = page.content.decode()
    assert "Some rows failed to validate" in content and "serial: &#x27;six&#x27; is not a whole number." in content
    assert page_messages(page) == [
        "Row 3, column q4b: serial: 'six' is not a whole number.",
        "Nothing was imported: correct the file and upload it again.",
    ]
    assert "Traceback" not in content
    assert (SurveyResponse.objects.count(), NumberingSystem.objects.count(), ResponseRevision.objects.count()) == before


def test_admin_export_then_import_into_a_fresh_round_keeps_every_answer(
    admin_client, admin_user, make_response, office_a_respondent, moldova_answers, edition, fresh_round
):
    moldova = make_response(office_a_respondent, moldova_answers)
    exported = admin_client.post(
        reverse("admin:surveys_surveyresponse_export"), {"format": XLSX_FORMAT, "resource": "0"}
    )
    assert exported.status_code == 200 and exported["Content-Type"] == XLSX_MIME
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["round", "office", "numbering_system", "sequence", "status", "q1a"]
    assert rows[1][:6] == ["application-numbering-2012", "MD", "Trademarks", 1, "draft", "trademarks"]

    fresh = fresh_round
    rows[1][0] = fresh.slug
    preview = import_preview(admin_client, "surveys_surveyresponse", xlsx_upload(rows[0], rows[1:]))
    assert preview.status_code == 200 and "confirm_form" in preview.context
    assert [r.import_type for r in preview.context["result"].rows] == ["new"]
    assert not SurveyResponse.objects.filter(round=fresh).exists()  # the preview wrote nothing

    done = import_confirm(admin_client, "surveys_surveyresponse", preview)
    assert page_messages(done) == ["Import finished: 1 new, 0 updated, 0 deleted and 0 skipped responses."]
    imported = SurveyResponse.objects.get(round=fresh)
    assert imported.answers == moldova.answers == moldova_answers
    assert imported.revisions.get().note == "imported" and imported.created_by == admin_user
    assert LogEntry.objects.filter(object_id=str(imported.pk), user=admin_user).exists()


def test_office_import_is_keyed_by_st3_code_and_refuses_bad_codes(admin_client, reference_data):
    bad = xlsx_upload(["code", "name", "kind"], [["MD", "Moldova (AGEPI)", "state"], ["M1", "Nowhere", "state"]])
    page = import_preview(admin_client, "standards_office", bad)
    assert [(r.number, r.field_specific_errors) for r in page.context["result"].invalid_rows] == [
        (3, {"code": ["'M1' is not an ST.3 code: two capital letters expected (e.g. MD, EP)."]})
    ]
    assert Office.objects.get(code="MD").name != "Moldova (AGEPI)"

    good = xlsx_upload(["code", "name", "kind"], [["MD", "Moldova (AGEPI)", "state"], ["ZZ", "Test office", "entity"]])
    preview = import_preview(admin_client, "standards_office", good)
    assert [r.import_type for r in preview.context["result"].rows] == ["update", "new"]
    import_confirm(admin_client, "standards_office", preview)
    assert Office.objects.get(code="MD").name == "Moldova (AGEPI)"
    assert Office.objects.filter(code="ZZ", kind="entity").exists()


def test_office_export_writes_code_name_kind(admin_client, reference_data):
    exported = admin_client.post(
        reverse("admin:standards_office_export"),
        {
            "format": XLSX_FORMAT,
            "resource": "0",
            "officeresource_code": "on",
            "officeresource_name": "on",
            "officeresource_kind": "on",
        },
    )
    assert exported.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "kind")
    assert ("MD", Office.objects.get(code="MD").name, "state") in rows
    assert len(rows) == Office.objects.count() + 1


# --- comments and memberships go through the services ---------------------------------


def test_comments_are_added_through_the_service(ib_client, ib_staff, make_response, office_a_respondent):
    response = make_response(office_a_respondent, {"q1b": "1992"})
    add = reverse("admin:surveys_reviewcomment_add")
    page = ib_client.post(add, {"response": response.pk, "question_id": "q99", "body": "What is this?"})
    assert page.status_code == 200 and page.context["adminform"].form.errors == {
        "question_id": ["q99 is not a question of this response's edition."]
    }
    page = ib_client.post(add, {"response": response.pk, "question_id": "q4b", "body": "  Check the length. "})
    assert page.status_code == 302
    comment = ReviewComment.objects.get()
    assert (comment.question_id, comment.body, comment.author, comment.version) == (
        "q4b",
        "Check the length.",
        ib_staff,
        response.version,
    )
    change = reverse("admin:surveys_reviewcomment_change", args=[comment.pk])
    assert ib_client.post(change, {"body": "edited"}).status_code == 403


def test_memberships_are_set_through_the_service(ib_client, reference_data):
    user = User.objects.create_user("new.person")
    page = ib_client.post(
        reverse("admin:surveys_membership_add"), {"user": user.pk, "office": "MD", "role": "approver"}
    )
    assert page.status_code == 302
    assert (user.membership.office_id, user.membership.role) == ("MD", "approver")


def test_adding_a_numbering_system_in_the_admin_goes_through_the_service(client, secretariat_reviewer, reference_data):
    from surveys.models import NumberingSystem

    secretariat_reviewer.is_staff = True
    secretariat_reviewer.save()
    client.force_login(secretariat_reviewer)
    page = client.post(reverse("admin:surveys_numberingsystem_add"), {"office": "MD", "label": "  Trademarks "})
    assert page.status_code == 302
    system = NumberingSystem.objects.get(office_id="MD")
    # The service trims the name and records who created it.
    assert (system.label, system.created_by) == ("Trademarks", secretariat_reviewer)
    page = client.post(reverse("admin:surveys_numberingsystem_add"), {"office": "MD", "label": "trademarks"})
    assert page.status_code == 200 and NumberingSystem.objects.count() == 1
