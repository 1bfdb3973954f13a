from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("committees", "0013_fill_draw_secret")]

    operations = [migrations.RemoveField(model_name="meeting", name="seed")]
