from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    EMPLOYER_AUDIT = "employer_audit", _("已提交，待单位审核")
    RETURNED = "returned", _("退回修改")
    EMPLOYER_PUBLICITY = "employer_publicity", _("单位公示中")
    EMPLOYER_PUBLICITY_DONE = "employer_publicity_done", _("单位公示结束，待单位推荐")
    BUREAU_REVIEW = "bureau_review", _("单位已推荐，待主管部门审核")
    QUALIFICATION_REVIEW = "qualification_review", _("已推荐至评委会，待资格审查")
    QUALIFIED = "qualified", _("资格审查通过")
    RECOMMENDED_UPWARD = "recommended_upward", _("已推荐至上级评委会")
    PRE_REVIEW_PUBLICITY = "pre_review_publicity", _("评前公示中")
    AWAITING_MEETING = "awaiting_meeting", _("评前公示结束，待安排评审")
    IN_MEETING = "in_meeting", _("已安排评审会议")
    PASSED = "passed", _("评审（认定）通过")
    NOT_PASSED = "not_passed", _("评审未通过")
    RESULT_PUBLICITY = "result_publicity", _("结果公示中")
    RESULT_PUBLICITY_DONE = "result_publicity_done", _("结果公示结束，待核准")
    APPROVED = "approved", _("已核准备案")
    CERTIFIED = "certified", _("已发证")
    REJECTED = "rejected", _("不予通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    REVOKED = "revoked", _("已撤销")


TERMINAL_STATES = frozenset({State.NOT_PASSED, State.REJECTED, State.WITHDRAWN, State.REVOKED})
# States in which the applicant may still edit the application and its materials.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
