import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_fill_application_committee"), ("portal", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="committee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="held_applications",
                to="portal.organisation",
                verbose_name="办理评委会",
            ),
        ),
    ]
