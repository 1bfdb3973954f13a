"""generate_volume's applications: each one's row, its history as a valid hash chain (digests through
applications.chain, as the workflow computes them), and its places on notices, meetings, filings and
certificates along its path."""

from __future__ import annotations

import datetime as dt
import uuid

from applications import chain
from applications.archive_json import sealed_identity
from applications.models import Application, ApplicationEvent, Archive, NumberSequence, PublicityStage
from applications.publicity import public_fields
from applications.states import State
from portal.models import Organisation

from .volume_certs import Certificates
from .volume_context import Context
from .volume_copy import Copier
from .volume_groups import Meetings, Notices, Schedule, local
from .volume_paths import ROUTES, Move

_SEALED = "seal" in {f.name for f in ApplicationEvent._meta.fields} and hasattr(chain, "row_seal")
EVENT_COLUMNS = ["application_id", "seq", "actor_id", "actor_role", "at", "action", "from_state", "to_state"]
EVENT_COLUMNS += ["note", "data", "prev_hash", "hash", *(["seal"] if _SEALED else [])]
APPLICATION_COLUMNS = [
    "id", "number", "applicant_id", "archive_id", "plan_id", "qualification_id", "specialty_id",
    "sub_specialty_id", "declaration_type", "exceptional_class", "specialty_matches", "channel",
    "recommending_org_id", "workplace_id", "committee_id", "work_summary", "state", "snapshot",
    "submitted_at", "pledge_signed_at", "pledge_ip", "created_at", "updated_at", "history_count",
    "history_head", "receiving_bureau_id", "employer_bureau_id", "higher_committee_id",
]  # fmt: skip
SUMMARY = "任现职以来主持和参与本单位主要技术项目，负责方案设计、工艺改进和技术攻关，详见业绩材料。"
RECENT = {State.DRAFT, State.EMPLOYER_AUDIT, State.RETURNED, State.REJECTED, State.WITHDRAWN}
OPEN_STAGE = {
    State.EMPLOYER_PUBLICITY: PublicityStage.EMPLOYER,
    State.PRE_REVIEW_PUBLICITY: PublicityStage.PRE_REVIEW,
    State.RESULT_PUBLICITY: PublicityStage.RESULT,
}
START_STAGE = {
    "employer_publicise": PublicityStage.EMPLOYER,
    "pre_review_publicise": PublicityStage.PRE_REVIEW,
    "result_publicise": PublicityStage.RESULT,
}


