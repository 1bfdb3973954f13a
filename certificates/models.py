"""Electronic title certificates: the issuing body's e-licence settings, its signing keys, batches,
certificates, their status history and the log of every verification."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, TitleHeld, private_storage
from portal import clock
from portal.models import Organisation, OrgKind
from portal.validators import validate_credit_code

from .identifiers import type_code_errors

_six_digits = RegexValidator(r"^\d{6}$", _("应为6位数字。"))
_three_digits = RegexValidator(r"^\d{3}$", _("应为3位数字。"))


def _validate_type_code(value: str) -> None:
    errors = type_code_errors(value)
    if errors:
        raise ValidationError(errors[0])


class IssuerProfile(models.Model):
    """The e-licence settings of a body that issues certificates (usually a 人力社保局).

    The 职称证书 type code was not found in any source (domain.md e.3), so it is configuration."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="certificate_issuer", verbose_name=_("发证机构")
    )
    name = models.CharField(_("证书上的发证机构名称"), max_length=120)
    credit_code = models.CharField(
        _("发证机构统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    region_code = models.CharField(_("证书编号行政区划代码"), max_length=6, validators=[_six_digits])
    type_code = models.CharField(
        _("证照类型代码"),
        max_length=21,
        validators=[_validate_type_code],
        help_text=_("证照定义机构的统一社会信用代码（18位）加3位类型顺序号。"),
    )
    type_name = models.CharField(_("证照类型名称"), max_length=60, default="专业技术资格证书")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发证机构电子证照设置")
        verbose_name_plural = _("发证机构电子证照设置")

    def __str__(self) -> str:
        return self.name


class CommitteeCode(models.Model):
    """The 3-digit code of a committee in the issuer's certificate numbers."""

    issuer = models.ForeignKey(IssuerProfile, on_delete=models.CASCADE, related_name="committee_codes")
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.COMMITTEE},
        verbose_name=_("评审委员会"),
    )
    code = models.CharField(_("评委会代码"), max_length=3, validators=[_three_digits])

    class Meta:
        verbose_name = _("评委会证书编号代码")
        verbose_name_plural = _("评委会证书编号代码")
        constraints = [
            # One code per committee and issuer, and no two committees share a code.
            models.UniqueConstraint(fields=["issuer", "committee"], name="committeecode_unique_committee"),
            models.UniqueConstraint(fields=["issuer", "code"], name="committeecode_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.committee}"


class SigningKey(models.Model):
    """An Ed25519 key of an issuer (the signed fields) with its P-256 key and X.509 certificate (the PDF's
    signature). The private halves are stored encrypted (signing/keys.py)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("使用中")
        RETIRED = "retired", _("已停用")  # signs nothing new; what it signed stays valid
        REVOKED = "revoked", _("已吊销")  # what it signed is no longer valid

    kid = models.CharField(_("密钥标识"), max_length=16, unique=True)
    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="keys")
    algorithm = models.CharField(max_length=10, default="Ed25519", editable=False)
    public_key = models.CharField(_("公钥（base64url）"), max_length=64)
    private_key_encrypted = models.TextField(editable=False)
    # The PDF signature (signing/pades.py): an ECDSA P-256 key, encrypted like the Ed25519 one, and its
    # self-signed X.509 certificate naming the issuer; made with the key (older keys: at their first render).
    pdf_key_encrypted = models.TextField(blank=True, editable=False)
    certificate_pem = models.TextField(_("PDF签名证书（X.509）"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=clock.stamp)
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["issuer_id", "created_at"]
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")
        constraints = [
            # An issuer signs with one key at a time.
            models.UniqueConstraint(
                fields=["issuer"], condition=Q(status="active"), name="signingkey_one_active"
            ),
            # A revoked key says when and why.
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="signingkey_revoked_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.get_status_display()})"


class NumberCounter(models.Model):
    """The last sequence number given per (region, year, committee); locked while numbers are taken."""

    region_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    committee_code = models.CharField(max_length=3)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证书编号计数器")
        verbose_name_plural = _("证书编号计数器")
        constraints = [
            # One counter per numbering space, so two batches cannot count the same space apart.
            models.UniqueConstraint(
                fields=["region_code", "year", "committee_code"], name="numbercounter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code}{self.year}{self.committee_code}: {self.last_sequence}"


class CertificateBatch(models.Model):
    """The certificates of one approval (核准) of results, issued by a Celery task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="batches")
    committee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审委员会")
    )
    year = models.PositiveSmallIntegerField(_("评审年度"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("核准人")
    )
    approval_doc_no = models.CharField(_("批准文号"), max_length=60)
    approval_date = models.DateField(_("批准日期"))
    created_at = models.DateTimeField(default=clock.stamp)
    issued_at = models.DateTimeField(_("证书生成完成时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("PDF生成完成时间"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("执行次数"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("发证批次")
        verbose_name_plural = _("发证批次")
        indexes = [models.Index(fields=["issuer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.approval_doc_no}（{self.created_at:%Y-%m-%d}）"


class BatchItem(models.Model):
    """An application in a batch. An application enters one batch, ever."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待发证")
        ISSUED = "issued", _("已发证")
        SKIPPED = "skipped", _("未发证")

    batch = models.ForeignKey(CertificateBatch, on_delete=models.CASCADE, related_name="items")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate_batch_item"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["batch_id", "id"]
        verbose_name = _("发证批次申报")
        verbose_name_plural = _("发证批次申报")
        indexes = [models.Index(fields=["batch", "outcome"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.application_id}"


class Certificate(models.Model):
    """One electronic title certificate. `payload` holds the signed fields exactly as signed."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        REVOKED = "revoked", _("已撤销")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("证书编号"), max_length=19, unique=True)
    identifier = models.CharField(_("电子证照标识"), max_length=100, unique=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    batch = models.ForeignKey(CertificateBatch, on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="certificates")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="certificates")
    payload = models.JSONField(_("签名内容"))
    signature = models.CharField(_("签名（base64url）"), max_length=100)
    issued_at = models.DateTimeField(_("发证时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    title_held = models.ForeignKey(
        TitleHeld, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(storage=private_storage, upload_to="certificates/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "number"]
        verbose_name = _("电子证书")
        verbose_name_plural = _("电子证书")
        indexes = [
            models.Index(fields=["holder", "-issued_at"]),
            models.Index(fields=["batch", "pdf_rendered_at"]),
            models.Index(fields=["issuer", "status"]),
        ]
        constraints = [
            # A certificate that is not valid says since when.
            models.CheckConstraint(
                condition=Q(status="valid") | Q(status_changed_at__isnull=False),
                name="certificate_status_change_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def holder_name(self) -> str:
        return self.payload.get("nm", "")

    @property
    def qualification_name(self) -> str:
        return self.payload.get("q", "")

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf_sha256)


class StatusChange(models.Model):
    """Append-only history of a certificate's status (issue, suspension, reinstatement, revocation)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Certificate.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Certificate.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    decision_document = models.CharField(_("决定文号"), max_length=120, blank=True)

    class Meta:
        ordering = ["certificate_id", "at", "id"]
        verbose_name = _("证书状态变更")
        verbose_name_plural = _("证书状态变更")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.from_status}→{self.to_status}"


# What a lookup found, as the verification page and the holder's list of lookups say it.
OUTCOME_LABELS = {
    "valid": "有效",
    "suspended": "暂扣",
    "revoked": "已撤销",
    "unknown": "未查到",
    "invalid": "验证未通过",
}


class Verification(models.Model):
    """One lookup of a certificate (domain.md e.4: every lookup is logged; the holder sees them)."""

    class Channel(models.TextChoices):
        PAGE = "page", _("网页查询")
        QR = "qr", _("扫码核验")
        API = "api", _("接口查询")

    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="verifications"
    )
    number = models.CharField(max_length=40)
    channel = models.CharField(max_length=4, choices=Channel.choices)
    outcome = models.CharField(max_length=12)
    name_matched = models.BooleanField(null=True)
    client = models.CharField(max_length=16, blank=True)  # truncated keyed hash of the address
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")
        indexes = [models.Index(fields=["certificate", "-at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")
