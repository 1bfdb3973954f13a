"""Applications, their numbers, their hash-chained history and their evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.fields import ClockDateTimeField
from portal.models import Organisation, Qualification, ReviewPlan, Role, Specialty, SubSpecialty
from rules.vocab import (
    DeclarationType,
)

from ..states import State
from .archive import Archive
from .storage import private_storage

# The columns a queue filters on, with the short name of its index.
QUEUE_HOLDERS = (
    ("recommending_org", "rec"),
    ("workplace", "wkp"),
    ("receiving_bureau", "rcv"),
    ("employer_bureau", "emp"),
    ("committee", "com"),
    ("higher_committee", "hic"),
)


NULLABLE_HOLDERS = ("workplace", "receiving_bureau", "employer_bureau", "higher_committee")

_HOLDER = dict(null=True, blank=True, on_delete=models.PROTECT, editable=False, db_index=False)


class Channel(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("人事代理机构（自由职业者）")
    DISPATCH = "dispatch", _("劳务派遣单位（会同用工单位）")
    SERVICE_POINT = "service_point", _("职称申报受理服务点")


class Application(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Unique through Meta.constraints: `unique=True` would add a second, pattern-matching index on
    # PostgreSQL that no query uses.
    number = models.CharField(_("申报编号"), max_length=24)
    # No single-column index on applicant, plan, recommending_org, workplace or committee: an index of
    # Meta.indexes leads with each, and every index is one more write when a move changes the state.
    # None either on the catalogue's keys (qualification, specialty, sub-specialty): no page looks
    # applications up by them alone (the rules look them up within a plan).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", db_index=False
    )
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="applications")
    plan = models.ForeignKey(
        ReviewPlan,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("评审计划"),
        db_index=False,
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, verbose_name=_("申报资格"), db_index=False
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, verbose_name=_("申报专业"), db_index=False
    )
    sub_specialty = models.ForeignKey(
        SubSpecialty,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("子专业"),
        db_index=False,
    )
    declaration_type = models.CharField(_("申报类型"), max_length=16, choices=DeclarationType.choices)
    exceptional_class = models.CharField(
        _("破格类别"), max_length=1, blank=True, choices=[("A", _("A类")), ("B", _("B类"))]
    )
    specialty_matches = models.BooleanField(_("所学专业与申报专业对口"), default=True)
    channel = models.CharField(_("申报渠道"), max_length=16, choices=Channel.choices)
    # The organisation that audits and recommends (employer, agency, dispatch company or service point).
    recommending_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommended_applications",
        verbose_name=_("推荐单位"),
        db_index=False,
    )
    # For a dispatched worker: the workplace that audits together with the dispatch company.
    workplace = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("用工单位"),
        db_index=False,
    )
    # The committee that holds the application: the plan's, then the receiving committee after an
    # upward recommendation is received or the review is entrusted. Kept by the workflow's moves.
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="held_applications",
        verbose_name=_("办理评委会"),
        db_index=False,
    )
    # Who else holds or watches the application, copied from its plan and recommending organisation by
    # every move (workflow.place) so that the queues filter on indexed columns instead of joins: the
    # plan's receiving organisation, the recommending organisation's bureau (both review it at the bureau
    # stage) and the higher committee the plan recommends to. No index of their own: the queue indexes
    # (Meta.indexes) lead with them.
    receiving_bureau = models.ForeignKey(Organisation, related_name="+", **_HOLDER)
    employer_bureau = models.ForeignKey(Organisation, related_name="+", **_HOLDER)
    higher_committee = models.ForeignKey(Organisation, related_name="+", **_HOLDER)
    work_summary = models.TextField(_("任现职以来专业技术工作总结"), blank=True)
    state = models.CharField(_("状态"), max_length=32, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField(_("提交时档案快照"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The files frozen with the snapshot: the archive's evidence and the checklist materials as they were
    # at the last (re)submission. Reviewers see and download only these (and the application's materials).
    submitted_evidence = models.ManyToManyField(
        "Evidence", related_name="submitted_in", blank=True, editable=False, verbose_name=_("提交时材料")
    )
    pledge_signed_at = models.DateTimeField(_("承诺书签署时间"), null=True, blank=True)
    pledge_ip = models.GenericIPAddressField(_("签署IP"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.stamp)
    updated_at = ClockDateTimeField(auto_now=True)
    # Head of the hash chain of this application's history; a removed last row shows as a mismatch.
    history_count = models.PositiveIntegerField(default=0, editable=False)
    history_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")
        # Granted per application with django-guardian to the experts of its meeting (committees).
        permissions = [
            ("review_dossier", _("阅读评审材料")),
            ("review_entrusted", _("办理受托评审")),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["plan", "state", "-created_at"]),
            models.Index(fields=["state", "-created_at"]),
            # The API's list, newest first over everything a user may see: walked backwards, it finds a
            # busy officer's or clerk's page among the newest rows, where the holder indexes left a sort
            # of every row they hold (0.1 s at 100,000, 1 s at 1,000,000). One more write per move.
            models.Index(fields=["created_at", "id"], name="application_newest"),
            # The queues (applications.queues): one holder column, one state, in the order they list. A
            # holder that may be empty (most applications have no workplace and no higher committee) is
            # indexed only where it is set, so a move of the others writes nothing to that index.
            *(
                models.Index(
                    fields=[holder, "state", "submitted_at", "number"],
                    name=f"app_queue_{short}",
                    condition=Q(**{f"{holder}__isnull": False}) if holder in NULLABLE_HOLDERS else None,
                )
                for holder, short in QUEUE_HOLDERS
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="application_number_unique"),
            # A person declares once per plan and qualification while an application is alive.
            models.UniqueConstraint(
                fields=["applicant", "plan", "qualification"],
                condition=~Q(state__in=[State.WITHDRAWN, State.REJECTED]),
                name="application_one_live_per_plan_qualification",
            ),
            # 破格 applications name their class (A or B); others have none.
            models.CheckConstraint(
                condition=(Q(declaration_type=DeclarationType.EXCEPTIONAL) & ~Q(exceptional_class=""))
                | (~Q(declaration_type=DeclarationType.EXCEPTIONAL) & Q(exceptional_class="")),
                name="application_exceptional_class_iff_exceptional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.archive.name}"

    @cached_property
    def applicant_name(self) -> str:
        return self.archive.name

    @cached_property
    def material_names(self) -> dict[str, str]:
        """The plan's checklist as code → name, read once per page however many files show a name."""
        return {m.code: m.name for m in self.plan.materials.all()}


