"""The sweep finds its next batch of due entries through an index of the pending ones only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0027_fewer_index_writes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publicityentry",
            index=models.Index(
                condition=models.Q(("outcome", "pending")), fields=["id"], name="publicity_entry_pending"
            ),
        ),
    ]
