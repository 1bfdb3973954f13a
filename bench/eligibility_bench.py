"""Benchmark of the bulk eligibility check: ``manage.py eligibility --bulk`` over 100, 1,000 and 10,000
archives, measuring wall time and counting database queries. The number of queries must not depend on
the number of archives; the script exits with status 1 if it does.

    .venv/bin/python bench/eligibility_bench.py                      # SQLite (in-memory test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python bench/eligibility_bench.py
    .venv/bin/python bench/eligibility_bench.py --sizes 100,1000 --output-format xlsx

It creates a throwaway test database (Django's test-database machinery, named test_<name>), fills it with
a plan, the seed 003 rule set, 200 enterprises (a quarter of them with an honour of 附件2, some places
already taken) and 100 integrity records, writes deterministic random archives as JSON lines and runs
the management command on them. Nothing is left behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import Organisation, OrgKind, Qualification, Region, ReviewPlan, Series, TitleLevel  # noqa: E402
from portal.validators import resident_id_check_char, uscc_check_char  # noqa: E402

YEAR = 2023
LEVELS = ["secondary", "junior_college", "bachelor", "bachelor", "bachelor", "master", "doctor"]
GRADES = ["excellent", "good", "qualified", "qualified", "qualified", "basic"]


def credit_code(n: int) -> str:
    first17 = f"91330604MA{n:07d}"[:17]
    return first17 + uscc_check_char(first17)


def id_number(n: int) -> str:
    first17 = f"330604{dt.date(1970, 1, 1) + dt.timedelta(days=n % 12000):%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def setup_data():
    from rules.models import HonourCategory
    from rules.services.honours import enterprise_honour_record, exceptional_b_quota_reserve
    from rules.services.integrity import integrity_record_create
    from rules.services.rulesets import ruleset_install_defaults

    region = Region.objects.create(code="330604", name="上虞区", level=Region.Level.DISTRICT)
    committee = Organisation.objects.create(
        name="上虞区机械电机工程技术人员中级评审委员会", kind=OrgKind.COMMITTEE, region=region
    )
    series = Series.objects.create(code="engineering", name="工程")
    engineer = Qualification.objects.create(series=series, level=TitleLevel.INTERMEDIATE, name="工程师")
    now = timezone.now()
    plan = ReviewPlan.objects.create(
        code="bench-2023",
        title="2023年度机电制造工程师评审",
        committee=committee,
        year=YEAR,
        opens_at=now - dt.timedelta(days=10),
        declaration_deadline=now + dt.timedelta(days=10),
        employer_deadline=now + dt.timedelta(days=20),
        material_deadline=now + dt.timedelta(days=20),
    )
    plan.qualifications.add(engineer)
    ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=engineer)
    categories = list(HonourCategory.objects.all())
    rng = random.Random(7)
    enterprises = []
    for n in range(200):
        org = Organisation.objects.create(
            name=f"上虞示例机电企业{n}",
            kind=OrgKind.ENTERPRISE,
            region=region,
            credit_code=credit_code(n),
            is_private=n % 5 != 0,
        )
        enterprises.append(org)
        if n % 4 == 0:
            enterprise_honour_record(
                organisation=org,
                category=rng.choice(categories),
                level=rng.choice(["national", "provincial"]),
                title="荣誉",
                issued_on=dt.date(2022, 7, 1) + dt.timedelta(days=rng.randrange(365)),
            )
            if n % 8 == 0:
                exceptional_b_quota_reserve(plan=plan, enterprise=org, application_id=uuid.uuid4())
    for n in range(100):
        integrity_record_create(
            id_type="resident",
            id_number=id_number(n * 37),
            name=f"记录{n}",
            review_year=YEAR - 1 - n % 4,
            level=TitleLevel.INTERMEDIATE,
            finding="提供虚假材料",
            decision_date=dt.date(YEAR - 1, 12, 1),
        )
    return plan


def random_archive(n: int, rng: random.Random) -> dict:
    level = rng.choice(LEVELS)
    graduated = dt.date(rng.randrange(1998, 2022), rng.choice([6, 7]), rng.choice([30, 1]))
    periods, start = [], graduated + dt.timedelta(days=rng.randrange(0, 200))
    while start.year <= YEAR:
        end = start + dt.timedelta(days=rng.randrange(300, 3000))
        ongoing = end.year > YEAR or rng.random() < 0.3
        periods.append(
            {
                "employer_name": f"单位{rng.randrange(1000)}",
                "start": start.isoformat(),
                "end": None if ongoing else end.isoformat(),
                "post": "技术",
                "professional": rng.random() < 0.9,
                "skilled": rng.random() < 0.2,
            }
        )
        if ongoing:
            break
        start = end + dt.timedelta(days=rng.randrange(1, 400))
    titles = []
    if rng.random() < 0.6:
        obtained = graduated + dt.timedelta(days=rng.randrange(300, 4000))
        if obtained.year <= YEAR:
            titles.append(
                {
                    "series": "engineering",
                    "level": 2,
                    "name": "助理工程师",
                    "obtained_date": obtained.isoformat(),
                    "appointed_date": None,
                    "method": "review",
                }
            )
    skills = []
    if rng.random() < 0.15:
        skills.append(
            {
                "level": rng.choice(["advanced_worker", "technician", "senior_technician"]),
                "occupation": "钳工",
                "obtained_date": dt.date(rng.randrange(2005, 2023), 5, 1).isoformat(),
            }
        )
    achievements = []
    for _ in range(rng.randrange(0, 6)):
        kind = rng.choice(["project", "patent", "paper", "award", "honour", "post", "software_copyright"])
        achievements.append(
            {
                "kind": kind,
                "title": f"业绩{rng.randrange(10000)}",
                "date": dt.date(rng.randrange(2012, 2024), 3, 1).isoformat(),
                "end_date": None,
                "level": rng.choice(["", "national", "provincial", "municipal", "county", "enterprise"]),
                "rank": rng.choice([None, 1, 1, 2, 5]),
                "role": rng.choice(["", "项目负责人", "参与"]),
                "patent_type": rng.choice(["invention", "utility", "design"]) if kind == "patent" else "",
                "issuer": "",
                "issuer_is_government": rng.random() < 0.5,
            }
        )
    code = credit_code(rng.randrange(300))  # a third of the codes are not registered in the portal
    return {
        "identity": {
            "name": f"申报人{n}",
            "gender": "male",
            "id_type": "resident",
            "id_number": id_number(n),
            "birth_date": None,
            "nationality": "中国",
            "current_employer": "某公司",
            "current_employer_credit_code": code,
        },
        "educations": [
            {
                "level": level,
                "school": "某校",
                "major": "机械",
                "graduation_date": graduated.isoformat(),
                "degree": "",
                "study_mode": "full_time",
                "technical_class": rng.choice(["", "", "", "advanced_worker"]),
                "origin": "domestic",
                "certification_no": "",
            }
        ],
        "work_periods": periods,
        "titles": titles,
        "skill_certificates": skills,
        "assessments": [
            {"year": y, "grade": rng.choice(GRADES)} for y in range(YEAR - 3, YEAR) if rng.random() < 0.95
        ],
        "ce_hours": [
            {
                "year": y,
                "public": rng.randrange(10, 30),
                "industry_public": rng.randrange(0, 10),
                "professional": rng.randrange(40, 90),
            }
            for y in range(YEAR - 2, YEAR + 1)
        ],
        "achievements": achievements,
        "social_insurance": [],
    }


def write_jsonl(path: Path, n: int) -> None:
    rng = random.Random(n)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            envelope = {
                "ref": f"R{i}",
                "archive": random_archive(i, rng),
                "specialty_matches": rng.random() < 0.85,
                "declaration_type": rng.choice([None, "normal", "exceptional", "skills"]),
            }
            out.write(json.dumps(envelope, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--output-format", default="csv", choices=["csv", "xlsx", "jsonl"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows = []
    try:
        setup_data()
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                src = Path(tmp) / f"archives-{n}.jsonl"
                out = Path(tmp) / f"result-{n}.{args.output_format}"
                write_jsonl(src, n)
                message = io.StringIO()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    call_command(
                        "eligibility",
                        "--plan",
                        "bench-2023",
                        "--bulk",
                        str(src),
                        "--output",
                        str(out),
                        stdout=message,
                    )
                seconds = time.perf_counter() - started
                rows.append((n, seconds, len(queries)))
                print(message.getvalue().strip())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}; output: .{args.output_format}")
    print(f"{'archives':>9} {'seconds':>9} {'archives/s':>11} {'queries':>8}")
    for n, seconds, count in rows:
        print(f"{n:>9} {seconds:>9.2f} {n / seconds:>11.0f} {count:>8}")
    counts = {count for _, _, count in rows}
    if len(counts) != 1:
        print("FAIL: the number of queries depends on the number of archives")
        return 1
    print("OK: the number of queries does not depend on the number of archives")
    return 0


if __name__ == "__main__":
    sys.exit(main())
