"""The secret ballot: ballot boxes, receipts that record who voted, anonymous ballots, counted results."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application

from .experts import Expert
from .meetings import Meeting


class Choice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class BallotBox(models.Model):
    """One application's ballot at one meeting; its row is locked to serialise the votes on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="boxes")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")
        constraints = [models.UniqueConstraint(fields=["meeting", "application"], name="ballot_box_unique")]


class BallotReceipt(models.Model):
    """Proof that an expert voted once on an application: who voted, never how."""

    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="receipts")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["box_id", "expert_id"]
        verbose_name = _("投票回执")
        verbose_name_plural = _("投票回执")
        # One ballot per expert and application, even under concurrent submissions.
        constraints = [models.UniqueConstraint(fields=["box", "expert"], name="ballot_receipt_once")]


class Ballot(models.Model):
    """A secret (无记名) ballot (W4; seed 004 一(四)). Deliberately without any link to the voter and
    without a time or a sequential id that could be joined to a receipt: the key is random."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("表决意见"), max_length=10, choices=Choice.choices)

    class Meta:
        ordering = ["box_id", "id"]
        verbose_name = _("选票")
        verbose_name_plural = _("选票")


class MeetingResult(models.Model):
    """The counted result of one application, stored with its rule, attendance list and counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="meeting_results")
    panel_size = models.PositiveSmallIntegerField()
    present = models.PositiveSmallIntegerField()
    recused = models.PositiveSmallIntegerField()
    entitled = models.PositiveSmallIntegerField()
    agree = models.PositiveSmallIntegerField()
    disagree = models.PositiveSmallIntegerField()
    abstain = models.PositiveSmallIntegerField()
    not_voted = models.PositiveSmallIntegerField()
    ballots = models.PositiveSmallIntegerField()
    receipts = models.PositiveSmallIntegerField()
    required = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    rule = models.CharField(max_length=300)
    attendance = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting_id", "application_id"]
        verbose_name = _("评审结果")
        verbose_name_plural = _("评审结果")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="result_unique"),
            # The tally equals the ballots cast, and the ballots the receipts.
            models.CheckConstraint(
                condition=Q(ballots=F("agree") + F("disagree") + F("abstain")) & Q(ballots=F("receipts")),
                name="result_tally_matches_ballots",
            ),
            # D: agree × 3 ≥ entitled × 2, and nobody passes without an entitled voter.
            models.CheckConstraint(
                condition=Q(passed=False) | (Q(entitled__gt=0) & Q(agree__gte=F("required"))),
                name="result_pass_meets_threshold",
            ),
        ]
