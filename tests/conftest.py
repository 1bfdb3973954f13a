from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

from applications.models import Education, WorkPeriod
from portal import authority as authority_services
from portal import clock, queueing
from portal.clock import now as shifted_now  # the real function: frozen_clock replaces clock.now
from portal.models import OrgKind, Role
from tests import factories
from tests.worker.process import Worker, real_stack


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


# Uploads are checked by parsing (applications.evidence): a valid one-page PDF and a valid PNG.
PDF_BYTES = _one_page_pdf()
PNG_BYTES = _small_png()


class FrozenClock:
    """The portal's clock in tests: fixed, and moved forward explicitly."""

    def __init__(self, at: dt.datetime):
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += dt.timedelta(**delta)

    def set(self, at: dt.datetime) -> None:
        self.at = at


# Monday 1 June 2026, 10:00 in Beijing: inside a year the holiday calendar knows.
FROZEN_AT = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    from portal import clock

    frozen = FrozenClock(FROZEN_AT)
    monkeypatch.setattr(clock, "now", frozen.now)
    return frozen


# The demo clock's file, and a real time that a test lets flow (tests of portal/clock.py and load_demo).


class RealClock:
    """Stands in for the real time, so that a test can let it flow."""

    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def demo_clock_file(settings, tmp_path, monkeypatch):
    settings.DEMO_CLOCK_FILE = tmp_path / "demo-clock.json"
    monkeypatch.setattr(clock, "now", shifted_now)  # the tests using it test the clock itself
    monkeypatch.setattr(clock, "_cached", None)
    return settings.DEMO_CLOCK_FILE


