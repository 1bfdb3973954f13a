"""Whoever returned an application sees, once it is resubmitted, exactly what changed since the return."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import audit, publicity, services
from applications.changes import changes_for
from applications.models import Education, ReturnBasis, WorkPeriod
from committees import services as committee_services
from tests.conftest import PNG_BYTES

pytestmark = pytest.mark.django_db


def _correct(world, application) -> None:
    """The applicant corrects: one entry changed, one added, one removed, the summary, a file replaced."""
    archive = application.archive
    education = archive.educations.get()
    education.school = "浙江工业大学"
    education.save()
    Education.objects.create(
        archive=archive,
        level="master",
        school="浙江大学",
        major="机械工程",
        graduation_date=dt.date(2015, 6, 30),
    )
    WorkPeriod.objects.filter(archive=archive).delete()
    WorkPeriod.objects.create(archive=archive, employer_name=world.employer.name, start=dt.date(2012, 8, 1))
    services.application_update(
        application=application, actor=world.applicant, work_summary="补充了近三年业绩。"
    )
    services.evidence_delete(evidence=application.evidence.get(material_code="degree"))
    services.evidence_upload(
        archive=archive,
        application=application,
        material_code="degree",
        upload=SimpleUploadedFile("degree-clear.png", PNG_BYTES, "image/png"),
    )


def _returned_and_corrected(world):
    application = world.submitted()
    audit.employer_return(
        application=application, actor=world.hr, defects=[{"item": "degree", "reason": "unclear", "text": ""}]
    )
    application.refresh_from_db()
    _correct(world, application)
    services.application_resubmit(application=application, actor=world.applicant)
    application.refresh_from_db()
    return application


def _changes_section(world, user, application) -> str:
    page = world.client_for(user).get(reverse("applications:detail", args=[application.pk])).content.decode()
    if 'id="changes"' not in page:
        return ""
    start = page.index('id="changes"')
    return page[start : page.index("</section>", start)]


def test_the_return_keeps_the_application_as_it_was(world):
    application = world.submitted()
    audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
    basis = ReturnBasis.objects.get(application=application)
    assert basis.seq == application.events.get(action="employer_return").seq
    assert basis.materials[0]["code"] == "degree" and basis.work_summary == "主持完成多项机电产品开发。"


def test_hr_sees_entries_added_removed_and_changed_field_by_field(world):
    application = _returned_and_corrected(world)
    changes = changes_for(application, world.hr)
    what = {(c.section, c.what) for c in changes.entries}
    assert ("学历", "修改") in what and ("学历", "新增") in what and ("工作经历", "修改") in what
    changed = next(c for c in changes.entries if c.section == "学历" and c.what == "修改")
    assert ("毕业院校", "浙江大学", "浙江工业大学") in changed.fields
    added = next(c for c in changes.entries if c.what == "新增")
    level = next(f for f in added.fields if f[0] == "学历层次")
    assert level[1] == "—" and level[2] not in ("", "master")  # the choice's label, not its code


def test_hr_sees_the_summary_and_the_replaced_file_on_the_page(world):
    application = _returned_and_corrected(world)
    section = _changes_section(world, world.hr, application)
    assert "补充了近三年业绩。" in section and "主持完成多项机电产品开发。" in section
    assert "替换 degree-clear.png" in section and "被替换 degree.pdf" in section
    assert "毕业院校" in section and "master" not in section


def test_an_entry_removed_shows_as_removed(world):
    application = world.ready_draft()
    extra = WorkPeriod.objects.create(
        archive=application.archive, employer_name="某兼职单位", start=dt.date(2020, 1, 1)
    )
    services.application_submit(application=application, actor=world.applicant)
    audit.employer_return(application=application, actor=world.hr, items={"work_periods": "多余"})
    extra.delete()
    services.application_resubmit(application=application, actor=world.applicant)
    application.refresh_from_db()
    entries = changes_for(application, world.hr).entries
    assert [(c.section, c.what) for c in entries] == [("工作经历", "删除")]


def test_nothing_is_shown_before_resubmission_nor_to_others(world):
    application = world.submitted()
    audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
    application.refresh_from_db()
    assert changes_for(application, world.hr) is None
    services.application_resubmit(application=application, actor=world.applicant)
    application.refresh_from_db()
    assert changes_for(application, world.hr).none
    assert "未作修改" in _changes_section(world, world.hr, application)
    assert _changes_section(world, world.applicant, application) == ""
    assert changes_for(application, world.other_hr) is None
    client = world.client_for(world.other_hr)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404


def test_the_committee_sees_the_changes_since_its_own_return(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    audit.bureau_recommend(application=application, actor=world.officer)
    committee_services.qualification_return(
        application=application, actor=world.clerk, reason="学历证书不清晰"
    )
    audit.bureau_return(application=application, actor=world.officer, reason="请单位退回申报人补正")
    audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
    application.refresh_from_db()
    _correct(world, application)
    services.application_resubmit(application=application, actor=world.applicant)
    application.refresh_from_db()
    # HR, the bureau and the committee each see the changes since their own return.
    assert changes_for(application, world.hr).files
    notice = world.publicised([application])
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    audit.employer_recommend(application=application, actor=world.hr)
    application.refresh_from_db()
    assert changes_for(application, world.officer).summary == (
        "主持完成多项机电产品开发。",
        "补充了近三年业绩。",
    )
    audit.bureau_recommend(application=application, actor=world.officer)
    application.refresh_from_db()
    assert any(c.section == "学历" for c in changes_for(application, world.clerk).entries)
