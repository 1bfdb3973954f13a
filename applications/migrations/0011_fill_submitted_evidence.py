"""Applications submitted before the submitted set existed: the archive's files then uploaded (no later
than the submission) and the application's own materials are what was submitted."""

from django.db import migrations
from django.db.models import Q


def fill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Evidence = apps.get_model("applications", "Evidence")
    Through = Application.submitted_evidence.through
    rows = []
    for application in Application.objects.filter(submitted_at__isnull=False).iterator():
        files = Evidence.objects.filter(archive_id=application.archive_id).filter(
            Q(application=application) | Q(application__isnull=True, uploaded_at__lte=application.submitted_at)
        )
        rows += [Through(application_id=application.pk, evidence_id=pk) for pk in files.values_list("pk", flat=True)]
    Through.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("applications", "0010_application_submitted_evidence")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