@pytest.fixture
def real(monkeypatch):
    real = RealClock(dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(clock, "real_now", real)
    return real


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    clear_rate_limits()


def clear_rate_limits():
    """On Redis only the counters' keys go (the same database may hold a test worker's queues)."""
    redis_cache = getattr(cache, "_cache", None)
    if hasattr(redis_cache, "get_client"):
        client = redis_cache.get_client(write=True)
        for key in client.scan_iter(match="*ratelimit:*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _broker_not_paused():
    # A test that makes the broker fail leaves no pause behind (portal.queueing).
    queueing.resume()
    yield
    queueing.resume()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded evidence goes to a fresh directory per test.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


class World:
    """The personas every test shares: two employers, their HR, two applicants, a bureau and committees."""

    def __init__(self):
        f = factories
        self.city = f.RegionFactory()
        self.bureau = f.OrganisationFactory(
            name="衢州市人力资源和社会保障局", kind=OrgKind.CITY_BUREAU, credit_code=None
        )
        self.other_bureau = f.OrganisationFactory(
            name="绍兴市人力资源和社会保障局", kind=OrgKind.CITY_BUREAU, credit_code=None
        )
        self.employer = f.OrganisationFactory(
            name="衢州示例机电有限公司", parent_bureau=self.bureau, is_private=True
        )
        self.other_employer = f.OrganisationFactory(name="衢州另一材料有限公司", parent_bureau=self.bureau)
        self.plan = f.PlanFactory(receiving_org=self.bureau)
        self.committee = self.plan.committee
        self.other_plan = f.PlanFactory()
        self.other_committee = self.other_plan.committee
        _, self.quals, self.specialty = f.engineering_catalogue()
        self.applicant = self.user("applicant", Role.APPLICANT, self.employer)
        self.other_applicant = self.user("applicant2", Role.APPLICANT, self.other_employer)
        self.hr = self.user("hr", Role.HR, self.employer)
        self.other_hr = self.user("hr2", Role.HR, self.other_employer)
        self.officer = self.user("officer", Role.OFFICER, self.bureau)
        self.other_officer = self.user("officer2", Role.OFFICER, self.other_bureau)
        self.clerk = self.user("clerk", Role.CLERK, self.committee)
        self.other_clerk = self.user("clerk2", Role.CLERK, self.other_committee)
        self.auditor = self.user("auditor", Role.AUDITOR, self.bureau)
        # Each committee is approved and filed by its bureau for engineering titles up to 中级.
        self.committee.parent_bureau = self.bureau
        self.committee.save()
        self.other_committee.parent_bureau = self.other_bureau
        self.other_committee.save()
        self.authorise(self.committee, self.bureau)
        self.authorise(self.other_committee, self.other_bureau)

    def authorise(self, committee, bureau, **kwargs):
        from portal.models import TitleLevel

        params = dict(
            committee=committee,
            approved_by=bureau,
            actor=None,
            document_no="衢人社〔2026〕1号",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2028, 12, 31),
            series=[self.quals[3].series],
            min_level=TitleLevel.YUAN,
            max_level=TitleLevel.INTERMEDIATE,
            region=self.city,
        )
        params.update(kwargs)
        return authority_services.authority_create(**params)

    def auditor_of(self, code="330600", name="绍兴市", username="auditor_sx"):
        """An auditor (监督审计) of a bureau in another region (by default another city)."""
        from portal.models import Region

        level = (
            Region.Level.PROVINCE
            if code.endswith("0000")
            else Region.Level.CITY
            if code.endswith("00")
            else Region.Level.DISTRICT
        )
        region = factories.RegionFactory(code=code, name=name, level=level)
        bureau = factories.OrganisationFactory(
            name=f"{name}人力资源和社会保障局", kind=OrgKind.CITY_BUREAU, credit_code=None, region=region
        )
        return self.user(username, Role.AUDITOR, bureau)

    @staticmethod
    def user(username, role, org):
        user = factories.UserFactory(username=username)
        factories.MembershipFactory(user=user, organisation=org, role=role)
        return user

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def complete_archive(self, user, serial=101):
        archive = factories.ArchiveFactory(user=user, id_number=factories.resident_id(serial=serial))
        Education.objects.create(
            archive=archive,
            level="bachelor",
            school="浙江大学",
            major="机械工程",
            graduation_date=dt.date(2012, 6, 30),
        )
        WorkPeriod.objects.create(
            archive=archive, employer_name=self.employer.name, start=dt.date(2012, 7, 1)
        )
        return archive

    def draft(self, user=None, **kwargs):
        from applications import services

        user = user or self.applicant
        self.complete_archive(user, serial=kwargs.pop("serial", 101))
        params = dict(
            applicant=user,
            plan=self.plan,
            qualification=self.quals[3],
            specialty=self.specialty,
            sub_specialty=self.specialty.subspecialties.first(),
            declaration_type="normal",
            channel="employer",
            recommending_org=self.employer,
        )
        params.update(kwargs)
        return services.application_create(**params)

    def ready_draft(self, user=None, **kwargs):
        """A draft with everything needed for submission (materials, summary, pledge)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from applications import services

        user = user or self.applicant
        application = self.draft(user, **kwargs)
        services.evidence_upload(
            archive=application.archive,
            application=application,
            material_code="degree",
            upload=SimpleUploadedFile("degree.pdf", PDF_BYTES, "application/pdf"),
        )
        services.application_update(
            application=application, actor=user, work_summary="主持完成多项机电产品开发。"
        )
        services.application_sign_pledge(application=application, actor=user, ip="127.0.0.1")
        application.refresh_from_db()
        return application

    def submitted(self, user=None, **kwargs):
        from applications import services

        user = user or self.applicant
        application = self.ready_draft(user, **kwargs)
        return services.application_submit(application=application, actor=user)

    def publicised(self, applications, posted_on=None):
        from applications import publicity

        return publicity.publicity_start(
            stage="employer",
            applications=applications,
            actor=self.hr,
            publisher=self.employer,
            title="2026年度职称申报公示",
            posted_on=posted_on,
        )

    def through_employer_publicity(self, applications, clock):
        """Publicise, let the period end and sweep: the applications await the employer's recommendation."""
        from applications import publicity

        notice = self.publicised(applications)
        clock.set(notice.ends_at)
        publicity.publicity_sweep()
        return notice


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def celery_worker_process(settings):
    """A real Celery worker on a queue of its own (tests/worker/process.py), to `start()`, `kill()` and
    start again; tasks reach it when sent to `worker.queue`, and certificate work goes there too.
    Skipped without Redis and PostgreSQL."""
    if not real_stack():
        pytest.skip("needs REDIS_URL and PostgreSQL (set by .ci/run)")
    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CERTIFICATE_TASK_QUEUE = queue
    worker = Worker(queue)
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = previous