class Applications:
    def __init__(
        self, context: Context, schedule: Schedule, notices: Notices, meetings: Meetings, filings, certs
    ):
        self.context, self.schedule = context, schedule
        self.notices, self.meetings, self.filings = notices, meetings, filings
        self.certs: Certificates = certs
        self.rows = Copier("applications_application", APPLICATION_COLUMNS)
        self.events = Copier("applications_applicationevent", EVENT_COLUMNS)
        self.upward = Copier(
            "committees_upwardrecommendation",
            ["application_id", "from_committee_id", "to_committee_id", "note", "recommended_by_id"]
            + ["recommended_at", "received_by_id", "received_at"],
        )
        self.returns = Copier(
            "applications_returnbasis", ["application_id", "seq", "snapshot", "work_summary", "materials"]
        )
        context.tables |= {"applications_application", "applications_applicationevent"}
        context.tables.add("committees_upwardrecommendation")
        context.tables.add("applications_returnbasis")
        self.numbers: dict[tuple, int] = {}
        self.seal_key = chain.row_key() if _SEALED else None

    def _number(self, plan) -> str:
        key = (plan.year, plan.committee_id)
        if key not in self.numbers:
            sequence, _ = NumberSequence.objects.get_or_create(year=plan.year, committee_id=plan.committee_id)
            self.numbers[key] = sequence.last
        self.numbers[key] += 1
        return f"{plan.year}-{plan.committee_id:04d}-{self.numbers[key]:06d}"

    def add(self, *, route, state, path: list[Move], plan, qualification, specialty, sub, org, channel,
            workplace, user_id, archive_id, snapshot, name) -> None:  # fmt: skip
        context, rng = self.context, self.context.rng
        _share, declaration_type, exceptional_class = ROUTES[route]
        app = Application(
            id=uuid.uuid4(),
            number=self._number(plan),
            applicant_id=user_id,
            archive=Archive(id=archive_id, name=name),
            plan_id=plan.id,
            qualification=qualification,
            specialty=specialty,
            sub_specialty=sub,
            declaration_type=declaration_type,
            exceptional_class=exceptional_class,
            channel=channel,
            recommending_org=Organisation(id=org.pk, name=org.name),
            workplace=Organisation(id=workplace.pk, name=workplace.name) if workplace else None,
            committee_id=plan.committee_id,
        )
        # As application_submit freezes it: the number masked, sealed to this application.
        snapshot = {**snapshot, "identity": sealed_identity(snapshot["identity"], application_id=app.pk)}
        app.snapshot = snapshot
        if state in RECENT:
            start = context.now - dt.timedelta(days=2 + rng.random() * 38)
        else:
            start = local(self.schedule.base + dt.timedelta(days=rng.randrange(10)), 9 + rng.randrange(8))
        times = self._times(path, start, state)
        prev, seq = chain.GENESIS, 0
        submitted = None
        for move, at in zip(path, times, strict=True):
            seq += 1
            from_state = app.state or State.DRAFT
            note, data = self._step(app, move, at, plan, route, state, path, seq)
            app.state = move.to_state
            if move.action == "submit":
                submitted = at
            actor, role = self._actor(app, move, plan, user_id)
            at = at.astimezone(dt.UTC).replace(microsecond=0)
            digest = chain.event_digest(
                prev_hash=prev, application_id=str(app.pk), seq=seq, actor_id=actor, actor_role=role,
                at_iso=at.isoformat(), action=move.action, from_state=from_state, to_state=app.state,
                note=note, data=data,
            )  # fmt: skip
            row = [app.pk, seq, actor, role, at, move.action, from_state, app.state, note, data, prev, digest]
            if _SEALED:
                row.append(chain.row_seal(self.seal_key, str(app.pk), seq, digest))
            self.events.add(row)
            prev = digest
        created = times[0].replace(microsecond=0)
        self.rows.add(
            [app.pk, app.number, user_id, archive_id, plan.id, qualification.pk, specialty.pk, sub and sub.pk]
            + [declaration_type, exceptional_class, True, channel, org.pk, workplace and workplace.pk]
            + [app.committee_id, SUMMARY, app.state, snapshot if submitted else None, submitted]
            + [times[1], "127.0.0.1", created, times[-1], seq, prev]
            # The holder columns, as applications.permissions.place sets them on every move.
            + [plan.receiving_org_id, org.parent_bureau_id, plan.higher_committee_id]
        )

    def _times(self, path: list[Move], start: dt.datetime, state: str) -> list[dt.datetime]:
        """When each move happened: declared at `start`, later moves on the schedule's dates (today's open
        publicity for an application publicised now), never before the move before it."""
        s, rng = self.schedule, self.context.rng
        after_p1 = s.employer.end_date
        fixed = {
            "employer_publicise": local(s.employer.posted_on, 10),
            "employer_publicity_end": s.employer.ends_at + dt.timedelta(minutes=5),
            "employer_recommend": local(after_p1 + dt.timedelta(days=1)),
            "bureau_recommend": local(after_p1 + dt.timedelta(days=2)),
            "recommend_upward": local(after_p1 + dt.timedelta(days=3), 15),
            "upward_receive": local(after_p1 + dt.timedelta(days=4)),
            "initial_determine": local(after_p1 + dt.timedelta(days=5)),
            "pre_review_publicise": local(s.pre_review.posted_on, 10),
            "pre_review_publicity_end": s.pre_review.ends_at + dt.timedelta(minutes=5),
            "recognise": local(s.pre_review.end_date + dt.timedelta(days=1), 11),
            "assign_meeting": self.meetings.assign_at(),
            "vote_pass": local(s.held_on, 16),
            "vote_fail": local(s.held_on, 16),
            "result_publicise": local(s.result.posted_on, 10),
            "result_publicity_end": s.result.ends_at + dt.timedelta(minutes=5),
            "approve": local(s.approved_on, 10),
            "issue_certificate": self.certs.issued_at,
        }
        times, last = [], start
        quals = 0
        for n, move in enumerate(path):
            if n == len(path) - 1 and state in OPEN_STAGE:
                at = local(s.current[OPEN_STAGE[state]].posted_on, 10)
            elif move.action == "qualification_pass":
                quals += 1
                at = local(after_p1 + dt.timedelta(days=3 if quals == 1 else 5))
            elif move.action in fixed:
                at = fixed[move.action]
            else:  # declaring moves, returns, refusals and withdrawals: minutes to days apart
                at = last + dt.timedelta(minutes=10 + rng.randrange(60 * 24 if state in RECENT else 60))
            if state in RECENT:
                at = min(at, self.context.now - dt.timedelta(minutes=len(path) - n))
            at = max(at, last + dt.timedelta(seconds=1))
            times.append(at)
            last = at
        return times

    def _actor(self, app, move: Move, plan, user_id: int) -> tuple[int | None, str]:
        context = self.context
        if move.role == "applicant":
            return user_id, "applicant"
        if move.role == "hr":
            return context.hr[app.recommending_org_id], "hr"
        if move.role == "clerk":
            return context.clerk[app.committee_id], "clerk"
        if move.role == "officer":
            if move.action == "bureau_recommend" and plan.receiving_org_id in context.officer:
                return context.officer[plan.receiving_org_id], "officer"
            bureau = context.committees[app.committee_id].parent_bureau_id
            return context.officer[bureau], "officer"
        return None, "system"

    def _step(self, app, move: Move, at, plan, route, state, path, seq) -> tuple[str, dict]:
        """The note and data the service records for the move, and the rows it writes beside the event."""
        context, action = self.context, move.action
        committee = context.committees[app.committee_id]
        if action in START_STAGE:
            stage = START_STAGE[action]
            is_open = move is path[-1] and state in OPEN_STAGE
            publisher = app.recommending_org if stage == PublicityStage.EMPLOYER else committee
            actor = self._actor(app, move, plan, app.applicant_id)[0]
            notice_id, title, period = self.notices.enter(
                stage=stage, publisher_id=publisher.pk, publisher_name=publisher.name, actor_id=actor,
                is_open=is_open, app=app.pk, fields=public_fields(app),
            )  # fmt: skip
            app._notice = (notice_id, title)
            return f"{title}（{period.first_day:%Y-%m-%d}至{period.end_date:%Y-%m-%d}）", {
                "notice": str(notice_id)
            }
        if action.endswith("_publicity_end"):
            notice_id, title = app._notice
            return f"{title}期满无异议", {"notice": str(notice_id)}
        if action == "sign_pledge":
            return "签署《专业技术资格申报材料真实性保证书》", {"ip": "127.0.0.1"}
        if action == "employer_recommend":
            return "经单位审核公示，同意推荐", {}
        if action == "bureau_recommend":
            return "审核同意，推荐至评委会", {}
        if action == "qualification_pass":
            return "资格审查通过", {"committee": app.committee_id}
        if action == "recommend_upward":
            higher = context.committees[plan.higher_committee_id]
            app._upward = (plan.committee_id, higher.pk, at)
            return f"推荐至{higher.name}：资格审查通过", {"to_committee": higher.pk}
        if action == "upward_receive":
            from_id, to_id, sent = app._upward
            self.upward.add(
                [
                    app.pk,
                    from_id,
                    to_id,
                    "资格审查通过",
                    context.clerk[from_id],
                    sent,
                    context.clerk[to_id],
                    at,
                ]
            )
            app.committee_id = to_id
            return f"{context.committees[to_id].name}接收推荐", {}
        if action == "assign_meeting":
            held = path[-1].action != "assign_meeting"
            meeting_id, title, held_on = self.meetings.place(
                committee_id=app.committee_id, application_id=app.pk, level=app.qualification.level, held=held
            )
            app._meeting = meeting_id
            return f"安排至{title}（{held_on:%Y-%m-%d}）", {"meeting": meeting_id}
        if action in ("vote_pass", "vote_fail"):
            agree = 7 if action == "vote_pass" else 2
            note = f"同意{agree}票，不同意{7 - agree}票，弃权0票；有表决权出席专家7人，通过需同意5票。"
            return note, {"agree": agree, "meeting": app._meeting, "entitled": 7}
        if action == "recognise":
            return "符合直接认定条件（评前公示无异议）", {
                "route": "recognition",
                "committee": app.committee_id,
            }
        if action == "initial_determine":
            return "学历和专业工作年限符合初定条件", {"route": "initial", "committee": app.committee_id}
        if action == "approve":
            filing_id, document_no, _officer = self.filings.file(app.committee_id, app.pk)
            return f"核准公布（{document_no}）", {"filing": filing_id, "document_no": document_no}
        if action == "issue_certificate":
            number = self.certs.issue(app, archive_id=app.archive.pk)
            return f"电子证书{number}", {"certificate": number}
        if action == "employer_return":
            self.returns.add([app.pk, seq, app.snapshot, SUMMARY, []])
            item = "学历证书扫描件不清晰，请重新上传"
            return f"请补正后重新提交；学历学位证书：{item}", {"items": {"degree": item}}
        if action == "employer_reject":
            return "经单位核实，业绩材料与实际不符", {}
        if action == "withdraw":
            return "今年暂不申报", {}
        return "", {}

    def close(self) -> None:
        for copier in (self.rows, self.events, self.upward, self.returns):
            copier.close()
        for (year, committee_id), last in self.numbers.items():
            NumberSequence.objects.filter(year=year, committee_id=committee_id).update(last=last)
