"""Mark the archive titles recorded by certificates issued before TitleHeld.certified existed."""

from django.db import migrations


def mark(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    TitleHeld = apps.get_model("applications", "TitleHeld")
    ids = Certificate.objects.exclude(title_held=None).values_list("title_held_id", flat=True)
    TitleHeld.objects.filter(pk__in=list(ids)).update(certified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_clock_stamps"),
        ("applications", "0013_titleheld_certified"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
