import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0020_seal_id_numbers'),
        ('portal', '0011_security_log_kinds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='application',
            name='application_recomme_91d2d7_idx',
        ),
        migrations.RemoveIndex(
            model_name='application',
            name='application_committ_aac2f4_idx',
        ),
        migrations.AddField(
            model_name='application',
            name='employer_bureau',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.organisation'),
        ),
        migrations.AddField(
            model_name='application',
            name='higher_committee',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.organisation'),
        ),
        migrations.AddField(
            model_name='application',
            name='receiving_bureau',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.organisation'),
        ),
    ]
