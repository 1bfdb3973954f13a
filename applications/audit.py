"""The employer's audit and recommendation, and the receiving bureau's audit (审核推荐)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from portal import clock
from portal.authority import require_scope
from portal.models import Organisation, ReviewPlan, Role
from portal.services import notify_members

from . import changes, eligibility, permissions, returns, workflow
from .entrusted import entrusted_grant
from .evidence import inspect_upload
from .exceptions import DomainError, InvalidTransition, PermissionDenied
from .forms import ENTRY_KINDS
from .models import Application, AuthorisationLetter, Entrustment, Evidence
from .services import required_materials


def return_items(application: Application) -> list[tuple[str, str]]:
    """What a return may name, as (code, label): each required material and each kind of archive entry."""
    return [(m.code, m.name) for m in required_materials(application)] + [
        (slug, str(kind.label)) for slug, kind in ENTRY_KINDS.items()
    ]


def return_reasons(application: Application, items: dict[str, str]) -> list[tuple[str, str]]:
    """A return's reasons as (label, reason) for people: the item codes are for forms and the API only."""
    labels = dict(return_items(application)) | application.material_names
    return [(labels.get(code, "其他"), text) for code, text in items.items()]


def _return_data(application: Application, *, items: dict[str, str], defects: list[dict]) -> dict:
    """What a return's event keeps: the coded defects (returns.py) and any free-text items by code."""
    data = {}
    if defects:
        data["defects"] = returns.clean_defects(application, defects)
    if items or not defects:
        data["items"] = items
    return data


def defects_data(application: Application, defects: list[dict] | None) -> dict:
    """A return's event data holding only coded defects (the bureau's and the committee's returns)."""
    return {"defects": returns.clean_defects(application, defects)} if defects else {}


def return_take(
    *, application: Application, action: str, actor, reason: str, data: dict, notify
) -> Application:
    """Any stage's return (一次性告知): the reason and a summary of the defects as the note, the defects
    in the event's data, and the application as returned kept for the diff after resubmission."""
    summary = returns.summary(returns.defects_of(application, data)) if data else ""
    return workflow.transition(
        application_id=application.pk,
        action=action,
        actor=actor,
        change=changes.keep_basis,
        note="；".join(filter(None, [reason.strip(), summary])),
        data=data,
        notify=notify,
    )


def employer_return(
    *,
    application: Application,
    actor,
    items: dict[str, str] | None = None,
    defects: list[dict] | None = None,
    note: str = "",
) -> Application:
    """Return for correction naming every defect at once (一次性告知): coded `defects` (returns.py),
    or a reason per checked item (material code or archive section) as free text."""
    items = {key: text.strip() for key, text in (items or {}).items() if text and text.strip()}
    if not items and not defects and not note.strip():
        raise DomainError("退回时请至少写明一项需要修改的内容。", field="note")
    if set(items) - set(dict(return_items(application))):
        raise DomainError("退回的项目不在本申报的材料清单和业绩档案栏目中。", field="items")
    return return_take(
        application=application,
        action="employer_return",
        actor=actor,
        reason=note,
        data=_return_data(application, items=items, defects=defects or []),
        notify=workflow.tell_applicant("您的申报{number}被单位退回修改，请查看退回意见。"),
    )


def employer_reject(*, application: Application, actor, reason: str) -> Application:
    if not reason.strip():
        raise DomainError("请填写不通过的理由。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="employer_reject",
        actor=actor,
        note=reason.strip(),
        notify=workflow.tell_applicant("您的申报{number}单位审核未通过。"),
        change=lambda a: eligibility.release_exceptional_b(a, reason="单位审核不通过"),
    )


def employer_recommend(*, application: Application, actor, note: str = "") -> Application:
    """Recommend before the plan's employer deadline (the move's guard)."""

    def take_place(locked: Application) -> None:
        # Inside the application's lock: a 破格B place is taken once, and only while places remain.
        eligibility.reserve_exceptional_b(locked, actor=actor)

    return workflow.transition(
        application_id=application.pk,
        action="employer_recommend",
        actor=actor,
        note=note or "经单位审核公示，同意推荐",
        check=take_place,
        notify=workflow.tell_applicant("您的申报{number}已由单位推荐，等待主管部门审核。"),
    )


