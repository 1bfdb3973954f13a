"""Objection fingerprints stored before 0016 are unkeyed SHA-256 hashes of IP and User-Agent, which can
be reversed to the sender's address by trying every address. They are wiped; new ones are HMACs keyed
with the server's secret (applications.objection_limits.fingerprint)."""

from django.db import migrations


def wipe(apps, schema_editor):
    Objection = apps.get_model("applications", "Objection")
    Objection.objects.exclude(client_fingerprint="").update(client_fingerprint="")


class Migration(migrations.Migration):
    dependencies = [("applications", "0017_archive_identity_refusal_message")]

    operations = [migrations.RunPython(wipe, migrations.RunPython.noop)]
