"""The hand-over inside an office: a response marked ready for approval (when, by whom),
and the two steps recorded as workflow events ("ready", "hand_back")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIONS = ["submit", "return", "accept", "publish", "reopen", "ready", "hand_back"]


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0020_round_texts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="responseevent", name="event_action_known"),
        migrations.AddField(
            model_name="surveyresponse",
            name="ready_for_approval_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="ready_for_approval_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="responseevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Submitted"),
                    ("return", "Returned to the office"),
                    ("accept", "Accepted"),
                    ("publish", "Published"),
                    ("reopen", "Reopened"),
                    ("ready", "Marked ready for approval"),
                    ("hand_back", "Handed back to the respondent"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="responseevent",
            constraint=models.CheckConstraint(condition=models.Q(action__in=ACTIONS), name="event_action_known"),
        ),
    ]
