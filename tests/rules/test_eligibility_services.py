"""The database side: rule sets installed from templates and edited with validation, evaluation of a real
archive through archive_to_json, integrity records and bans, the 破格B quota, and query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

from applications.archive_json import archive_to_json
from applications.models import AnnualAssessment, ContinuingEducation, Education, TitleHeld, WorkPeriod
from portal.models import OrgKind, TitleLevel
from rules.eligibility import ArchiveFormatError, InvalidParams, NoValidHonour, QuotaExceeded
from rules.eligibility.exceptions import EligibilityError, RuleSetMissing
from rules.models import EnterpriseHonour, ExceptionalBReservation, HonourCategory, IntegrityRecord, RuleSet
from rules.services.evaluation import BulkInput, evaluate_for, evaluate_many
from rules.services.honours import (
    enterprise_honour_record,
    exceptional_b_quota_release,
    exceptional_b_quota_reserve,
    exceptional_b_quota_status,
)
from rules.services.integrity import integrity_ban_for, integrity_record_create, integrity_record_withdraw
from rules.services.rulesets import ruleset_install_defaults, ruleset_update_params
from tests import factories

from .archive_builder import archive, cond, route, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = factories.PlanFactory(year=2023, code="yu-2023-gcs")
    return plan


@pytest.fixture
def engineer(plan):
    return plan.qualifications.get(level=TitleLevel.INTERMEDIATE)


@pytest.fixture
def ruleset(plan, engineer):
    return ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=engineer)


def test_defaults_are_installed_from_the_template_with_the_honour_list(ruleset):
    assert ruleset.params["n2.bachelor_years"] == 5
    assert ruleset.params["b.quota_national"] == 3
    assert ruleset.honour_categories.count() == 8  # seed 003 附件2


def test_installing_without_a_qualification_picks_the_plans_only_fitting_one(plan):
    ruleset = ruleset_install_defaults(plan=plan, template="sx_engineer_assistant_2020")
    assert ruleset.qualification.level == TitleLevel.ASSISTANT


def test_installing_a_template_for_the_wrong_level_is_refused(plan, engineer):
    with pytest.raises(EligibilityError):
        ruleset_install_defaults(plan=plan, template="sx_engineer_assistant_2020", qualification=engineer)


def test_a_bureau_adjusts_a_threshold_and_bad_values_are_refused(ruleset):
    ruleset_update_params(ruleset=ruleset, params={"n2.bachelor_years": 6})
    ruleset.refresh_from_db()
    assert ruleset.params["n2.bachelor_years"] == 6
    with pytest.raises(InvalidParams) as exc:
        ruleset_update_params(ruleset=ruleset, params={"n2.bachelor_years": -1, "no.such": 1})
    assert set(exc.value.errors) == {"n2.bachelor_years", "no.such"}
    ruleset.params = {"assessment.min_grade": "brilliant"}
    with pytest.raises(ValidationError) as exc:
        ruleset.full_clean()
    assert "params" in exc.value.message_dict


def test_evaluate_for_reads_the_archive_json_of_a_real_archive(plan, engineer, ruleset):
    a = factories.ArchiveFactory()
    Education.objects.create(
        archive=a,
        level="bachelor",
        school="浙江工业大学",
        major="机械工程",
        graduation_date=dt.date(2014, 6, 30),
    )
    WorkPeriod.objects.create(archive=a, employer_name="上虞某机电有限公司", start=dt.date(2014, 7, 1))
    TitleHeld.objects.create(
        archive=a,
        series=engineer.series,
        level=TitleLevel.ASSISTANT,
        name="助理工程师",
        obtained_date=dt.date(2019, 12, 31),
        method="review",
    )
    for year in (2020, 2021, 2022):
        AnnualAssessment.objects.create(archive=a, year=year, grade="qualified")
    for year in (2021, 2022, 2023):
        ContinuingEducation.objects.create(archive=a, year=year, public_hours=18, professional_hours=72)
    result = evaluate_for(
        plan=plan, qualification=engineer, archive_json=archive_to_json(a), declaration_type="normal"
    )
    assert result.verdict == "eligible"
    assert route(result, "normal_assistant").status == "met"
    assert result.as_dict()["plan"] == "yu-2023-gcs"


def test_the_bureaus_threshold_changes_the_verdict(plan, engineer, ruleset):
    a = archive(year=2023, titles=[title(2, "2020-12-31")])
    assert evaluate_for(plan=plan, qualification=engineer, archive_json=a).verdict == "not_eligible"
    ruleset_update_params(ruleset=ruleset, params={"n1.bachelor_years": 3})
    assert evaluate_for(plan=plan, qualification=engineer, archive_json=a).verdict == "eligible"


def test_a_plan_without_rules_and_a_malformed_archive_raise_domain_errors(plan, engineer):
    with pytest.raises(RuleSetMissing):
        evaluate_for(plan=plan, qualification=engineer, archive_json=archive())
    ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=engineer)
    bad = archive() | {"educations": [{"level": "bachelor", "graduation_date": "2015-13-01"}]}
    with pytest.raises(ArchiveFormatError) as exc:
        evaluate_for(plan=plan, qualification=engineer, archive_json=bad)
    assert exc.value.path == "educations[0].graduation_date"


# ---------------------------------------------------------------- integrity


def test_a_ban_runs_for_three_review_years_from_the_year_after_the_review():
    record = integrity_record_create(
        id_type="resident",
        id_number="330802199005171234",
        name="张三",
        review_year=2023,
        level=TitleLevel.INTERMEDIATE,
        finding="伪造业绩证明",
        decision_date=dt.date(2023, 11, 20),
        decision_document="虞人社〔2023〕50号",
    )
    assert (record.ban_first_year, record.ban_last_year) == (2024, 2026)
    assert record.credit_record_until == dt.date(2026, 11, 20)
    ban = integrity_ban_for
    assert ban(id_type="resident", id_number="330802199005171234", year=2023, level=3) is None
    assert ban(id_type="resident", id_number="330802199005171234", year=2024, level=3) == record
    assert ban(id_type="resident", id_number="330802199005171234", year=2026, level=4) == record
    assert ban(id_type="resident", id_number="330802199005171234", year=2027, level=3) is None
    assert ban(id_type="resident", id_number="330802199005171234", year=2025, level=2) is None
    integrity_record_withdraw(record=record, reason="复查撤销")
    assert ban(id_type="resident", id_number="330802199005171234", year=2024, level=3) is None


def test_the_ban_is_enforced_in_the_evaluation(plan, engineer, ruleset):
    integrity_record_create(
        id_type="resident",
        id_number="330802199005171234",
        name="张三",
        review_year=2022,
        level=3,
        finding="提供虚假论文",
        decision_date=dt.date(2022, 12, 1),
    )
    result = evaluate_for(
        plan=plan, qualification=engineer, archive_json=archive(year=2023, titles=[title(2, "2019-01-01")])
    )
    assert cond(result, "integrity").status == "not_met"
    assert "2023—2025年不得申报中级及以上职称" in cond(result, "integrity").figures
    assert result.allowed_declaration_types == []


def test_one_evaluation_reads_only_its_own_persons_bans(plan, engineer, ruleset):
    """A page evaluating one archive loads that person's bans alone: the others' never leave the
    database, however many the province holds, and the person's own ban still counts."""
    for n in range(30):
        integrity_record_create(
            id_type="resident",
            id_number=f"33080219900517{n:04d}",
            name=f"他人{n}",
            review_year=2022,
            level=3,
            finding="提供虚假论文",
            decision_date=dt.date(2022, 12, 1),
        )
    loaded = []

    def record(instance, **kwargs):
        loaded.append(instance)

    signals.post_init.connect(record, sender=IntegrityRecord)
    try:
        clear = evaluate_for(
            plan=plan,
            qualification=engineer,
            archive_json=archive(year=2023, titles=[title(2, "2019-01-01")]),
        )
    finally:
        signals.post_init.disconnect(record, sender=IntegrityRecord)
    assert loaded == []
    assert cond(clear, "integrity").status != "not_met"
    assert IntegrityRecord.objects.count() == 30