class NumberSequence(models.Model):
    """The last application number given per review year and committee; locked while one is taken."""

    year = models.PositiveSmallIntegerField()
    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申报编号计数器")
        verbose_name_plural = _("申报编号计数器")
        constraints = [
            # One counter per numbering space, so two creations can never count it apart.
            models.UniqueConstraint(fields=["year", "committee"], name="numbersequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.committee_id}: {self.last}"


class ApplicationEvent(models.Model):
    """Append-only, hash-chained history of every transition of an application."""

    # Indexed by event_unique_seq, which leads with it.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=12, choices=[*Role.choices, ("system", _("系统"))])
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, choices=State.choices)
    to_state = models.CharField(max_length=32, choices=State.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # HMAC of (application, seq, hash) with a key derived from the server's secret (applications.chain).
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["application_id", "seq"]
        verbose_name = _("申报流转记录")
        verbose_name_plural = _("申报流转记录")
        constraints = [
            # The chain has one row per position; a concurrent double write fails here.
            models.UniqueConstraint(fields=["application", "seq"], name="event_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} {self.action}"


class Evidence(models.Model):
    """An uploaded file: attached to an archive entry, to an application's checklist item, or both."""

    class FileType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="evidence")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    material_code = models.SlugField(_("材料"), max_length=40, blank=True)
    entry_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    entry = GenericForeignKey("entry_type", "entry_id")
    file = models.FileField(storage=private_storage, upload_to="evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=40, choices=FileType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        indexes = [
            models.Index(fields=["entry_type", "entry_id"]),
            models.Index(fields=["application", "material_code"]),
            # The dossier flags a file that another applicant submitted too (by its content).
            models.Index(fields=["sha256"]),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def served_name(self) -> str:
        """The name a download carries: the uploader's, with the extension of the type the check
        established (a PDF uploaded as page.html downloads as page.pdf, never as a page to open)."""
        extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ".bin"
        )
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else self.original_name
        return (stem or "文件") + extension

    @property
    def material_name(self) -> str:
        """The checklist item's name as people read it (the code is only for the form); empty when none."""
        if not self.material_code or not self.application_id:
            return ""
        return self.application.material_names.get(self.material_code, "")
