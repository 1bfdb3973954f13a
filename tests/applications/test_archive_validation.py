"""Bad archive input gets field errors in Chinese and loses nothing already entered or saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Archive, WorkPeriod
from portal import clock
from tests.factories import ArchiveFactory, resident_id

pytestmark = pytest.mark.django_db


def test_an_invalid_id_number_is_a_field_error_and_the_form_keeps_the_input(world):
    archive = ArchiveFactory(user=world.applicant, name="李四", id_number=resident_id(serial=7))
    bad = resident_id(serial=8)[:-1] + ("0" if resident_id(serial=8)[-1] != "0" else "1")
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {
            "name": "李四改",
            "id_type": "resident",
            "id_number": bad,
            "nationality": "中国",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "校验位不正确" in text
    assert 'value="李四改"' in text and 'value="13900000000"' in text
    archive.refresh_from_db()
    assert (archive.name, archive.id_number) == ("李四", resident_id(serial=7))


@pytest.mark.parametrize(
    ("id_type", "number", "ok"),
    [
        ("passport", "E12345678", True),
        ("passport", "E1", False),
        ("hk_macao", "H12345678", True),
        ("hk_macao", "X12345678", False),
        ("taiwan", "12345678", True),
        ("foreign_pr", "USA330000000001", True),
        ("resident", "330802199002301234", False),  # 30 February
    ],
)
def test_foreign_and_hmt_documents(world, id_type, number, ok):
    ArchiveFactory(user=world.applicant)
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {
            "name": "王五",
            "id_type": id_type,
            "id_number": number,
            "nationality": "其他",
        },
    )
    assert (response.status_code == 302) is ok, response.content.decode()[:500]


def test_a_resident_id_fills_the_birth_date(world):
    ArchiveFactory(user=world.applicant, id_number="", birth_date=None)
    world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {
            "name": "赵六",
            "id_type": "resident",
            "id_number": resident_id(dt.date(1985, 2, 28), 12).lower(),
            "nationality": "中国",
        },
    )
    assert Archive.objects.get(user=world.applicant).birth_date == dt.date(1985, 2, 28)


def test_a_graduation_date_in_the_future_is_refused(world):
    ArchiveFactory(user=world.applicant)
    future = clock.today() + dt.timedelta(days=1)
    response = world.client_for(world.applicant).post(
        reverse("applications:entry_add", args=["educations"]),
        {
            "educations-level": "master",
            "educations-school": "浙江大学",
            "educations-major": "控制工程",
            "educations-graduation_date": future.isoformat(),
            "educations-study_mode": "full_time",
            "educations-origin": "domestic",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "日期不能晚于今天" in text and 'value="浙江大学"' in text


def test_overlapping_work_periods_are_refused_and_the_first_is_kept(world):
    archive = ArchiveFactory(user=world.applicant)
    WorkPeriod.objects.create(
        archive=archive, employer_name="甲公司", start=dt.date(2015, 1, 1), end=dt.date(2018, 12, 31)
    )
    client = world.client_for(world.applicant)
    response = client.post(
        reverse("applications:entry_add", args=["work_periods"]),
        {
            "work_periods-employer_name": "乙公司",
            "work_periods-start": "2018-06-01",
            "work_periods-professional": "on",
        },
    )
    assert response.status_code == 400
    assert "与已有工作经历“甲公司”（2015-01-01—2018-12-31）时间重叠" in response.content.decode()
    assert list(WorkPeriod.objects.values_list("employer_name", flat=True)) == ["甲公司"]
    # Adjacent periods are fine.
    ok = client.post(
        reverse("applications:entry_add", args=["work_periods"]),
        {
            "work_periods-employer_name": "乙公司",
            "work_periods-start": "2019-01-01",
            "work_periods-professional": "on",
        },
    )
    assert ok.status_code == 302


def test_an_end_before_the_start_is_a_field_error(world):
    ArchiveFactory(user=world.applicant)
    response = world.client_for(world.applicant).post(
        reverse("applications:entry_add", args=["work_periods"]),
        {
            "work_periods-employer_name": "甲公司",
            "work_periods-start": "2018-06-01",
            "work_periods-end": "2018-01-01",
        },
    )
    assert response.status_code == 400
    assert "结束时间不能早于开始时间" in response.content.decode()


def test_api_names_the_field_of_an_overlap(world):
    archive = ArchiveFactory(user=world.applicant)
    WorkPeriod.objects.create(archive=archive, employer_name="甲公司", start=dt.date(2015, 1, 1))
    response = world.client_for(world.applicant).post(
        reverse("api-work_periods"),
        {"employer_name": "乙公司", "start": "2016-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "start" in response.json()["errors"]


def test_another_persons_entry_is_not_found(world):
    archive = ArchiveFactory(user=world.other_applicant)
    period = WorkPeriod.objects.create(archive=archive, employer_name="甲公司", start=dt.date(2015, 1, 1))
    client = world.client_for(world.applicant)
    assert client.get(reverse("applications:entry_edit", args=["work_periods", period.pk])).status_code == 404
    assert (
        client.post(reverse("applications:entry_delete", args=["work_periods", period.pk])).status_code == 404
    )
    assert client.get(reverse("api-work_periods-detail", args=[period.pk])).status_code == 404
    assert WorkPeriod.objects.filter(pk=period.pk).exists()


def test_an_invalid_phone_number_is_a_field_error_and_nothing_is_saved(world):
    archive = ArchiveFactory(user=world.applicant, name="李四", phone="13900000000")
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {
            "name": "李四",
            "id_type": "passport",
            "id_number": "E12345678",
            "nationality": "中国",
            "phone": "12345",
        },
    )
    assert response.status_code == 400
    assert "请填写有效的手机号码" in response.content.decode()
    archive.refresh_from_db()
    assert archive.phone == "13900000000"


def test_a_landline_with_an_extension_is_kept(world):
    archive = ArchiveFactory(user=world.applicant, name="李四")
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {
            "name": "李四",
            "id_type": "passport",
            "id_number": "E12345678",
            "nationality": "中国",
            "phone": "0570-8888888-12",
        },
    )
    assert response.status_code == 302
    archive.refresh_from_db()
    assert archive.phone == "0570-8888888-12"
