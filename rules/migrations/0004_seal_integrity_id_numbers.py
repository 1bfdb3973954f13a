"""Integrity records keep the ID number sealed to the person it names, with its keyed hash for the ban
lookups (portal/personal_data.py); the clear column goes. Reversible while the secret is the same."""

from django.db import migrations, models

from portal.personal_data import id_digest, id_seal, id_unseal, integrity_binding


def seal(apps, schema_editor):
    Record = apps.get_model("rules", "IntegrityRecord")
    rows = list(Record.objects.only("pk", "id_number"))
    for row in rows:
        row.id_number_digest = id_digest(row.id_number)
        row.id_number_sealed = id_seal(row.id_number, bound_to=integrity_binding(row.id_number_digest))
    Record.objects.bulk_update(rows, ["id_number_digest", "id_number_sealed"], batch_size=1000)


def unseal(apps, schema_editor):
    Record = apps.get_model("rules", "IntegrityRecord")
    rows = list(Record.objects.only("pk", "id_number_sealed", "id_number_digest"))
    for row in rows:
        row.id_number = id_unseal(row.id_number_sealed, bound_to=integrity_binding(row.id_number_digest))
    Record.objects.bulk_update(rows, ["id_number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_clock_stamps")]

    operations = [
        migrations.AddField(
            model_name="integrityrecord",
            name="id_number_sealed",
            field=models.BinaryField(default=b"", editable=False, verbose_name="证件号码（密文）"),
        ),
        migrations.AddField(
            model_name="integrityrecord",
            name="id_number_digest",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="证件号码索引"),
            preserve_default=False,
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveIndex(model_name="integrityrecord", name="rules_integ_id_type_9a85fb_idx"),
        # A default for the column, so that going back can add it to the existing rows before unsealing.
        migrations.AlterField(
            model_name="integrityrecord",
            name="id_number",
            field=models.CharField(default="", max_length=24, verbose_name="证件号码"),
        ),
        migrations.RemoveField(model_name="integrityrecord", name="id_number"),
        migrations.AddIndex(
            model_name="integrityrecord",
            index=models.Index(fields=["id_type", "id_number_digest"], name="rules_integ_id_type_aa6349_idx"),
        ),
    ]
