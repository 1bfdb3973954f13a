"""The committee's personas on top of the shared `world`: the committee filed by the city bureau with
its authority, an expert pool with accounts, and helpers that bring applications and meetings to the
step a test needs."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from applications import audit, publicity
from applications.states import State
from committees import services
from committees.models import Attendance, Expert, Meeting
from portal.models import CommitteeAuthority, OrgKind, Role, TitleLevel
from tests import factories

_serial = itertools.count(300)


class CommitteeWorld:
    def __init__(self, world, clock):
        self.w = world
        self.clock = clock
        w = world
        self.committee = w.committee
        self.committee.parent_bureau = w.bureau
        self.committee.forming_body = factories.OrganisationFactory(
            name="衢州市经济和信息化局", kind="industry_authority", credit_code=None
        )
        self.committee.save()
        w.other_committee.parent_bureau = w.other_bureau
        w.other_committee.save()
        self.series, self.quals, self.specialty = factories.engineering_catalogue()
        # The shared world has already approved both committees (tests/conftest.py).
        self.authority = CommitteeAuthority.objects.get(committee=self.committee)
        self.senior_title = self.quals[TitleLevel.DEPUTY_SENIOR]
        self.experts = [self.expert(i) for i in range(16)]
        # Personas of the issue: an expert drawn for the meeting, one not drawn, one drawn elsewhere.
        self.outsider_expert_user = factories.UserFactory(username="expert_other")
        Expert.objects.create(
            user=self.outsider_expert_user,
            name="他会专家",
            committee=w.other_committee,
            specialty=self.specialty,
            title=self.senior_title,
            region=w.city,
            active_from=dt.date(2020, 1, 1),
        )

    def authorise(self, committee, bureau, **kwargs):
        return self.w.authorise(committee, bureau, **kwargs)

    def expert(self, i: int, committee=None, **kwargs) -> Expert:
        user = factories.UserFactory(username=f"expert{i}", first_name=f"专家{i}")
        params = dict(
            user=user,
            name=f"专家{i:02d}",
            committee=committee or self.committee,
            specialty=self.specialty,
            title=self.senior_title,
            region=self.w.city,
            employer_name=f"专家单位{i}",
            active_from=dt.date(2020, 1, 1),
        )
        params.update(kwargs)
        return Expert.objects.create(**params)

    # ------------------------------------------------------------ applications

    def new_applicant(self):
        n = next(_serial)
        return self.w.user(f"app{n}", Role.APPLICANT, self.w.employer), n

    def at_committee(self, n: int = 1, **kwargs) -> list:
        """Applications recommended to the committee, awaiting its qualification check."""
        apps = []
        for _ in range(n):
            user, serial = self.new_applicant()
            apps.append(self.w.submitted(user, serial=serial, **kwargs))
        self.w.through_employer_publicity(apps, self.clock)
        for a in apps:
            audit.employer_recommend(application=a, actor=self.w.hr)
            audit.bureau_recommend(application=a, actor=self.w.officer)
        for a in apps:
            a.refresh_from_db()
            assert a.state == State.QUALIFICATION_REVIEW
        return apps

    def qualified(self, n: int = 1, **kwargs) -> list:
        apps = self.at_committee(n, **kwargs)
        for a in apps:
            services.qualification_pass(application=a, actor=self.w.clerk)
        return apps

    def awaiting_meeting(self, n: int = 1, **kwargs) -> list:
        apps = self.qualified(n, **kwargs)
        notice = services.pre_review_publicise(
            committee=self.committee, applications=apps, actor=self.w.clerk, title="2026年度评前公示"
        )
        self.clock.set(notice.ends_at)
        publicity.publicity_sweep()
        for a in apps:
            a.refresh_from_db()
            assert a.state == State.AWAITING_MEETING
        return apps

    # ------------------------------------------------------------ meetings

    def meeting(self, apps=(), *, days=10, **kwargs) -> Meeting:
        params = dict(
            committee=self.committee,
            actor=self.w.clerk,
            title="2026年度工程师评审会议",
            held_on=self.clock.now().date() + dt.timedelta(days=days),
            level=TitleLevel.INTERMEDIATE,
            place="衢州市人力资源市场三楼",
        )
        params.update(kwargs)
        meeting = services.meeting_create(**params)
        if apps:
            done, failed = services.meeting_assign(
                meeting=meeting, applications=list(apps), actor=self.w.clerk
            )
            assert not failed, failed
        return meeting

    def filed(self, apps=(), **kwargs) -> Meeting:
        meeting = self.meeting(apps or self.awaiting_meeting(1), **kwargs)
        return services.meeting_file(meeting=meeting, actor=self.w.officer)

    def drawn(self, apps=(), **kwargs) -> Meeting:
        meeting = self.filed(apps, **kwargs)
        services.meeting_draw_experts(meeting=meeting, actor=self.w.clerk)
        meeting.refresh_from_db()
        return meeting

    def started(self, apps=(), **kwargs) -> Meeting:
        meeting = self.drawn(apps, **kwargs)
        self.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
        return services.meeting_start(meeting=meeting, actor=self.w.clerk)

    def panel(self, meeting) -> list[Expert]:
        return [e.expert for e in services.panel_entries(meeting)]

    def voting(self, apps=(), *, present: int | None = None, remote: int = 0, **kwargs) -> Meeting:
        meeting = self.started(apps, **kwargs)
        panel = self.panel(meeting)
        count = len(panel) if present is None else present
        modes = {
            e.pk: (Attendance.Mode.REMOTE if i < remote else Attendance.Mode.ON_SITE)
            for i, e in enumerate(panel[:count])
        }
        services.meeting_record_attendance(meeting=meeting, actor=self.w.clerk, present=modes)
        return services.meeting_open_voting(meeting=meeting, actor=self.w.clerk)

    def present_experts(self, meeting) -> list[Expert]:
        ids = Attendance.objects.filter(meeting=meeting, present=True).values_list("expert_id", flat=True)
        return list(Expert.objects.filter(pk__in=list(ids)).select_related("user").order_by("pk"))

    def results_publicised(self, n: int) -> tuple[list, Meeting]:
        """`n` applications voted through at one meeting, their results publicised without objection."""
        apps = self.awaiting_meeting(n)
        meeting = self.voting(apps)
        for expert in self.present_experts(meeting):
            for application in apps:
                services.ballot_cast(
                    meeting=meeting, application=application, user=expert.user, choice="agree"
                )
        services.meeting_close(meeting=meeting, actor=self.w.clerk)
        notice = services.results_publicise(
            committee=self.w.committee, applications=apps, actor=self.w.clerk, title="评审结果公示"
        )
        self.clock.set(notice.ends_at)
        publicity.publicity_sweep()
        return apps, meeting


@pytest.fixture
def cw(world, frozen_clock):
    return CommitteeWorld(world, frozen_clock)


def committee_org(**kwargs):
    return factories.OrganisationFactory(kind=OrgKind.COMMITTEE, credit_code=None, **kwargs)
