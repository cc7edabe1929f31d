"""A round's title in French and Spanish (blank: the English one is shown)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0019_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyround",
            name="title_fr",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (French)"),
        ),
        migrations.AddField(
            model_name="surveyround",
            name="title_es",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (Spanish)"),
        ),
    ]
