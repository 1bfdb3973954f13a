"""The public list of publicities pages by a cursor of creation time and key: the index ends with the key."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0029_newest_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="publicitynotice", name="publicity_open_newest"),
        migrations.AddIndex(
            model_name="publicitynotice",
            index=models.Index(fields=["status", "-created_at", "-id"], name="publicity_open_newest"),
        ),
    ]