def test_the_ban_years_cannot_precede_the_review():
    record = IntegrityRecord(
        id_type="resident",
        id_number="X",
        name="x",
        finding="x",
        decision_date=dt.date.today(),
        review_year=2023,
        level=3,
        ban_first_year=2023,
        ban_last_year=2025,
        credit_record_until=dt.date.today(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


# ---------------------------------------------------------------- 破格B quota


@pytest.fixture
def honoured(plan, ruleset):
    enterprise = factories.OrganisationFactory(
        name="上虞某电机有限公司", kind=OrgKind.ENTERPRISE, is_private=True
    )
    enterprise_honour_record(
        organisation=enterprise,
        category=HonourCategory.objects.get(code="little_giant"),
        level="provincial",
        title="省级专精特新中小企业",
        issued_on=dt.date(2022, 8, 15),
        document_no="浙经信〔2022〕100号",
    )
    return enterprise


def test_the_quota_of_a_provincial_honour_is_two(plan, honoured):
    first = exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    second = exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    assert (first.slot, second.slot) == (1, 2)
    with pytest.raises(QuotaExceeded):
        exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    assert exceptional_b_quota_status(plan=plan, enterprise=honoured).remaining == 0


def test_reserving_twice_for_one_application_keeps_one_place_and_release_frees_it(plan, honoured):
    app = uuid.uuid4()
    one = exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=app)
    assert exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=app) == one
    exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    assert exceptional_b_quota_release(plan=plan, application_id=app, reason="申报人撤回")
    again = exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    assert again.slot == 1
    assert ExceptionalBReservation.objects.filter(plan=plan, released_at__isnull=True).count() == 2


