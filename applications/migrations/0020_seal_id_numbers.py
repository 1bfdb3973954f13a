"""ID numbers leave the clear: each archive's number is sealed to its account with a keyed hash beside it
(portal/personal_data.py), the uniqueness of an identity moves to the keyed hash, and every frozen
snapshot (applications and their return bases) keeps the number masked, sealed to its application.
The history chain hashes no snapshot, so it verifies as before. Reversible while the secret is the same."""

from django.db import migrations, models
from django.db.models import Q

from portal.personal_data import (
    archive_binding,
    id_digest,
    id_seal,
    id_seal_text,
    id_unseal,
    id_unseal_text,
    is_masked,
    mask_id_number,
    snapshot_binding,
)

BATCH = 1000
ID_NUMBER_REFUSED = "证件号码未能保存。请核对证件类型和号码；如确认无误，请联系平台管理员核实。"


def _sealed_snapshot(snapshot, application_id):
    identity = (snapshot or {}).get("identity")
    if not identity or "id_number_sealed" in identity:
        return None
    number = identity.get("id_number") or ""
    if is_masked(number):  # never held the number in full: nothing to seal
        number = ""
    identity.update(
        id_number=mask_id_number(number),
        id_number_sealed=id_seal_text(number, bound_to=snapshot_binding(application_id)),
        id_number_digest=id_digest(number),
    )
    return snapshot


def _opened_snapshot(snapshot, application_id):
    identity = (snapshot or {}).get("identity")
    if not identity or "id_number_sealed" not in identity:
        return None
    number = id_unseal_text(identity.pop("id_number_sealed"), bound_to=snapshot_binding(application_id))
    identity.pop("id_number_digest", None)
    identity["id_number"] = number or identity.get("id_number", "")
    return snapshot


def _convert_snapshots(apps, change):
    for model_name, owner in (("Application", "pk"), ("ReturnBasis", "application_id")):
        model = apps.get_model("applications", model_name)
        batch = []
        for row in model.objects.exclude(snapshot=None).only("pk", "snapshot", owner).iterator(BATCH):
            if change(row.snapshot, getattr(row, owner)) is not None:
                batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["snapshot"])
                batch = []
        model.objects.bulk_update(batch, ["snapshot"])


def seal(apps, schema_editor):
    Archive = apps.get_model("applications", "Archive")
    batch = []
    for archive in Archive.objects.exclude(id_number="").only("pk", "user_id", "id_number").iterator(BATCH):
        archive.id_number_sealed = id_seal(archive.id_number, bound_to=archive_binding(archive.user_id))
        archive.id_number_digest = id_digest(archive.id_number)
        batch.append(archive)
        if len(batch) >= BATCH:
            Archive.objects.bulk_update(batch, ["id_number_sealed", "id_number_digest"])
            batch = []
    Archive.objects.bulk_update(batch, ["id_number_sealed", "id_number_digest"])
    _convert_snapshots(apps, _sealed_snapshot)


def unseal(apps, schema_editor):
    Archive = apps.get_model("applications", "Archive")
    batch = []
    for archive in Archive.objects.exclude(id_number_digest="").iterator(BATCH):
        archive.id_number = id_unseal(archive.id_number_sealed, bound_to=archive_binding(archive.user_id))
        batch.append(archive)
        if len(batch) >= BATCH:
            Archive.objects.bulk_update(batch, ["id_number"])
            batch = []
    Archive.objects.bulk_update(batch, ["id_number"])
    _convert_snapshots(apps, _opened_snapshot)


class Migration(migrations.Migration):
    dependencies = [("applications", "0019_entrusted_office_permission")]

    operations = [
        migrations.AddField(
            model_name="archive",
            name="id_number_sealed",
            field=models.BinaryField(blank=True, default=b"", editable=False, verbose_name="证件号码（密文）"),
        ),
        migrations.AddField(
            model_name="archive",
            name="id_number_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="证件号码索引"),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveConstraint(model_name="archive", name="archive_unique_identity"),
        migrations.RemoveField(model_name="archive", name="id_number"),
        migrations.AddConstraint(
            model_name="archive",
            constraint=models.UniqueConstraint(
                condition=~Q(id_number_digest=""),
                fields=("id_type", "id_number_digest"),
                name="archive_unique_identity",
                violation_error_message=ID_NUMBER_REFUSED,
            ),
        ),
    ]
