# Objections lodged before references existed get one, so every objector can be told theirs.

import secrets

from django.db import migrations
from django.utils import timezone

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fill(apps, schema_editor):
    Objection = apps.get_model("applications", "Objection")
    for objection in Objection.objects.filter(reference__isnull=True).iterator():
        token = "".join(secrets.choice(ALPHABET) for _ in range(8))
        objection.reference = f"YY{timezone.localdate(objection.created_at):%Y%m%d}-{token}"
        objection.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_objection_reference"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
