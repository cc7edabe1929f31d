from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0016_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyresponse",
            name="carried_answers",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="not_carried_answers",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
