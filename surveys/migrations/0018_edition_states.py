from django.db import migrations, models


class Migration(migrations.Migration):
    """Editions are drafts until published; every edition loaded so far is published."""

    dependencies = [
        ("surveys", "0017_carried_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnaireedition",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")], default="published", max_length=12
            ),
        ),
        migrations.AddField(
            model_name="questionnaireedition",
            name="warnings",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="questionnaireedition",
            name="updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="questionnaireedition",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="questionnaireedition",
            index=models.Index(fields=["-year", "slug"], name="edition_listing"),
        ),
    ]
