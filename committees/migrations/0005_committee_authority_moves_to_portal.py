import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """History rows and permissions keep pointing at the authority records under their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="committees", model="committeeauthority").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label="portal", model="committeeauthority").first()
    if new is None:
        old.app_label = "portal"
        old.save(update_fields=["app_label"])
        return
    RecordEvent = apps.get_model("portal", "RecordEvent")
    RecordEvent.objects.filter(content_type=old).update(content_type=new)
    old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0004_clock_stamps"),
        ("portal", "0004_committee_authority"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # State only: the table stays (see portal 0004).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pilotapplication",
                    name="authority",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pilot_application",
                        to="portal.committeeauthority",
                    ),
                ),
                migrations.DeleteModel(name="CommitteeAuthority"),
            ],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
