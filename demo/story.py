"""The demo's year in progress: applications in every state of every route, taken there through the
services at the moments the steps happened, a review meeting for today and a publicity that ends by itself
soon after loading. Loaded once: a second run finds the applications and adds nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from applications import audit, publicity
from applications import services as application_services
from applications.models import Application, Channel, PublicityNotice, PublicityStage
from certificates.services.batches import certificates_issue_for_filing
from certificates.services.issuance import certificate_batch_run
from committees import services as committee_services
from committees.models import Meeting
from portal.models import ReviewPlan, Role

from . import story_meetings
from .state import DemoState
from .story_meetings import member
from .story_people import ROUTE_STATES, StoryApplicant, channel_of, load_honours, load_story_applicants
from .tables import PLAN_YEAR, SHANGHAI
from .timeline import historical_clock, short_publicity_posting

# The story starts this many days before the load: enough for the employer publicity, the pre-review
# publicity, a meeting a week after its creation and the result publicity, holidays included.
STORY_DAYS = 45
STEP_HOUR = 10
LATE_HOUR = 18
SHORT_TITLE = f"{PLAN_YEAR}年度职称申报单位公示（第二批）"


# A one-page PDF standing in for every uploaded material (a valid one: uploads are checked by parsing).
def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


EVIDENCE_PDF = _one_page_pdf()


@dataclass(frozen=True)
class StorySummary:
    """What load_demo prints about the story: when the short publicity ends, and today's meetings."""

    short_publicity_ends: dt.datetime | None
    live_meetings: list[Meeting]
    applicants: list[StoryApplicant]


def load_story(state: DemoState) -> StorySummary:
    people = load_story_applicants(state)
    load_honours(state)
    if not Application.objects.filter(applicant__in=[p.user for p in people]).exists():
        _run(state, people)
    short = (
        PublicityNotice.objects.filter(title=SHORT_TITLE, status=PublicityNotice.Status.OPEN)
        .order_by("ends_at")
        .first()
    )
    live = list(Meeting.objects.filter(title__startswith=_live_title_prefix(), closed_at__isnull=True))
    return StorySummary(short.ends_at if short else None, live, people)


def _live_title_prefix() -> str:
    return story_meetings.LIVE_TITLE.format(year=PLAN_YEAR)


def _at(day: dt.date, hour: int = STEP_HOUR) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), SHANGHAI)


def _after(notices: list[PublicityNotice]) -> dt.datetime:
    """09:00 on the morning after the last of the notices ended (they end at 24:00 of their last day)."""
    return max(n.ends_at for n in notices).astimezone(SHANGHAI).replace(hour=9)


class _Cast:
    """Who takes each step: the demo's own staff, found by their membership."""

    @staticmethod
    def hr(a: Application):
        return member(a.recommending_org, Role.HR)

    @staticmethod
    def bureau(a: Application):
        return member(a.plan.receiving_org, Role.OFFICER) or member(
            a.recommending_org.parent_bureau, Role.OFFICER
        )

    @staticmethod
    def clerk(a: Application):
        return member(a.committee, Role.CLERK)

    @staticmethod
    def filing(a: Application):
        return member(a.committee.parent_bureau, Role.OFFICER)


class _Run:
    """One pass of the story over its applicants; `past(p, state)` says whether p's application goes
    further than `state` along its route."""

    def __init__(self, state: DemoState, people: list[StoryApplicant]):
        self.demo = state
        self.people = people
        self.apps: dict[str, Application] = {}

    def past(self, p: StoryApplicant, state: str) -> bool:
        states = ROUTE_STATES[p.route["key"]]
        return state in states and states.index(p.state) > states.index(state) and p.state not in _SIDE

    def fresh(self, p: StoryApplicant) -> Application:
        application = Application.objects.select_related(
            "plan", "committee__parent_bureau", "recommending_org__parent_bureau", "plan__receiving_org"
        ).get(pk=self.apps[p.username].pk)
        self.apps[p.username] = application
        return application

    def where(self, test) -> list[StoryApplicant]:
        return [p for p in self.people if test(p)]

    def by(self, people: list[StoryApplicant], key) -> dict:
        groups = defaultdict(list)
        for p in people:
            application = self.fresh(p)
            groups[key(application)].append(application)
        return groups


_SIDE = ("returned", "rejected", "withdrawn")


