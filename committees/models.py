"""The committee's work: authority and scope, the expert pool, conflicts of interest, review meetings,
the replayable expert draw, secret ballots, results and their filing.

Rule sources are cited as in docs/domain.md: seed 004 (衢市人社专〔2021〕61号, the five steps), seed 000
(Shaoxing pilot units), seed 002 (13号: committee kinds, remote review), W1/W3 (人社部令第40号 as quoted)
and the "Decisions the portal takes" table (D: …).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import (
    Organisation,
    OrgKind,
    Qualification,
    Region,
    Specialty,
    TitleLevel,
)

# 3 calendar years including one leap day: the database's coarse bound; services check the exact date.
THREE_YEARS = dt.timedelta(days=3 * 365 + 1)
ONE_WEEK = dt.timedelta(days=7)


def _odd_at_least_5(field: str) -> Q:
    return Q(**{f"{field}__gte": 5}) & Q(Exact(Mod(field, 2), 1))


# ---------------------------------------------------------------- authority and scope


class PilotApplication(models.Model):
    """绍兴市民营经济领域工程技术类职称社会化评价申请表 (seed 000 附件 四.1–2): the unit applies, the
    district bureau reviews, the city bureau files and the authority is created."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待属地审核")
        DISTRICT_APPROVED = "district_approved", _("属地审核同意，待市局备案")
        DISTRICT_REJECTED = "district_rejected", _("属地审核不同意")
        FILED = "filed", _("已备案")

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pilot_applications", verbose_name=_("单位名称")
    )
    industry = models.CharField(_("所属行业"), max_length=60)
    address = models.CharField(_("单位地址"), max_length=200)
    legal_rep_name = models.CharField(_("法定代表人姓名"), max_length=60)
    legal_rep_post = models.CharField(_("法定代表人职务"), max_length=60, blank=True)
    legal_rep_phone = models.CharField(_("法定代表人联系电话"), max_length=40, blank=True)
    legal_rep_mobile = models.CharField(_("法定代表人手机号码"), max_length=20, blank=True)
    contact_name = models.CharField(_("工作联系人姓名"), max_length=60)
    contact_post = models.CharField(_("工作联系人职务"), max_length=60, blank=True)
    contact_phone = models.CharField(_("工作联系人联系电话"), max_length=40, blank=True)
    contact_mobile = models.CharField(_("工作联系人手机号码"), max_length=20)
    staff_senior = models.PositiveIntegerField(_("现有正高级人数"), default=0)
    staff_deputy_senior = models.PositiveIntegerField(_("现有副高级人数"), default=0)
    staff_intermediate = models.PositiveIntegerField(_("现有中级人数"), default=0)
    staff_junior = models.PositiveIntegerField(_("现有初级人数"), default=0)
    introduction = models.TextField(_("单位简介及建立职称与待遇挂钩机制情况"))
    specialties = models.ManyToManyField(Specialty, related_name="+", verbose_name=_("拟开展评价专业"))
    other_specialties = models.CharField(_("其他专业"), max_length=200, blank=True)
    subsidiaries = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("拟列入评价的下属单位")
    )
    district_bureau = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地人力社保部门")
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    district_opinion = models.TextField(_("区、县（市）人力社保部门审核意见"), blank=True)
    district_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district_reviewed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    authority = models.OneToOneField(
        "portal.CommitteeAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilot_application",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("社会化评价试点申请")
        verbose_name_plural = _("社会化评价试点申请")
        constraints = [
            # A unit has one application in progress at a time.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status__in=["submitted", "district_approved"]),
                name="pilot_one_open_per_unit",
            ),
            # The district's decision carries its opinion (seed 000 四.2 形成审核意见).
            models.CheckConstraint(
                condition=Q(status="submitted") | ~Q(district_opinion=""), name="pilot_review_has_opinion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 社会化评价申请"


# ---------------------------------------------------------------- expert pool


class Expert(models.Model):
    """A member of the expert pool (专家库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert"
    )
    name = models.CharField(_("姓名"), max_length=60)
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        limit_choices_to={"kind": "committee"},
        verbose_name=_("所属评委会专家库"),
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="experts", verbose_name=_("专业")
    )
    title = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="+", verbose_name=_("职称")
    )
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("工作单位"),
    )
    employer_name = models.CharField(_("工作单位名称"), max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("所在地区"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_private_sector = models.BooleanField(_("民营企业专家"), default=False)
    active_from = models.DateField(_("入库时间"))
    active_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["committee_id", "specialty_id", "name"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        indexes = [models.Index(fields=["committee", "specialty"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=models.F("active_from")),
                name="expert_active_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name


class ExpertEmployment(models.Model):
    """An expert's earlier employers: D counts the same employer within the last 3 years as a conflict."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="past_employments")
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employer_name = models.CharField(_("工作单位名称"), max_length=120, blank=True)
    ended_on = models.DateField(_("离开时间"))

    class Meta:
        ordering = ["expert_id", "-ended_on"]
        verbose_name = _("专家工作经历")
        verbose_name_plural = _("专家工作经历")


class ExpertUnavailability(models.Model):
    """Dates an expert has said they cannot serve (the draw's availability filter)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="unavailability")
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        ordering = ["expert_id", "start"]
        verbose_name = _("专家不可参会时段")
        verbose_name_plural = _("专家不可参会时段")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="unavailability_in_order")
        ]


# ---------------------------------------------------------------- conflicts of interest


class ConflictKind(models.TextChoices):
    SAME_EMPLOYER = "same_employer", _("与申报人同一工作单位")
    RECENT_EMPLOYER = "recent_employer", _("近三年曾与申报人同一工作单位")
    SHARED_ACHIEVEMENT = "shared_achievement", _("与申报人共同参与项目或成果")
    RELATIVE = "relative", _("申报人为专家近亲属")
    TEACHER_STUDENT = "teacher_student", _("师生关系")
    OTHER = "other", _("其他可能影响公正评审的关系")


DERIVED_KINDS = (
    ConflictKind.SAME_EMPLOYER,
    ConflictKind.RECENT_EMPLOYER,
    ConflictKind.SHARED_ACHIEVEMENT,
    ConflictKind.RELATIVE,
)


class ConflictDeclaration(models.Model):
    """A conflict the expert declares (40号令 回避, M): against one application, or a relative by ID
    number."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(_("回避类型"), max_length=20, choices=ConflictKind.choices)
    reason = models.TextField(_("说明"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    relative_name = models.CharField(_("亲属姓名"), max_length=60, blank=True)
    relative_id_number = models.CharField(_("亲属证件号码"), max_length=24, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["expert_id", "declared_at"]
        verbose_name = _("专家申报的回避事项")
        verbose_name_plural = _("专家申报的回避事项")
        constraints = [
            # A declaration names whom it concerns: an application, or a relative's ID number.
            models.CheckConstraint(
                condition=Q(application__isnull=False) | ~Q(relative_id_number=""),
                name="declaration_names_a_person",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="declaration_has_reason"),
        ]


class Conflict(models.Model):
    """A conflict between a pool expert and an application of a meeting, declared or derived."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("专家申报")
        DERIVED = "derived", _("系统比对")

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("回避类型"), max_length=20, choices=ConflictKind.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    detail = models.CharField(_("依据"), max_length=300)
    found_at = models.DateTimeField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.TextField(_("排除理由"), blank=True)

    class Meta:
        ordering = ["meeting_id", "expert_id", "id"]
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "expert", "application", "kind"], name="conflict_unique"
            ),
            # Only a derived conflict may be dismissed, and only with a recorded reason.
            models.CheckConstraint(
                condition=Q(dismissed_at__isnull=True) | (Q(source="derived") & ~Q(dismissed_reason="")),
                name="conflict_dismissal_derived_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "dismissed_at"])]

    @property
    def is_active(self) -> bool:
        return self.dismissed_at is None


# ---------------------------------------------------------------- meetings


class Meeting(models.Model):
    """A review meeting (评审会议) of one committee (seed 004 一(三)–(四))."""

    class Status(models.TextChoices):
        CREATED = "created", _("已创建，待备案")
        FILED = "filed", _("已备案，待抽取专家")
        DRAWN = "drawn", _("已抽取专家")
        STARTED = "started", _("会议进行中")
        VOTING = "voting", _("投票中")
        CLOSED = "closed", _("已结束")

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
                condition=_odd_at_least_5("panel_size"), name="meeting_panel_odd_at_least_5"
            ),
            # Seed 004 一(三): 经人力社保部门备案确认后方可组织召开.
            models.CheckConstraint(
                condition=Q(status="created") | Q(filed_at__isnull=False),
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


# ---------------------------------------------------------------- secret ballot


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


# ---------------------------------------------------------------- routes, upward, filing


class UpwardRecommendation(models.Model):
    """A city committee that only recommends a level passes the application up (seed 004 附件 表)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="upward")
    from_committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="upward_received")
    note = models.TextField(_("推荐意见"))
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recommended_at"]
        verbose_name = _("推荐至上级评委会")
        verbose_name_plural = _("推荐至上级评委会")


class ResultFiling(models.Model):
    """评审结果备案表 (seed 004 一(五)): printed, stamped by the forming body, approved by the bureau."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送，待核准")
        APPROVED = "approved", _("已核准公布")

    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="result_filings")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="filings"
    )
    title = models.CharField(_("标题"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("核准时间"), null=True, blank=True)
    approval_document_no = models.CharField(_("核准文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评审结果备案")
        verbose_name_plural = _("评审结果备案")
        constraints = [
            # An approval names its document (seed 004 一(五) 核准公布).
            models.CheckConstraint(
                condition=Q(status="submitted")
                | (Q(approved_at__isnull=False) & ~Q(approval_document_no="")),
                name="filing_approval_has_document",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FilingEntry(models.Model):
    filing = models.ForeignKey(ResultFiling, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="filing_entry")

    class Meta:
        ordering = ["filing_id", "id"]
        verbose_name = _("备案申报")
        verbose_name_plural = _("备案申报")
