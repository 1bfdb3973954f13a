"""The next actor learns of every move of an application, in the portal and by e-mail, and the
applicant learns where the application stands."""

from __future__ import annotations

import pytest
from django.core import mail

from applications import audit, services
from applications.exceptions import DomainError
from applications.states import State
from portal.models import Notification

pytestmark = pytest.mark.django_db


def told(user, *words) -> bool:
    """The user has a notice in the portal containing every word, and the same notice by e-mail."""
    notes = [n for n in Notification.objects.filter(user=user) if all(w in n.message for w in words)]
    mailed = [m for m in mail.outbox if m.to == [user.email] and all(w in m.body for w in words)]
    return bool(notes) and bool(mailed)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_hr_is_told_of_a_submission_and_of_a_resubmission(world, on_commit):
    application = on_commit(world.submitted)
    assert told(world.hr, "提交了职称申报", application.number)
    assert not told(world.other_hr, application.number)

    on_commit(audit.employer_return, application=application, actor=world.hr, items={"degree": "不清晰"})
    mail.outbox.clear()
    Notification.objects.filter(user=world.hr).delete()
    on_commit(services.application_resubmit, application=application, actor=world.applicant)
    assert told(world.hr, application.number)


def test_the_applicant_is_told_of_a_return_and_of_a_rejection(world, on_commit):
    returned = on_commit(world.submitted)
    on_commit(audit.employer_return, application=returned, actor=world.hr, items={"degree": "不清晰"})
    assert told(world.applicant, returned.number, "退回修改")

    rejected = on_commit(world.submitted, world.other_applicant, serial=202)
    other_hr = world.other_hr
    rejected.recommending_org = world.employer
    rejected.save(update_fields=["recommending_org"])
    on_commit(audit.employer_reject, application=rejected, actor=world.hr, reason="业绩不实")
    assert told(world.other_applicant, rejected.number, "未通过")
    assert not told(other_hr, rejected.number, "未通过")


def test_the_applicant_is_told_the_publicity_and_its_period(world, on_commit):
    application = on_commit(world.submitted)
    notice = on_commit(world.publicised, [application])
    assert told(world.applicant, application.number, notice.title, f"{notice.end_date:%Y年%m月%d日}")


def test_a_bureau_return_tells_hr_to_audit_again_and_the_applicant(world, on_commit, frozen_clock):
    application = on_commit(world.submitted)
    world.through_employer_publicity([application], frozen_clock)
    on_commit(audit.employer_recommend, application=application, actor=world.hr)
    assert told(world.applicant, application.number, "单位推荐")

    on_commit(audit.bureau_return, application=application, actor=world.officer, reason="材料不全")
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    assert told(world.hr, application.number, "主管部门退回")
    assert told(world.applicant, application.number, "主管部门退回")


def test_a_refused_move_tells_no_one(world, on_commit):
    application = on_commit(world.submitted)
    before = Notification.objects.count(), len(mail.outbox)
    with pytest.raises(DomainError):
        on_commit(audit.bureau_return, application=application, actor=world.officer, reason="材料不全")
    assert (Notification.objects.count(), len(mail.outbox)) == before