def _run(state: DemoState, people: list[StoryApplicant]) -> None:
    run = _Run(state, people)
    plans = ReviewPlan.objects.filter(code__in={p.route["plan"] for p in people})
    start = max(_at(state.today - dt.timedelta(days=STORY_DAYS)), max(p.opens_at for p in plans))
    with historical_clock(start) as clock:
        _declare(run)
        live = _live_meetings(run)
        # Employer audit and the first employer publicity.
        employer_notices = _publicise_employer(run, run.where(lambda p: run.past(p, "employer_publicity")))
        clock.set(_after(employer_notices))
        publicity.publicity_sweep()
        _to_committee(run)
        pre_review = _pre_review(run, run.where(lambda p: run.past(p, "pre_review_publicity")))
        meetings = _past_meetings(run, clock.at.date(), pre_review)
        clock.set(_at(meetings["held_on"], 9) if meetings["held_on"] else _after(pre_review))
        publicity.publicity_sweep()
        _meet(run, live, meetings["by_committee"])
        results = _results(run, run.where(lambda p: run.past(p, "result_publicity")))
        clock.set(_after(results))
        publicity.publicity_sweep()
        _approve(run)
        if clock.at >= state.now:
            raise RuntimeError("演示数据：历史步骤超出了当前演示时间，请用 --now 选择更晚的起始时刻。")
        # The employer publicity that ends soon after loading, then the publicities that run now.
        clock.set(min(_at(short_publicity_posting(state.today)), state.now))
        _publicise_employer(run, run.where(lambda p: p.state == "employer_publicity"), title=SHORT_TITLE)
        clock.set(state.now)
        _pre_review(run, run.where(lambda p: p.state == "pre_review_publicity"))
        _results(run, run.where(lambda p: p.state == "result_publicity"))


def _declare(run: _Run) -> None:
    for p in run.people:
        route = p.route
        plan = ReviewPlan.objects.get(code=route["plan"])
        specialty = plan.specialties.get(name=route["specialty"])
        application = application_services.application_create(
            applicant=p.user,
            plan=plan,
            qualification=plan.qualifications.filter(name=route["qualification"]).first()
            or plan.recommend_qualifications.get(name=route["qualification"]),
            specialty=specialty,
            sub_specialty=specialty.subspecialties.get(name=route["sub_specialty"])
            if route["sub_specialty"]
            else None,
            declaration_type=route["declaration_type"],
            exceptional_class=route["exceptional_class"],
            channel=channel_of(p.org),
            recommending_org=p.org,
            # A dispatched worker declares through the dispatch company together with the workplace.
            workplace=run.demo.orgs[route["workplace"]] if channel_of(p.org) == Channel.DISPATCH else None,
        )
        run.apps[p.username] = application
        for material in application_services.required_materials(application):
            if material.required:
                application_services.evidence_upload(
                    archive=application.archive,
                    application=application,
                    material_code=material.code,
                    upload=SimpleUploadedFile(f"{material.code}.pdf", EVIDENCE_PDF, "application/pdf"),
                    actor=p.user,
                )
        application_services.application_update(
            application=application,
            actor=p.user,
            work_summary="任现职以来主持和参与本单位主要技术项目，负责方案设计、工艺改进和技术攻关，详见业绩材料。",
        )
        application_services.application_sign_pledge(application=application, actor=p.user, ip="127.0.0.1")
        if p.state == "draft":
            continue
        application = application_services.application_submit(application=application, actor=p.user)
        if p.state == "withdrawn":
            application_services.application_withdraw(
                application=application, actor=p.user, reason="今年暂不申报"
            )
        elif p.state == "returned":
            audit.employer_return(
                application=application,
                actor=_hr(run, p),
                items={"degree": "学历证书扫描件不清晰，请重新上传"},
                note="请补正后重新提交",
            )
        elif p.state == "rejected":
            audit.employer_reject(
                application=application, actor=_hr(run, p), reason="经单位核实，业绩材料与实际不符"
            )


def _hr(run: _Run, p: StoryApplicant):
    return member(p.org, Role.HR)


def _publicise_employer(run: _Run, people, *, title: str | None = None) -> list[PublicityNotice]:
    notices = []
    for org, applications in run.by(people, lambda a: a.recommending_org).items():
        notices.append(
            publicity.publicity_start(
                stage=PublicityStage.EMPLOYER,
                applications=applications,
                actor=member(org, Role.HR),
                publisher=org,
                title=title or f"{PLAN_YEAR}年度职称申报单位公示",
                contact=org.contact_phone,
            )
        )
    return notices


def _to_committee(run: _Run) -> None:
    """Recommended by the employer and the bureau, checked by the committee (and, for a senior title,
    received by the higher committee), or determined (初定) by the filing bureau."""
    for p in run.where(lambda p: run.past(p, "employer_publicity_done")):
        audit.employer_recommend(application=run.fresh(p), actor=_hr(run, p))
        if not run.past(p, "bureau_review"):
            continue
        application = run.fresh(p)
        audit.bureau_recommend(application=application, actor=_Cast.bureau(application))
        if not run.past(p, "qualification_review"):
            continue
        application = run.fresh(p)
        committee_services.qualification_pass(application=application, actor=_Cast.clerk(application))
        if run.past(p, "recommended_upward"):
            application = run.fresh(p)
            higher = application.plan.higher_committee
            committee_services.upward_receive(application=application, actor=member(higher, Role.CLERK))
            application = run.fresh(p)
            committee_services.qualification_pass(application=application, actor=_Cast.clerk(application))
        if p.route["declaration_type"] == "initial" and run.past(p, "qualified"):
            application = run.fresh(p)
            committee_services.application_initial_determine(
                application=application,
                actor=_Cast.filing(application),
                reason="学历和专业工作年限符合初定条件",
            )


