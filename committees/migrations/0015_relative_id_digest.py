"""A relative an expert declares is kept by the keyed hash of their ID number, not the number
(portal/personal_data.py). Going back cannot recover a number from its hash: a declaration that names
only a relative gets a placeholder in the restored column (its hash is gone with the column)."""

from django.db import migrations, models
from django.db.models import Q

from portal.personal_data import id_digest


def fill(apps, schema_editor):
    Declaration = apps.get_model("committees", "ConflictDeclaration")
    rows = list(Declaration.objects.exclude(relative_id_number="").only("pk", "relative_id_number"))
    for row in rows:
        row.relative_id_digest = id_digest(row.relative_id_number)
    Declaration.objects.bulk_update(rows, ["relative_id_digest"], batch_size=1000)


def placeholder(apps, schema_editor):
    Declaration = apps.get_model("committees", "ConflictDeclaration")
    Declaration.objects.filter(relative_id_number="").exclude(relative_id_digest="").update(
        relative_id_number="（号码未保留）"
    )


class Migration(migrations.Migration):
    dependencies = [("committees", "0014_remove_meeting_seed")]

    operations = [
        migrations.AddField(
            model_name="conflictdeclaration",
            name="relative_id_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="亲属证件号码索引"),
        ),
        migrations.RemoveConstraint(model_name="conflictdeclaration", name="declaration_names_a_person"),
        migrations.RunPython(fill, placeholder),
        migrations.RemoveField(model_name="conflictdeclaration", name="relative_id_number"),
        migrations.AddConstraint(
            model_name="conflictdeclaration",
            constraint=models.CheckConstraint(
                condition=Q(application__isnull=False) | ~Q(relative_id_digest=""),
                name="declaration_names_a_person",
            ),
        ),
    ]
