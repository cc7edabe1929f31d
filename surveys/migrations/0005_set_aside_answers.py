"""Answers to questions that no longer apply are "set aside" everywhere in the code: the
fields (and their columns) stashed_answers become set_aside_answers, values kept. The
API still calls them stashed_answers."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0004_survey_response"),
    ]

    operations = [
        migrations.RenameField(model_name="surveyresponse", old_name="stashed_answers", new_name="set_aside_answers"),
        migrations.RenameField(model_name="responserevision", old_name="stashed_answers", new_name="set_aside_answers"),
    ]
