"""The secretariat's group holds the Django model permissions its admin pages need
(surveys.permissions.SECRETARIAT_MODEL_PERMISSIONS). Until now an admin mixin let the
group through without them; the admin now asks Django's own permission checks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from surveys.permissions import secretariat_group_grant, secretariat_group_revoke


def grant(apps, schema_editor):
    # A new database gets its permission rows after the last migration (post_migrate):
    # make those of these two apps now, as Django will.
    for label in ("standards", "surveys"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        config.models_module = None
    secretariat_group_grant(apps)


def revoke(apps, schema_editor):
    secretariat_group_revoke(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("standards", "0001_initial"),
        ("surveys", "0005_set_aside_answers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
