"""One-time complete notice (一次性告知): a return names every defect at once, each on its item, with
a coded reason that people read as its label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import audit, returns, services
from applications.exceptions import DomainError
from applications.states import State
from committees import services as committee_services

pytestmark = pytest.mark.django_db


def _page(world, user, application) -> str:
    return world.client_for(user).get(reverse("applications:detail", args=[application.pk])).content.decode()


def _at_bureau(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    return audit.employer_recommend(application=application, actor=world.hr)


def test_hr_returns_every_defect_at_once_each_on_its_item(world):
    application = world.submitted()
    response = world.client_for(world.hr).post(
        reverse("applications:audit_return", args=[application.pk]),
        {
            "reason_degree": "unclear",
            "item_degree": "第二页模糊",
            "reason_work_summary": "wrong_info",
            "item_work_summary": "",
            "reason_educations.0": "mismatch",
            "item_educations.0": "毕业时间与证书不符",
        },
    )
    assert response.status_code == 302
    event = application.events.get(action="employer_return")
    assert event.data["defects"] == [
        {"kind": "material", "item": "degree", "reason": "unclear", "text": "第二页模糊"},
        {"kind": "summary", "item": "work_summary", "reason": "wrong_info", "text": ""},
        {"kind": "entry", "item": "educations.0", "reason": "mismatch", "text": "毕业时间与证书不符"},
    ]
    application.refresh_from_db()
    assert application.state == State.RETURNED


def test_the_applicant_reads_labels_not_codes_at_the_top_and_beside_each_item(world):
    application = world.submitted()
    audit.employer_return(
        application=application,
        actor=world.hr,
        defects=[
            {"item": "degree", "reason": "unclear", "text": "第二页模糊"},
            {"item": "work_summary", "reason": "other", "text": "请补充近三年业绩"},
            {"item": "educations.0", "reason": "mismatch", "text": ""},
        ],
    )
    page = _page(world, world.applicant, application)
    top = page[page.index('id="returned"') : page.index('id="materials"')]
    assert "材料不清晰" in top and "与原件不符" in top and "学历1" in top
    assert "unclear" not in page and "mismatch" not in page and "wrong_info" not in page
    materials = page[page.index('id="materials"') :]
    assert "退回意见：材料不清晰，第二页模糊" in materials
    assert "工作总结退回意见：其他，请补充近三年业绩" in page
    # The resubmission deadline is the plan's employer-recommendation deadline.
    assert "单位推荐截止时间" in top


@pytest.mark.parametrize(
    "defect, message",
    [
        ({"item": "nothing_like_it", "reason": "unclear"}, "不在本申报中"),
        ({"item": "degree", "reason": "bogus"}, "退回原因"),
        ({"item": "degree", "reason": "other", "text": " "}, "写明原因"),
        ({"item": "degree", "kind": "entry", "reason": "unclear"}, "不在本申报中"),
    ],
)
def test_a_bad_defect_is_refused_naming_the_field(world, defect, message):
    application = world.submitted()
    with pytest.raises(DomainError) as exc:
        audit.employer_return(application=application, actor=world.hr, defects=[defect])
    assert exc.value.field == "defects" and message in exc.value.message
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_the_api_takes_the_same_structure_and_answers_400_naming_the_field(world):
    application = world.submitted()
    hr = world.client_for(world.hr)
    url = reverse("api-employer-return", args=[application.pk])
    bad = hr.post(url, {"defects": [{"item": "degree", "reason": "bogus"}]}, content_type="application/json")
    assert bad.status_code == 400 and "defects" in bad.json()["errors"]
    unknown = hr.post(
        url, {"defects": [{"item": "zzz", "reason": "missing"}]}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "defects" in unknown.json()["errors"]
    ok = hr.post(
        url,
        {"defects": [{"item": "degree", "reason": "missing", "text": ""}]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == State.RETURNED
    assert application.events.get(action="employer_return").data["defects"][0]["reason"] == "missing"


def test_the_bureau_returns_with_coded_defects_and_hr_reads_them(world, frozen_clock):
    application = _at_bureau(world, frozen_clock)
    world.client_for(world.officer).post(
        reverse("applications:audit_bureau_return", args=[application.pk]),
        {"reason": "", "reason_degree": "missing", "item_degree": "缺少学位证书"},
    )
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    event = application.events.get(action="bureau_return")
    assert event.data == {
        "defects": [{"kind": "material", "item": "degree", "reason": "missing", "text": "缺少学位证书"}]
    }
    assert "材料缺失，缺少学位证书" in _page(world, world.hr, application)


def test_the_bureau_api_return_takes_defects(world, frozen_clock):
    application = _at_bureau(world, frozen_clock)
    response = world.client_for(world.officer).post(
        reverse("api-bureau-return", args=[application.pk]),
        {"defects": [{"kind": "summary", "item": "work_summary", "reason": "out_of_scope"}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert "超出申报范围" in application.events.get(action="bureau_return").note


def test_the_committee_returns_with_coded_defects(world, frozen_clock):
    application = _at_bureau(world, frozen_clock)
    audit.bureau_recommend(application=application, actor=world.officer)
    response = world.client_for(world.clerk).post(
        reverse("committees:return", args=[application.pk]),
        {"reason": "请补正", "reason_educations": "missing", "item_educations": "缺少最高学历"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.BUREAU_REVIEW
    event = application.events.get(action="qualification_return")
    assert event.data["defects"][0] == {
        "kind": "section",
        "item": "educations",
        "reason": "missing",
        "text": "缺少最高学历",
    }
    assert "学历：材料缺失，缺少最高学历" in _page(world, world.officer, application)


def test_a_committee_return_needs_a_reason_or_a_defect(world, frozen_clock):
    application = _at_bureau(world, frozen_clock)
    audit.bureau_recommend(application=application, actor=world.officer)
    with pytest.raises(DomainError):
        committee_services.qualification_return(application=application, actor=world.clerk, defects=[])


def test_every_reason_has_a_chinese_label():
    assert [str(label) for _, label in returns.Reason.choices] == [
        "材料不清晰",
        "材料缺失",
        "与原件不符",
        "信息填写有误",
        "超出申报范围",
        "其他",
    ]


@pytest.mark.parametrize(
    "name",
    ["applications:audit_return", "applications:audit_bureau_return", "committees:return"],
)
def test_the_return_endpoints_answer_get_with_405(world, name):
    application = world.submitted()
    assert world.client_for(world.hr).get(reverse(name, args=[application.pk])).status_code == 405


def test_the_limit_counts_each_stage_apart_and_zero_means_no_limit(world, frozen_clock):
    application = world.submitted()
    for _ in range(3):  # no limit by default
        audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
        services.application_resubmit(application=application, actor=world.applicant)
    world.plan.max_returns_per_stage = 3
    world.plan.save()
    with pytest.raises(DomainError) as exc:
        audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
    assert "最多退回3次" in exc.value.message
    page = _page(world, world.hr, application)
    assert "退回申报人修改</button>" not in page


def test_the_archive_editor_shows_each_reason_beside_its_entry_and_section(world):
    application = world.submitted()
    education = application.archive.educations.get()
    audit.employer_return(
        application=application,
        actor=world.hr,
        defects=[
            {"item": "educations.0", "reason": "mismatch", "text": "毕业时间与证书不符"},
            {"item": "assessments", "reason": "missing", "text": "缺少2024年度考核"},
        ],
    )
    page = world.client_for(world.applicant).get(reverse("applications:archive")).content.decode()
    top = page[page.index(f'id="return-{application.pk}"') : page.index('id="identity"')]
    assert application.number in top and "与原件不符" in top and "缺少2024年度考核" in top
    educations = page[page.index('id="educations"') : page.index('id="educations"') + 4000]
    row = educations[
        : educations.index(reverse("applications:entry_edit", args=["educations", education.pk]))
    ]
    assert "退回意见：与原件不符，毕业时间与证书不符" in row
    assessments = page[page.index('id="assessments"') :]
    assert "缺少2024年度考核" in assessments[: assessments.index("</table>")]
    assert "mismatch" not in page and "educations.0" not in page
    # Someone else's archive shows none of it.
    other = world.client_for(world.hr).get(reverse("applications:archive")).content.decode()
    assert "毕业时间与证书不符" not in other


def test_after_resubmission_the_archive_editor_no_longer_shows_the_return(world):
    application = world.submitted()
    audit.employer_return(
        application=application, actor=world.hr, defects=[{"item": "educations.0", "reason": "unclear"}]
    )
    services.application_resubmit(application=application, actor=world.applicant)
    page = world.client_for(world.applicant).get(reverse("applications:archive")).content.decode()
    assert "被退回" not in page and "退回意见" not in page


def test_an_archive_entry_is_named_by_what_the_editor_shows_never_by_codes_or_keys(world):
    application = world.submitted()
    snapshot = application.snapshot
    entries = {item.code: item.label for item in returns.items_for(application) if item.kind == "entry"}
    assert entries, "the frozen archive has entries"
    coded = 0
    for slug, kind in returns.ENTRY_KINDS.items():
        for index, entry in enumerate(snapshot.get(slug) or []):
            label = entries[f"{slug}.{index}"]
            assert label.startswith(f"{kind.label}{index + 1}")
            for name, value in entry.items():
                field = next((f for f in kind.model._meta.fields if f.name == name), None)
                if field is not None and field.choices and value and name in kind.columns[:3]:
                    coded += 1
                    assert str(dict(field.flatchoices)[value]) in label, (label, value)
                    assert f"，{value}" not in label and f"（{value}" not in label, (label, value)
            if "id" in entry:
                assert f"（{entry['id']}，" not in label, label
    assert coded, "some entry shows a choice"
