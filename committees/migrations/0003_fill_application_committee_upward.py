from django.db import migrations


def fill(apps, schema_editor):
    # An application received by a higher committee is held there.
    Application = apps.get_model("applications", "Application")
    UpwardRecommendation = apps.get_model("committees", "UpwardRecommendation")
    for row in UpwardRecommendation.objects.filter(received_at__isnull=False):
        Application.objects.filter(pk=row.application_id).update(committee_id=row.to_committee_id)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_authority_meetings_draw_ballots"),
        ("applications", "0005_application_committee_required"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
