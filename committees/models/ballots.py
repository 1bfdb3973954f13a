"""The secret ballot: ballot boxes holding a sealed running tally, receipts that record who voted, and
counted results. No row ever stores a single ballot (see committees/tally.py)."""

from __future__ import annotations

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
    """One application's ballot at one meeting; its row is locked to serialise the votes on it.

    `sealed_tally` holds the counts agree/disagree/abstain sealed to this box (committees/tally.py):
    zeros when voting opens, resealed by every vote, wiped (NULL) once the meeting closes and the counts
    are stored as its `MeetingResult`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="boxes")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    sealed_tally = models.BinaryField(null=True, editable=False)

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
