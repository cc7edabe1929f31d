from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_export_builds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportbuild",
            name="format",
            field=models.CharField(
                choices=[
                    ("pdf", "PDF"),
                    ("docx", "DOCX"),
                    ("xlsx", "XLSX"),
                    ("csv", "CSV (zip)"),
                    ("page", "report page"),
                ],
                max_length=8,
            ),
        ),
    ]
