from django.db import migrations


def grant_existing(apps, schema_editor):
    """Applications already entrusted keep their committee office's access: its group gets the grant."""
    Entrustment = apps.get_model("applications", "Entrustment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    latest = {}
    for application_id, committee_id, current in Entrustment.objects.order_by("created_at").values_list(
        "application_id", "to_plan__committee_id", "application__committee_id"
    ):
        latest[application_id] = (committee_id, current)
    grants = {pk: committee for pk, (committee, current) in latest.items() if committee == current}
    if not grants:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="applications", model="application")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="review_entrusted", defaults={"name": "办理受托评审"}
    )
    for application_id, committee_id in grants.items():
        group, _ = Group.objects.get_or_create(name=f"评委会办公室#{committee_id}")
        GroupObjectPermission.objects.get_or_create(
            group=group, permission=permission, content_type=content_type, object_pk=str(application_id)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0018_wipe_unkeyed_objection_fingerprints"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="application",
            options={
                "ordering": ["-created_at"],
                "permissions": [("review_dossier", "阅读评审材料"), ("review_entrusted", "办理受托评审")],
                "verbose_name": "职称申报",
                "verbose_name_plural": "职称申报",
            },
        ),
        migrations.RunPython(grant_existing, migrations.RunPython.noop),
    ]
