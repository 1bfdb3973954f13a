"""Review forms (评审表) stored before ID numbers were sealed print the full number: their files are
removed and their rows dropped, so the review-form sweep (certificates.tasks.sweep_review_forms) renders
each again from the application, with the number masked, and the dossier says "生成中" meanwhile."""

from django.db import migrations


def drop_stored_forms(apps, schema_editor):
    ReviewForm = apps.get_model("applications", "ReviewForm")
    for form in ReviewForm.objects.all().iterator():
        if form.pdf:
            form.pdf.delete(save=False)
        form.delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0024_publicity_list_index")]

    operations = [migrations.RunPython(drop_stored_forms, migrations.RunPython.noop)]
