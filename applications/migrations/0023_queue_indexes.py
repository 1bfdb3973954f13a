from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0022_fill_holder_columns'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['recommending_org', 'state', 'submitted_at', 'number'], name='app_queue_rec'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['workplace', 'state', 'submitted_at', 'number'], name='app_queue_wkp'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['receiving_bureau', 'state', 'submitted_at', 'number'], name='app_queue_rcv'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['employer_bureau', 'state', 'submitted_at', 'number'], name='app_queue_emp'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['committee', 'state', 'submitted_at', 'number'], name='app_queue_com'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['higher_committee', 'state', 'submitted_at', 'number'], name='app_queue_hic'),
        ),
    ]
