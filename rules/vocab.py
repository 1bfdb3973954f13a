"""The vocabulary of a performance archive (业绩档案), shared by the archive models in
applications/ and the eligibility rules here. Stored values are these codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    DOCTOR = "doctor", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    SECOND_BACHELOR = "second_bachelor", _("第二学士学位")
    BACHELOR = "bachelor", _("大学本科")
    JUNIOR_COLLEGE = "junior_college", _("大学专科（高职）")
    SECONDARY = "secondary", _("中专（中职）")
    OTHER = "other", _("其他")


class TechnicalClass(models.TextChoices):
    """技工院校 classes and the education they count as (seed 000; 晋人社厅发〔2020〕38号)."""

    NONE = "", _("非技工院校")
    INTERMEDIATE_WORKER = "intermediate_worker", _("中级工班（视同中专）")
    ADVANCED_WORKER = "advanced_worker", _("高级工班（视同大专）")
    PRE_TECHNICIAN = "pre_technician", _("预备技师（技师）班（视同本科）")


TECHNICAL_CLASS_EQUIVALENT = {
    TechnicalClass.INTERMEDIATE_WORKER: EducationLevel.SECONDARY,
    TechnicalClass.ADVANCED_WORKER: EducationLevel.JUNIOR_COLLEGE,
    TechnicalClass.PRE_TECHNICIAN: EducationLevel.BACHELOR,
}


class StudyMode(models.TextChoices):
    FULL_TIME = "full_time", _("全日制")
    PART_TIME = "part_time", _("非全日制")


class DegreeOrigin(models.TextChoices):
    DOMESTIC = "domestic", _("国内")
    FOREIGN = "foreign", _("国（境）外")
    HMT = "hmt", _("港澳台")


class TitleMethod(models.TextChoices):
    REVIEW = "review", _("评审")
    RECOGNITION = "recognition", _("认定")
    EXAM = "exam", _("考试")
    INITIAL = "initial", _("初定")


class SkillLevel(models.TextChoices):
    ADVANCED_WORKER = "advanced_worker", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")


class AssessmentGrade(models.TextChoices):
    """Annual assessment grades, best first; "合格以上" means 合格 or better (a portal decision)."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好（称职）")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


GRADE_RANK = {
    AssessmentGrade.EXCELLENT: 5,
    AssessmentGrade.GOOD: 4,
    AssessmentGrade.QUALIFIED: 3,
    AssessmentGrade.BASIC: 2,
    AssessmentGrade.UNQUALIFIED: 1,
}


class AchievementKind(models.TextChoices):
    PROJECT = "project", _("项目")
    PATENT = "patent", _("专利")
    SOFTWARE_COPYRIGHT = "software_copyright", _("软件著作权")
    PAPER = "paper", _("论文")
    AWARD = "award", _("奖项")
    HONOUR = "honour", _("荣誉称号")
    STANDARD = "standard", _("标准")
    POST = "post", _("任职（技术负责人等）")
    OTHER = "other", _("其他业绩")


class PatentType(models.TextChoices):
    NONE = "", _("—")
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")


class AchievementLevel(models.TextChoices):
    NONE = "", _("—")
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省（部）级")
    MUNICIPAL = "municipal", _("市（地）级")
    COUNTY = "county", _("县（区）级")
    ENTERPRISE = "enterprise", _("企业级")


class DeclarationType(models.TextChoices):
    NORMAL = "normal", _("正常申报")
    EXCEPTIONAL = "exceptional", _("破格申报")
    SKILLS = "skills", _("技能人才申报")
    RECOGNITION = "recognition", _("直接认定")
    INITIAL = "initial", _("初定")
