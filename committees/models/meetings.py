"""Review meetings (评审会议): the meeting, its list, the replayable draw, attendance and recusals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import Organisation, OrgKind, TitleLevel, odd_at_least_5

from .conflicts import Conflict
from .experts import Expert

ONE_WEEK = dt.timedelta(days=7)


class Meeting(models.Model):
    """A review meeting (评审会议) of one committee (seed 004 一(三)–(四))."""

    class Status(models.TextChoices):
        CREATED = "created", _("已创建，待备案")
        FILED = "filed", _("已备案，待抽取专家")
        DRAWN = "drawn", _("已抽取专家")
        STARTED = "started", _("会议进行中")
        VOTING = "voting", _("投票中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("现场评审")
        REMOTE = "remote", _("远程评审")
        MIXED = "mixed", _("现场与远程结合")

    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind": OrgKind.COMMITTEE},
        verbose_name=_("评审委员会"),
    )
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    mode = models.CharField(_("评审方式"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    level = models.PositiveSmallIntegerField(_("评审最高层级"), choices=TitleLevel.choices)
    panel_size = models.PositiveSmallIntegerField(_("执行委员会人数"))
    reserve_count = models.PositiveSmallIntegerField(_("备选专家人数"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CREATED, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(_("创建日期"))
    created_at = models.DateTimeField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("备案确认时间"), null=True, blank=True)
    filing_summary = models.TextField(_("资格审查及评前公示情况"), blank=True)
    # D (draw seed): generated at filing, its SHA-256 published, the seed itself revealed at the start.
    seed_hash = models.CharField(_("随机种子SHA-256"), max_length=64, blank=True)
    seed = models.CharField(max_length=64, blank=True, editable=False)
    seed_revealed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(_("会议说明"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("评审会议")
        verbose_name_plural = _("评审会议")
        indexes = [models.Index(fields=["committee", "-held_on"])]
        constraints = [
            # Seed 004 一(三): created at least one week (D: 7 calendar days) before the meeting.
            models.CheckConstraint(
                condition=Q(held_on__gte=F("created_on") + ONE_WEEK), name="meeting_created_a_week_ahead"
            ),
            # D: the drawn panel is odd and never below 5.
            models.CheckConstraint(
                condition=odd_at_least_5("panel_size"), name="meeting_panel_odd_at_least_5"
            ),
            # Seed 004 一(三): 经人力社保部门备案确认后方可组织召开.
            models.CheckConstraint(
                condition=Q(status__in=["created", "cancelled"]) | Q(filed_at__isnull=False),
                name="meeting_filed_before_anything_else",
            ),
            models.CheckConstraint(
                condition=Q(filed_at__isnull=True) | ~Q(seed_hash=""), name="meeting_filing_commits_seed"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def draw_revealed(self) -> bool:
        """Draw results are confidential until the meeting starts."""
        return self.started_at is not None


class MeetingApplication(models.Model):
    """An application on a meeting's list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="meeting_items")
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("评审会议申报")
        verbose_name_plural = _("评审会议申报")
        constraints = [
            # An application is on one meeting's live list at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(removed_at__isnull=True),
                name="meeting_item_one_live_per_application",
            ),
        ]


class DrawRecord(models.Model):
    """Everything needed to replay a draw (D: draw seed): frozen pool, filters, exclusions, version."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="draw")
    algorithm_version = models.CharField(max_length=40)
    seed_hash = models.CharField(max_length=64)
    filters = models.JSONField()
    pool = models.JSONField()  # ordered list of expert snapshots at draw time
    exclusions = models.JSONField()  # [{"id": expert id, "reason": "…"}], in pool order
    record_digest = models.CharField(max_length=64)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")


class DrawEntry(models.Model):
    """One drawn expert, in drawn order; the row is also the expert's grant to the meeting."""

    class DrawnAs(models.TextChoices):
        PANEL = "panel", _("执行委员")
        RESERVE = "reserve", _("备选专家")

    draw = models.ForeignKey(DrawRecord, on_delete=models.PROTECT, related_name="entries")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="draw_entries")
    position = models.PositiveSmallIntegerField(_("抽取顺序"))
    drawn_as = models.CharField(_("抽取身份"), max_length=8, choices=DrawnAs.choices)
    on_panel = models.BooleanField(_("现为执行委员"))
    # The drawn expert confirmed attendance (确认参会): the dossiers of the meeting open to them from then.
    accepted_at = models.DateTimeField(_("确认参会时间"), null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("不能参会理由"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw_id", "position"]
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="draw_entry_unique_expert"),
            models.UniqueConstraint(fields=["draw", "position"], name="draw_entry_unique_position"),
            # A decline carries its reason, and a decliner is off the panel.
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True) | (~Q(decline_reason="") & Q(on_panel=False)),
                name="draw_entry_decline_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["expert", "on_panel"])]


class Attendance(models.Model):
    """Who of the panel is present (on site or remote, seed 002 远程评审) once the meeting starts."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("现场")
        REMOTE = "remote", _("远程")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出席"))
    mode = models.CharField(_("方式"), max_length=8, choices=Mode.choices, default=Mode.ON_SITE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting_id", "expert_id"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"], name="attendance_unique")]


class Recusal(models.Model):
    """An expert who neither votes on nor counts for one application (D: recusal)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recusals")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("回避理由"), max_length=300)
    conflict = models.ForeignKey(Conflict, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting_id", "application_id", "expert_id"]
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "expert", "application"], name="recusal_unique"),
        ]
