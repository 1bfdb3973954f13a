"""Ballots are no longer stored one by one: each open box keeps its tally sealed (committees/tally.py).

The boxes of meetings still voting get their Ballot rows counted into a sealed tally; the boxes of
closed meetings keep nothing (their counts are in MeetingResult and in each application's history).
Then the Ballot table, the rows that a reader could order against the receipts, is dropped.

The encoding is written out here rather than imported, so that this migration keeps doing what it did
when the format of committees/tally.py moves on: purpose "ballot-tally/v1", three big-endian unsigned
32-bit counters (agree, disagree, abstain), bound to "box:<box>:<meeting>:<application>".
"""

import struct

from django.db import migrations, models

from portal import keyring


def seal_open_boxes(apps, schema_editor):
    BallotBox = apps.get_model("committees", "BallotBox")
    Ballot = apps.get_model("committees", "Ballot")
    for box in BallotBox.objects.select_related("meeting").order_by("pk"):
        if box.meeting.status == "closed" or box.meeting.closed_at is not None:
            box.sealed_tally = None
        else:
            choices = list(Ballot.objects.filter(box_id=box.pk).values_list("choice", flat=True))
            counts = [choices.count(c) for c in ("agree", "disagree", "abstain")]
            box.sealed_tally = keyring.seal(
                "ballot-tally/v1",
                struct.pack(">III", *counts),
                bound_to=f"box:{box.pk}:{box.meeting_id}:{box.application_id}",
            )
        box.save(update_fields=["sealed_tally"])
    Ballot.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0008_meeting_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballotbox",
            name="sealed_tally",
            field=models.BinaryField(editable=False, null=True),
        ),
        # Irreversible: the single ballots cannot be recovered from a tally, which is the point.
        migrations.RunPython(seal_open_boxes),
        migrations.DeleteModel(
            name="Ballot",
        ),
    ]
