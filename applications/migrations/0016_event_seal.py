"""Each history row carries the portal's seal (applications.chain.row_seal). Rows written before this
migration are sealed as they stand, so whatever they hold now is what the seals vouch for: run
`verify_audit` before migrating to know that it was intact."""

from django.db import migrations, models

from applications.chain import row_key, row_seal

BATCH = 2000


def seal_existing_rows(apps, schema_editor):
    ApplicationEvent = apps.get_model("applications", "ApplicationEvent")
    key = row_key()
    last = 0
    while True:
        rows = list(ApplicationEvent.objects.filter(pk__gt=last, seal="").order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.seal = row_seal(key, str(row.application_id), row.seq, row.hash)
        ApplicationEvent.objects.bulk_update(rows, ["seal"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0015_audit_checkpoints"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationevent",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
