from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ReviewPlan = apps.get_model("portal", "ReviewPlan")
    plan_committee = ReviewPlan.objects.filter(pk=OuterRef("plan_id")).values("committee_id")[:1]
    Application.objects.filter(committee__isnull=True).update(committee_id=Subquery(plan_committee))




class Migration(migrations.Migration):
    dependencies = [("applications", "0003_application_committee")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
