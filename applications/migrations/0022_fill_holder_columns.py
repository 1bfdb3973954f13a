"""Fill the holder columns of existing applications from their plan and recommending organisation, in
three set-based UPDATEs (as applications.workflow.place sets them on every move)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ReviewPlan = apps.get_model("portal", "ReviewPlan")
    Organisation = apps.get_model("portal", "Organisation")
    plan = ReviewPlan.objects.filter(pk=OuterRef("plan_id"))
    Application.objects.update(
        receiving_bureau_id=Subquery(plan.values("receiving_org_id")[:1]),
        higher_committee_id=Subquery(plan.values("higher_committee_id")[:1]),
        employer_bureau_id=Subquery(
            Organisation.objects.filter(pk=OuterRef("recommending_org_id")).values("parent_bureau_id")[:1]
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0021_holder_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
