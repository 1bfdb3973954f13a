"""The demo applicants' performance archives (业绩档案): education, work, titles, assessments, records."""

from __future__ import annotations

import datetime as dt

from applications.models import (
    Achievement,
    AnnualAssessment,
    Archive,
    ContinuingEducation,
    Education,
    SkillCertificate,
    SocialInsuranceRecord,
    TitleHeld,
    WorkPeriod,
)
from portal.validators import IdType, validate_id_number

from .identifiers import resident_id
from .state import DemoState

# Years in an applicant's table are relative to the load date: assessments cover the last three completed
# years (Y-3..Y-1), continuing education the current year and the two before it (Y-2..Y), as in seed 003
# (2021–2023 for 2023).


def archive_put(state: DemoState, user, spec: dict) -> Archive:
    birth = dt.date.fromisoformat(spec["birth"])
    id_number = resident_id(spec["id_prefix"], birth, spec["id_serial"])
    validate_id_number(IdType.RESIDENT, id_number, today=state.today)
    employer = state.orgs[spec["org"]]
    archive, _ = Archive.objects.update_or_create(
        user=user,
        defaults={
            "name": spec["name"],
            "gender": spec["gender"],
            "id_type": IdType.RESIDENT,
            "id_number": id_number,
            "birth_date": birth,
            "nationality": "中国",
            "phone": spec["phone"],
            "email": user.email,
            "current_employer": employer,
            "current_employer_name": employer.name,
        },
    )
    for row in spec["educations"]:
        Education.objects.update_or_create(
            archive=archive,
            level=row["level"],
            school=row["school"],
            defaults={
                "major": row["major"],
                "start_date": _date(row["start_date"]),
                "graduation_date": _date(row["graduation_date"]),
                "degree": row["degree"],
            },
        )
    periods = _work_periods(state, archive, spec["work"])
    for row in spec["titles"]:
        qual = state.quals[row["series"], row["qualification"]]
        TitleHeld.objects.update_or_create(
            archive=archive,
            qualification=qual,
            defaults={
                "series": qual.series,
                "level": qual.level,
                "obtained_date": _date(row["obtained_date"]),
                "appointed_date": _date(row["appointed_date"]),
                "method": row["method"],
                "issuer": row["issuer"],
                "certificate_no": row["certificate_no"],
            },
        )
    for row in spec["skills"]:
        SkillCertificate.objects.update_or_create(
            archive=archive,
            level=row["level"],
            occupation=row["occupation"],
            defaults={
                "obtained_date": _date(row["obtained_date"]),
                "certificate_no": row["certificate_no"],
            },
        )
    year = state.today.year
    for offset, grade in zip((3, 2, 1), spec["assessments"], strict=True):
        AnnualAssessment.objects.update_or_create(
            archive=archive,
            year=year - offset,
            defaults={"grade": grade, "employer_name": _employer_in(periods, year - offset)},
        )
    for offset, (public, industry, professional) in zip((2, 1, 0), spec["ce"], strict=True):
        ContinuingEducation.objects.update_or_create(
            archive=archive,
            year=year - offset,
            defaults={
                "public_hours": public,
                "industry_public_hours": industry,
                "professional_hours": professional,
            },
        )
    for row in spec["achievements"]:
        fields = {k: v for k, v in row.items() if k not in ("kind", "title")}
        fields["date"] = _date(fields["date"])
        Achievement.objects.update_or_create(
            archive=archive, kind=row["kind"], title=row["title"], defaults=fields
        )
    # Three full years of pension contributions, and the current year's months so far.
    insured = [(year - offset, 12) for offset in (3, 2, 1)]
    if state.today.month > 1:
        insured.append((year, state.today.month - 1))
    for insured_year, months in insured:
        SocialInsuranceRecord.objects.update_or_create(
            archive=archive,
            year=insured_year,
            employer_name=_employer_in(periods, insured_year),
            defaults={"months": months, "province": "浙江省"},
        )
    return archive


def _work_periods(state: DemoState, archive: Archive, rows: list[dict]) -> list[WorkPeriod]:
    periods = []
    for row in rows:
        org, name = state.employer(row["employer"]) if "employer" in row else (None, row["employer_name"])
        period, _ = WorkPeriod.objects.update_or_create(
            archive=archive,
            start=_date(row["start"]),
            defaults={
                "employer": org,
                "employer_name": name,
                "end": _date(row["end"]),
                "post": row["post"],
                "professional": row.get("professional", True),
                "skilled": row.get("skilled", False),
            },
        )
        periods.append(period)
    return periods


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _employer_in(periods: list[WorkPeriod], year: int) -> str:
    """The employer on 1 July of `year` (the one paying social insurance, or making the assessment)."""
    day = dt.date(year, 7, 1)
    for period in periods:
        if period.start <= day and (period.end is None or day <= period.end):
            return period.employer_name
    return periods[-1].employer_name
