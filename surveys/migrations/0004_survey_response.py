"""Response becomes SurveyResponse (the name no longer collides with HttpResponse and DRF's
Response). The table is renamed with its rows; pages, the admin and the API still call it
a response (verbose name). Django renames the content type; the model permissions keep
their meaning by taking the new codenames (view_surveyresponse …)."""

from django.db import migrations

NEW_MODEL = "surveyresponse"


def _rename_codenames(apps, old_suffix, new_suffix):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type = ContentType.objects.filter(app_label="surveys", model=NEW_MODEL).first()
    if content_type is None:  # a new database: permissions are created after migrating
        return
    for permission in Permission.objects.filter(content_type=content_type, codename__endswith=f"_{old_suffix}"):
        codename = permission.codename[: -len(old_suffix)] + new_suffix
        if not Permission.objects.filter(content_type=content_type, codename=codename).exists():
            permission.codename = codename
            permission.save(update_fields=["codename"])


def permissions_forward(apps, schema_editor):
    _rename_codenames(apps, "response", NEW_MODEL)


def permissions_backward(apps, schema_editor):
    _rename_codenames(apps, NEW_MODEL, "response")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("surveys", "0003_signin_failures"),
    ]

    operations = [
        migrations.RenameModel(old_name="Response", new_name="SurveyResponse"),
        migrations.AlterModelOptions(
            name="surveyresponse",
            options={"ordering": ["round_id", "office_id", "sequence"], "verbose_name": "response"},
        ),
        migrations.RunPython(permissions_forward, permissions_backward),
    ]