def bulk(fn, applications, **kwargs) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Apply one action to a batch; each application succeeds or fails on its own, with the reason."""
    done, failed = [], []
    for application in applications:
        try:
            done.append(fn(application=application, **kwargs))
        except DomainError as exc:
            failed.append((application, exc.message))
    return done, failed


def bureau_return(
    *, application: Application, actor, reason: str = "", defects: list[dict] | None = None
) -> Application:
    """Back to the employer's audit, with the reason and any coded defects (一次性告知)."""
    if not reason.strip() and not defects:
        raise DomainError("请填写退回理由。", field="reason")
    return return_take(
        application=application,
        action="bureau_return",
        actor=actor,
        reason=reason,
        data=defects_data(application, defects),
        notify=_tell_employer_of_bureau_return,
    )


def _tell_employer_of_bureau_return(application: Application) -> None:
    """Back at the employer's audit: HR acts next; the applicant learns where the application is."""
    notify_members(
        organisation=application.recommending_org_id,
        role=Role.HR,
        message=f"{application.archive.name}的申报（{application.number}）被主管部门退回，请重新审核。",
        link=f"/applications/{application.pk}/",
    )
    workflow.tell_applicant("您的申报{number}被主管部门退回用人单位重新审核。")(application)


def bureau_recommend(*, application: Application, actor, note: str = "") -> Application:
    return workflow.transition(
        application_id=application.pk,
        action="bureau_recommend",
        actor=actor,
        note=note or "审核同意，推荐至评委会",
        notify=workflow.tell_applicant("您的申报{number}已推荐至评审委员会。"),
    )


def bureau_entrust(
    *,
    application: Application,
    actor,
    to_plan: ReviewPlan,
    letter_no: str,
    letter_date: dt.date,
    letter: Evidence | None = None,
) -> Application:
    """Send the application to a committee of another region with the 委托评审函 (seed 004 二(一))."""
    if not letter_no.strip():
        raise DomainError("请填写委托评审函文号。", field="letter_no")
    if to_plan.committee_id == application.plan.committee_id:
        raise DomainError("受托评委会与原评委会相同，无需委托。", field="to_plan")
    if not to_plan.qualifications.filter(pk=application.qualification_id).exists():
        raise DomainError(f"受托计划不评审“{application.qualification.name}”。", field="to_plan")
    from_plan = application.plan
    issuer_ids = set(workflow.permissions.org_ids(actor, Role.OFFICER))

    def change(locked: Application) -> None:
        # The receiving committee's scope, level aside (judged at its qualification review).
        require_scope(committee=to_plan.committee, application=locked, check_level=False)
        issuer = Organisation.objects.filter(pk__in=issuer_ids).first()
        Entrustment.objects.create(
            application=locked,
            issuer=issuer,
            from_plan=from_plan,
            to_plan=to_plan,
            letter_no=letter_no.strip(),
            letter_date=letter_date,
            letter=letter,
            created_by=actor,
        )
        locked.plan = to_plan
        locked.committee_id = to_plan.committee_id
        entrusted_grant(application=locked, committee_id=to_plan.committee_id)

    return workflow.transition(
        application_id=application.pk,
        action="bureau_entrust",
        actor=actor,
        note=f"委托{to_plan.committee.name}评审（{letter_no}）",
        change=change,
        data={"entrusted_to": to_plan.code, "letter_no": letter_no},
    )


def authorisation_upload(*, organisation: Organisation, actor, upload) -> AuthorisationLetter:

    checked = inspect_upload(upload)
    letter = AuthorisationLetter(
        organisation=organisation, uploaded_by=actor, content_type=checked.content_type
    )
    letter.file.save(checked.name, checked.content, save=False)
    letter.save()
    return letter


def authorisation_confirm(*, letter: AuthorisationLetter, actor) -> Organisation:
    """The employer's bureau confirms its 授权委托书 (seed 003 二(二)); from then on its HR may act."""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=letter.organisation_id)
        if org.parent_bureau_id is None or not permissions.holds_org(
            actor, org.parent_bureau_id, Role.OFFICER
        ):
            raise PermissionDenied("只有单位所在地的人力社保部门可以确认授权委托书。")
        locked = AuthorisationLetter.objects.select_for_update().get(pk=letter.pk)
        if locked.confirmed_at is not None:
            raise InvalidTransition("该授权委托书已确认。")
        now = clock.now()
        locked.confirmed_by = actor
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_by", "confirmed_at"])
        if org.authorisation_confirmed_at is None:
            org.authorisation_confirmed_at = now
            org.save(update_fields=["authorisation_confirmed_at"])
    return org
