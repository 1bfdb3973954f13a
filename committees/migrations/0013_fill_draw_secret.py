"""The plain seed leaves the meeting row (0013 drops the column).

- A meeting already drawn keeps its v1 record replayable: the seed that stood on the meeting is copied
  into its DrawRecord (DrawRecord.secret), where the replay reads it.
- A meeting filed and not yet drawn had its seed in plain text and nothing frozen: whoever read the
  database knew its panel. Its filing is set aside (back to 已创建，待备案, with a history row naming
  the reason), so the bureau files it again and the filing freezes the pool and seals a new secret.
"""

from django.db import migrations
from django.utils import timezone

NOTE = (
    "专家抽取规则升级：原备案时生成的随机种子以明文保存，可被预知，备案已作废，"
    "请人力社保部门重新备案确认（重新备案时冻结专家库并封存抽取密钥）。"
)


def forwards(apps, schema_editor):
    Meeting = apps.get_model("committees", "Meeting")
    DrawRecord = apps.get_model("committees", "DrawRecord")
    RecordEvent = apps.get_model("portal", "RecordEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for record in DrawRecord.objects.select_related("meeting").filter(secret=""):
        record.secret = record.meeting.seed
        record.save(update_fields=["secret"])
    stale = list(Meeting.objects.filter(status="filed", draw__isnull=True, draw_filing__isnull=True))
    if not stale:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="committees", model="meeting")
    now = timezone.now()
    for meeting in stale:
        Meeting.objects.filter(pk=meeting.pk).update(
            status="created", filed_at=None, filed_by=None, seed="", seed_hash="", filing_summary=""
        )
        RecordEvent.objects.create(
            content_type=content_type,
            object_id=str(meeting.pk),
            action="refile_required",
            from_status="filed",
            to_status="created",
            actor=None,
            actor_role="system",
            at=now,
            note=NOTE,
            data={},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0012_draw_filing"),
        ("portal", "0003_record_event_history"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