def test_a_national_honour_gives_three_places(plan, honoured):
    enterprise_honour_record(
        organisation=honoured,
        category=HonourCategory.objects.get(code="little_giant"),
        level="national",
        title="国家级专精特新小巨人企业",
        issued_on=dt.date(2023, 6, 30),
    )
    for _ in range(3):
        exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    with pytest.raises(QuotaExceeded):
        exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())


def test_no_place_without_an_honour_in_the_window(plan, ruleset):
    enterprise = factories.OrganisationFactory(kind=OrgKind.ENTERPRISE)
    enterprise_honour_record(
        organisation=enterprise,
        category=HonourCategory.objects.get(code="little_giant"),
        level="national",
        title="国家级专精特新小巨人企业",
        issued_on=dt.date(2022, 6, 30),
    )  # one day too early for 2023
    with pytest.raises(NoValidHonour):
        exceptional_b_quota_reserve(plan=plan, enterprise=enterprise, application_id=uuid.uuid4())


def test_the_database_refuses_a_second_holder_of_the_same_place(plan, honoured):
    exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=uuid.uuid4())
    with pytest.raises(IntegrityError), transaction.atomic():
        ExceptionalBReservation.objects.create(
            plan=plan, enterprise=honoured, slot=1, quota=2, application_id=uuid.uuid4()
        )


def test_the_evaluation_sees_the_places_taken(plan, engineer, honoured):
    taken = [uuid.uuid4(), uuid.uuid4()]
    for app in taken:
        exceptional_b_quota_reserve(plan=plan, enterprise=honoured, application_id=app)
    a = archive(
        year=2023,
        educations=[("secondary", "2010-06-30")],
        work=[("2010-07-01", None)],
        credit_code=honoured.credit_code,
    )
    full = evaluate_for(plan=plan, qualification=engineer, archive_json=a)
    assert cond(route(full, "exceptional_b"), "honour").status == "met"
    assert cond(route(full, "exceptional_b"), "quota").status == "not_met"
    mine = evaluate_for(plan=plan, qualification=engineer, archive_json=a, application_id=taken[0])
    assert cond(route(mine, "exceptional_b"), "quota").status == "met"


# ---------------------------------------------------------------- queries


def test_bulk_evaluation_queries_do_not_grow_with_the_number_of_archives(plan, engineer, honoured):
    def items(n):
        for i in range(n):
            code = honoured.credit_code if i % 2 else factories.credit_code()
            yield BulkInput(
                ref=str(i), archive_json=archive(year=2023, credit_code=code, titles=[title(2, "2019-01-01")])
            )

    def count(n):
        with CaptureQueriesContext(connection) as ctx:
            results = list(evaluate_many(plan=plan, qualification=engineer, items=items(n)))
        assert len(results) == n
        return len(ctx)

    assert count(5) == count(60)


def test_rule_sets_are_unique_per_plan_and_qualification(plan, engineer, ruleset):
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(plan=plan, qualification=engineer, template="zj_engineer_mid_2023")


def test_an_honour_is_recorded_once(honoured):
    honour = EnterpriseHonour.objects.get(organisation=honoured)
    with pytest.raises(ValidationError):
        enterprise_honour_record(
            organisation=honoured,
            category=honour.category,
            level=honour.level,
            title=honour.title,
            issued_on=honour.issued_on,
        )
