"""The API's list of applications, newest first, walks an index of the creation time."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0028_pending_entries_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["created_at", "id"], name="application_newest"),
        ),
    ]
