"""export_all → import_all into an empty database → export_all gives the same bytes."""

import json

import pytest
from django.core.management import CommandError, call_command

from surveys.intake.backup import MODELS, export_document, import_document
from surveys.models import ReviewComment, SurveyResponse
from surveys.review.workflow import comment_add, response_reopen

pytestmark = pytest.mark.django_db(transaction=True)


def _flush():
    from django.apps import apps

    for label in reversed(MODELS):
        apps.get_model(label)._default_manager.all().delete()


def test_round_trip_is_byte_identical(
    tmp_path, office_a_respondent, office_a_approver, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    response_reopen(response=response, user=secretariat_reviewer, comment="Say “from 1992”, please ✓")
    draft = make_response(office_a_respondent, {"q1b": "19x2", "q4b": {"serial": "six"}}, label="Patents")
    comment_add(response=draft, user=secretariat_reviewer, body="q1b?", question_id="q1b")
    first = tmp_path / "first.zip"
    call_command("export_all", str(first))
    before = json.loads(_archive_document(first))
    assert before["counts"]["surveys.surveyresponse"] == 2
    assert (
        before["counts"]["surveys.responserevision"]
        == SurveyResponse.objects.get(pk=response.pk).version + draft.version
    )
    assert before["counts"]["standards.office"] >= 230
    assert before["counts"]["standards.officename"] == 4  # the recorded renames (EM, CZ) go with the offices

    _flush()
    assert not SurveyResponse.objects.exists()
    call_command("import_all", str(first))
    second = tmp_path / "second.zip"
    call_command("export_all", str(second))
    assert second.read_bytes() == first.read_bytes()

    restored = SurveyResponse.objects.get(pk=draft.pk)
    assert restored.answers == {"q1b": "19x2"}
    assert restored.set_aside_answers == {"q4b": {"serial": "six"}}
    assert ReviewComment.objects.filter(response=restored, question_id="q1b").exists()
    # New rows continue after the restored keys.
    new = make_response(office_a_respondent, label="Designs")
    assert new.pk > max(response.pk, draft.pk)


def test_a_file_written_before_the_renames_is_restored(
    tmp_path, office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    response = make_response(office_a_respondent, moldova_answers, publish=True)
    comment_add(response=response, user=secretariat_reviewer, body="Thank you.")
    draft = make_response(office_a_respondent, {"q1b": "19x2", "q4b": {"serial": "six"}}, label="Patents")
    today = export_document()
    # Version 1 called the model surveys.response, and answers set aside stashed_answers.
    document = json.loads(today)
    document["version"] = 1
    document["counts"]["surveys.response"] = document["counts"].pop("surveys.surveyresponse")
    for item in document["objects"]:
        if item["model"] in ("surveys.surveyresponse", "surveys.responserevision"):
            item["fields"]["stashed_answers"] = item["fields"].pop("set_aside_answers")
        if item["model"] == "surveys.surveyresponse":
            item["model"] = "surveys.response"
    old = tmp_path / "before-the-rename.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    assert '"surveys.surveyresponse"' not in old.read_text(encoding="utf-8")
    assert '"set_aside_answers"' not in old.read_text(encoding="utf-8")

    _flush()
    call_command("import_all", str(old))
    assert SurveyResponse.objects.get(pk=response.pk).answers == moldova_answers
    assert SurveyResponse.objects.get(pk=draft.pk).set_aside_answers == {"q4b": {"serial": "six"}}
    assert ReviewComment.objects.get().response_id == response.pk
    assert export_document() == today


def test_import_refuses_a_database_that_is_not_empty(tmp_path, edition):
    path = tmp_path / "x.json"
    path.write_text(export_document(), encoding="utf-8")
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("import_all", str(path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"format": "something-else"}', "not a wipostad export"),
        ('{"format": "wipostad-export", "version": 9}', "version 9 is not supported"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(text, message):
    from surveys.intake.backup import BackupError

    with pytest.raises(BackupError, match=message):
        import_document(text)


def test_a_truncated_export_writes_nothing(tmp_path, survey_round):
    text = export_document()
    document = json.loads(text)
    # Drop the offices: every reference to them now dangles.
    document["objects"] = [o for o in document["objects"] if o["model"] != "standards.office"]
    document["counts"].pop("standards.office")
    _flush()
    from surveys.intake.backup import BackupError
    from surveys.models import QuestionnaireEdition

    with pytest.raises(BackupError):
        import_document(json.dumps(document))
    assert not QuestionnaireEdition.objects.exists()


def test_restore_into_a_freshly_migrated_database_keeps_the_secretariat_and_its_permissions(
    tmp_path, office_a_respondent, secretariat_reviewer, make_response
):
    from django.contrib.auth.models import Group

    from surveys.permissions import SECRETARIAT_GROUP, SECRETARIAT_MODEL_PERMISSIONS, secretariat_group_grant

    make_response(office_a_respondent, {"q1b": "1992"})
    Group.objects.create(name="readers")  # a group of the site's own, numbered after the secretariat's
    first = export_document()
    # Permissions travel by natural key: their numbers differ from one database to the next.
    group_rows = [o for o in json.loads(first)["objects"] if o["model"] == "auth.group"]
    secretariat_row = next(o for o in group_rows if o["fields"]["name"] == SECRETARIAT_GROUP)
    assert ["view_surveyresponse", "surveys", "surveyresponse"] in secretariat_row["fields"]["permissions"]

    _flush()
    secretariat_group_grant()  # what migrating a new database leaves: the group, nobody in it
    counts = import_document(first)
    assert counts["auth.group"] == 2
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    assert group.user_set.get() == secretariat_reviewer
    assert group.permissions.count() == sum(len(a) for a in SECRETARIAT_MODEL_PERMISSIONS.values())
    assert export_document() == first


def test_a_database_with_people_in_the_secretariat_is_not_empty(tmp_path, secretariat_reviewer):
    from surveys.intake.backup import BackupError

    text = export_document()
    with pytest.raises(BackupError, match="the database is not empty"):
        import_document(text)


def _archive_document(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("wipostad-backup.json")


def test_a_restore_keeps_tokens_admin_history_and_attachment_files(
    tmp_path, office_a_respondent, secretariat_reviewer, make_response, moldova_answers
):
    import stat

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from surveys.models import Attachment
    from surveys.responses.attachments import attachment_add
    from tests.surveys.web_helpers import logged_in

    response = make_response(office_a_respondent, moldova_answers)
    body = b"%PDF-1.4 the office's own numbering table"
    upload = SimpleUploadedFile("Numbering table.pdf", body, "application/pdf")
    attachment = attachment_add(response=response, question_id="q14d", upload=upload, user=office_a_respondent)
    token = Token.objects.create(user=secretariat_reviewer)
    LogEntry.objects.create(
        user=secretariat_reviewer,
        content_type=ContentType.objects.get_for_model(SurveyResponse),
        object_id=str(response.pk),
        object_repr=str(response),
        action_flag=CHANGE,
        change_message="Checked the examples.",
    )
    history = list(LogEntry.objects.values("user_id", "content_type__model", "object_id", "change_message"))

    archive = tmp_path / "backup.zip"
    call_command("export_all", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    _flush()
    attachment.file.storage.delete(attachment.file.name)
    assert not Token.objects.exists() and not LogEntry.objects.exists()
    call_command("import_all", str(archive))

    assert Token.objects.get().key == token.key and Token.objects.get().user_id == secretariat_reviewer.pk
    assert list(LogEntry.objects.values("user_id", "content_type__model", "object_id", "change_message")) == history
    again = tmp_path / "again.zip"
    call_command("export_all", str(again))
    assert _archive_document(again) == _archive_document(archive)
    restored = Attachment.objects.get()
    url = reverse("surveys:attachment_download", args=[response.pk, restored.token])
    download = logged_in(office_a_respondent).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == body


def test_an_existing_file_is_replaced_owner_only(tmp_path, edition):
    import stat

    path = tmp_path / "backup.zip"
    path.write_text("old")
    path.chmod(0o644)
    call_command("export_all", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _archive_document(path)