def _pre_review(run: _Run, people) -> list[PublicityNotice]:
    notices = []
    for committee, applications in run.by(people, lambda a: a.committee).items():
        notices.append(
            committee_services.pre_review_publicise(
                committee=committee,
                applications=applications,
                actor=member(committee, Role.CLERK),
                title=f"{PLAN_YEAR}年度{committee.name}评前公示",
            )
        )
    return notices


def _live_meetings(run: _Run) -> dict[int, Meeting]:
    """Today's meetings, created now (at least a week ahead), one per committee with an application
    that the story leaves on a meeting's list."""
    meetings = {}
    for p in run.where(lambda p: p.state == "in_meeting"):
        committee = ReviewPlan.objects.get(code=p.route["plan"]).committee
        if p.route["key"] == "upward":
            committee = ReviewPlan.objects.get(code=p.route["plan"]).higher_committee
        if committee.pk not in meetings:
            level = 4 if p.route["key"] == "upward" else 3
            meetings[committee.pk] = story_meetings.meeting_put(
                committee=committee, title=_live_title_prefix(), held_on=_live_day(run.demo), level=level
            )
    return meetings


def _live_day(state: DemoState) -> dt.date:
    """Today, so that it is filed, drawn, held and voted on the demo's first day; tomorrow for a demo
    started in the evening (a meeting cannot be filed once its day has passed)."""
    if state.now.astimezone(SHANGHAI).hour >= LATE_HOUR:
        return state.today + dt.timedelta(days=1)
    return state.today


def _past_meetings(run: _Run, today: dt.date, pre_review: list[PublicityNotice]) -> dict:
    """The meetings held after the pre-review publicity, created a week ahead (seed 004 一(三))."""
    voted = run.where(lambda p: run.past(p, "in_meeting") and p.route["key"] not in ("recog", "initial"))
    if not voted:
        return {"held_on": None, "by_committee": {}}
    ends = max(n.ends_at for n in pre_review).astimezone(SHANGHAI).date()
    held_on = max(ends, today + dt.timedelta(days=7))
    by_committee = {}
    for committee, applications in run.by(voted, lambda a: a.committee).items():
        level = max(a.qualification.level for a in applications)
        meeting = story_meetings.meeting_put(
            committee=committee,
            title=story_meetings.PAST_TITLE.format(year=PLAN_YEAR),
            held_on=held_on,
            level=level,
        )
        by_committee[committee.pk] = meeting
    return {"held_on": held_on, "by_committee": by_committee}


def _meet(run: _Run, live: dict[int, Meeting], past: dict[int, Meeting]) -> None:
    for p in run.where(lambda p: p.route["key"] == "recog" and run.past(p, "awaiting_meeting")):
        application = run.fresh(p)
        committee_services.application_recognise(
            application=application,
            actor=_Cast.clerk(application),
            reason="符合直接认定条件（评前公示无异议）",
        )
    for committee_id, applications in run.by(
        run.where(lambda p: p.state == "in_meeting"), lambda a: a.committee_id
    ).items():
        story_meetings.assign(live[committee_id], applications)
    voted = run.where(lambda p: run.past(p, "in_meeting") and p.route["key"] not in ("recog", "initial"))
    fail = {run.apps[p.username].pk for p in voted if p.state == "not_passed"}
    for committee_id, applications in run.by(voted, lambda a: a.committee_id).items():
        story_meetings.assign(past[committee_id], applications)
        story_meetings.hold(past[committee_id], fail=fail)


def _results(run: _Run, people) -> list[PublicityNotice]:
    notices = []
    for committee, applications in run.by(people, lambda a: a.committee).items():
        notices.append(
            committee_services.results_publicise(
                committee=committee,
                applications=applications,
                actor=member(committee, Role.CLERK),
                title=f"{PLAN_YEAR}年度{committee.name}评审结果公示",
            )
        )
    return notices


def _approve(run: _Run) -> None:
    """Filed and approved by the filing bureau; the certified ones' certificates issued here, the
    approved ones' left to the worker that the approval queues (so they turn certified once it runs)."""
    for target in ("certified", "approved"):
        people = run.where(lambda p, target=target: p.state == target)
        for committee, applications in run.by(people, lambda a: a.committee).items():
            filing = committee_services.filing_create(
                committee=committee,
                applications=applications,
                actor=member(committee, Role.CLERK),
                title=f"{PLAN_YEAR}年度{committee.name}评审结果备案表",
            )
            bureau = committee.parent_bureau
            filing = committee_services.filing_approve(
                filing=filing,
                actor=member(bureau, Role.OFFICER),
                document_no=f"{bureau.short_name or bureau.name}职〔{PLAN_YEAR}〕{filing.pk}号",
            )
            if target == "certified":
                batch = certificates_issue_for_filing(filing=filing)
                certificate_batch_run(batch_id=batch.pk)


def short_publicity_local_end(summary: StorySummary) -> str:
    if summary.short_publicity_ends is None:
        return ""
    end = summary.short_publicity_ends.astimezone(SHANGHAI) - dt.timedelta(minutes=1)
    return f"{end:%Y-%m-%d} 24:00"
