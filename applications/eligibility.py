"""The eligibility rules (rules/) as the application pages and services ask them."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import EMPLOYER_KINDS
from rules.eligibility.exceptions import ArchiveFormatError, QuotaError, RuleSetMissing
from rules.eligibility.result import NOT_MET
from rules.services.evaluation import evaluate_for
from rules.services.honours import exceptional_b_quota_release, exceptional_b_quota_reserve
from rules.services.integrity import integrity_ban_for
from rules.vocab import DeclarationType

from .archive_json import archive_to_json
from .exceptions import DomainError
from .models import Application, Archive


@dataclass(frozen=True)
class Check:
    """A rules result, or the reason there is none (no rule set for the plan, an incomplete archive)."""

    result: object | None
    message: str = ""

    @property
    def allowed_types(self) -> list[str] | None:
        return None if self.result is None else self.result.allowed_declaration_types


def _enterprise(application: Application):
    for org in (application.workplace, application.recommending_org):
        if org is not None and org.kind in EMPLOYER_KINDS:
            return org
    return None


def _evaluate(**kwargs) -> Check:
    try:
        return Check(evaluate_for(**kwargs))
    except RuleSetMissing:
        return Check(None, "本计划尚未为该资格配置自动资格审查规则，由审核单位按评审条件人工审查。")
    except ArchiveFormatError as exc:
        return Check(None, f"业绩档案信息不完整，无法自动审查：{exc.message}")


def check_archive(*, archive: Archive, plan, qualification, specialty_matches: bool = True) -> Check:
    """Self-check before declaring: every route of the plan's rules for this qualification."""
    return _evaluate(
        plan=plan,
        qualification=qualification,
        archive_json=archive_to_json(archive),
        specialty_matches=specialty_matches,
        enterprise=archive.current_employer,
    )


def check_application(application: Application, *, live: bool | None = None) -> Check:
    """The application's own route; reviewers see the archive as submitted (the snapshot)."""
    use_live = live if live is not None else application.snapshot is None
    archive_json = archive_to_json(application.archive) if use_live else application.snapshot
    return _evaluate(
        plan=application.plan,
        qualification=application.qualification,
        archive_json=archive_json,
        declaration_type=application.declaration_type,
        exceptional_class=application.exceptional_class,
        specialty_matches=application.specialty_matches,
        enterprise=_enterprise(application),
        application_id=application.pk,
    )


def require_route(application: Application, archive_json: dict) -> None:
    """At submission: a route the person does not meet is refused with the reasons (seed-based rules)."""
    check = _evaluate(
        plan=application.plan,
        qualification=application.qualification,
        archive_json=archive_json,
        declaration_type=application.declaration_type,
        exceptional_class=application.exceptional_class,
        specialty_matches=application.specialty_matches,
        enterprise=_enterprise(application),
        application_id=application.pk,
    )
    result = check.result
    if result is None or result.status != NOT_MET:
        return
    label = DeclarationType(application.declaration_type).label
    reasons = "；".join(f"{c.text}（{c.figures}）" if c.figures else c.text for c in result.unmet())
    hint = ""
    allowed = [DeclarationType(t).label for t in result.allowed_declaration_types]
    if allowed:
        hint = f"您可以改按{'、'.join(allowed)}申报。"
    elif application.declaration_type != DeclarationType.EXCEPTIONAL:
        hint = "如符合破格条件，请选择“破格申报”并上传破格推荐审批表。"
    raise DomainError(
        f"按“{label}”不符合申报条件：{reasons}。{hint}", field="declaration_type", code="not_eligible"
    )


def require_no_ban(*, archive: Archive, plan, qualification) -> None:
    """Seed 003 四: false materials bar a higher-level declaration for 3 years from the year after review."""
    if not archive.id_number:
        return
    ban = integrity_ban_for(
        id_type=archive.id_type, id_number=archive.id_number, year=plan.year, level=qualification.level
    )
    if ban is not None:
        raise DomainError(
            f"您在{ban.review_year}年度评审中经查实{ban.get_kind_display()}，"
            f"{ban.ban_first_year}至{ban.ban_last_year}年度不得申报该层级及以上专业技术资格。",
            field="plan",
            code="integrity_ban",
        )


def reserve_exceptional_b(application: Application, *, actor) -> None:
    """A 破格B recommendation takes one of the enterprise's places (seed 003 附件1 二(二)2 B类)."""
    if application.declaration_type != DeclarationType.EXCEPTIONAL or application.exceptional_class != "B":
        return

    enterprise = _enterprise(application)
    if enterprise is None:
        raise DomainError("破格B类须由获得荣誉项目的企业推荐。", code="quota")
    try:
        exceptional_b_quota_reserve(
            plan=application.plan, enterprise=enterprise, application_id=application.pk, actor=actor
        )
    except QuotaError as exc:
        raise DomainError(str(exc), code="quota") from exc


def release_exceptional_b(application: Application, *, reason: str) -> None:
    if application.declaration_type == DeclarationType.EXCEPTIONAL and application.exceptional_class == "B":
        exceptional_b_quota_release(plan=application.plan, application_id=application.pk, reason=reason)
