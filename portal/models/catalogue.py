"""The title catalogue: levels, series, specialties and the qualifications (职称) they name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TitleLevel(models.IntegerChoices):
    YUAN = 1, _("员级")
    ASSISTANT = 2, _("助理级")
    INTERMEDIATE = 3, _("中级")
    DEPUTY_SENIOR = 4, _("副高级")
    SENIOR = 5, _("正高级")


class Series(models.Model):
    """A title series (职称系列), e.g. 工程."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    # 以考代评 / 考评结合 series (经济、会计 …) have no 初定 (seed 004) and no direct review.
    exam_based = models.BooleanField(_("统一考试系列"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("职称系列")
        verbose_name_plural = _("职称系列")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="specialties")
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        ordering = ["series__code", "name"]
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        constraints = [models.UniqueConstraint(fields=["series", "code"], name="specialty_unique_code")]

    def __str__(self) -> str:
        return self.name


class SubSpecialty(models.Model):
    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE, related_name="subspecialties")
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        ordering = ["specialty_id", "id"]
        verbose_name = _("子专业")
        verbose_name_plural = _("子专业")
        constraints = [models.UniqueConstraint(fields=["specialty", "name"], name="subspecialty_unique_name")]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """A qualification name per series and level, e.g. 工程 × 中级 = 工程师."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="qualifications")
    level = models.PositiveSmallIntegerField(_("层级"), choices=TitleLevel.choices)
    name = models.CharField(_("资格名称"), max_length=60)

    class Meta:
        ordering = ["series__code", "level", "name"]
        verbose_name = _("职称资格")
        verbose_name_plural = _("职称资格")
        constraints = [models.UniqueConstraint(fields=["series", "name"], name="qualification_unique_name")]

    def __str__(self) -> str:
        return self.name
