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

PURPOSE = "ballot-tally/v1"
CHOICES = ("agree", "disagree", "abstain")


def _bound(box) -> str:
    return f"box:{box.pk}:{box.meeting_id}:{box.application_id}"


def seal_open_boxes(apps, schema_editor):
    BallotBox = apps.get_model("committees", "BallotBox")
    Ballot = apps.get_model("committees", "Ballot")
    for box in BallotBox.objects.select_related("meeting").order_by("pk"):
        if box.meeting.status == "closed" or box.meeting.closed_at is not None:
            box.sealed_tally = None
        else:
            choices = list(Ballot.objects.filter(box_id=box.pk).values_list("choice", flat=True))
            counts = [choices.count(c) for c in CHOICES]
            box.sealed_tally = keyring.seal(PURPOSE, struct.pack(">III", *counts), bound_to=_bound(box))
        box.save(update_fields=["sealed_tally"])
    Ballot.objects.all().delete()


def unseal_open_boxes(apps, schema_editor):
    """Back to one row per ballot, for the boxes still open (a closed meeting's ballots are gone; its
    counts stay in MeetingResult). The rows are written box by box, choice by choice: their order says
    nothing about the order of the votes."""
    BallotBox = apps.get_model("committees", "BallotBox")
    Ballot = apps.get_model("committees", "Ballot")
    for box in BallotBox.objects.exclude(sealed_tally=None).order_by("pk"):
        plain = keyring.unseal(PURPOSE, bytes(box.sealed_tally), bound_to=_bound(box))
        for choice, n in zip(CHOICES, struct.unpack(">III", plain), strict=True):
            Ballot.objects.bulk_create([Ballot(box_id=box.pk, choice=choice) for _ in range(n)])


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0009_invitation_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballotbox",
            name="sealed_tally",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.RunPython(seal_open_boxes, unseal_open_boxes),
        migrations.DeleteModel(
            name="Ballot",
        ),
    ]
