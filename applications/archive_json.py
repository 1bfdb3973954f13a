"""The archive in its JSON form: the shape the API returns, the snapshot an application
keeps, and the input of the eligibility rules (`docs/archive-json.md`)."""

from __future__ import annotations

from portal.personal_data import (
    id_digest,
    id_seal_text,
    id_unseal_text,
    is_masked,
    mask_id_number,
    snapshot_binding,
)

from .models import Archive


def _d(value) -> str | None:
    return value.isoformat() if value else None


def archive_to_json(archive: Archive, *, ids: bool = False) -> dict:
    """The archive JSON; with `ids`, each entry also carries its row's `id` (readers ignore the key)."""
    titles = archive.titles.select_related("series", "qualification")

    def row(entry, data: dict) -> dict:
        return {"id": entry.pk, **data} if ids else data

    return {
        "identity": {
            "name": archive.name,
            "gender": archive.gender,
            "id_type": archive.id_type,
            "id_number": archive.id_number,
            "birth_date": _d(archive.birth_date),
            "nationality": archive.nationality,
            "current_employer": archive.current_employer.name
            if archive.current_employer_id
            else archive.current_employer_name,
            "current_employer_credit_code": archive.current_employer.credit_code
            if archive.current_employer_id
            else None,
        },
        "educations": [
            row(
                e,
                {
                    "level": e.level,
                    "school": e.school,
                    "major": e.major,
                    "graduation_date": _d(e.graduation_date),
                    "degree": e.degree,
                    "study_mode": e.study_mode,
                    "technical_class": e.technical_class,
                    "origin": e.origin,
                    "certification_no": e.certification_no,
                },
            )
            for e in archive.educations.all()
        ],
        "work_periods": [
            row(
                w,
                {
                    "employer_name": w.employer_name,
                    "start": _d(w.start),
                    "end": _d(w.end),
                    "post": w.post,
                    "professional": w.professional,
                    "skilled": w.skilled,
                },
            )
            for w in archive.work_periods.all()
        ],
        "titles": [
            row(
                t,
                {
                    "series": t.series.code if t.series_id else "",
                    "level": t.level,
                    "name": t.display_name,
                    "obtained_date": _d(t.obtained_date),
                    "appointed_date": _d(t.appointed_date),
                    "method": t.method,
                },
            )
            for t in titles
        ],
        "skill_certificates": [
            row(s, {"level": s.level, "occupation": s.occupation, "obtained_date": _d(s.obtained_date)})
            for s in archive.skill_certificates.all()
        ],
        "assessments": [row(a, {"year": a.year, "grade": a.grade}) for a in archive.assessments.all()],
        "ce_hours": [
            row(
                c,
                {
                    "year": c.year,
                    "public": c.public_hours,
                    "industry_public": c.industry_public_hours,
                    "professional": c.professional_hours,
                },
            )
            for c in archive.ce_hours.all()
        ],
        "achievements": [
            row(
                a,
                {
                    "kind": a.kind,
                    "title": a.title,
                    "date": _d(a.date),
                    "end_date": _d(a.end_date),
                    "level": a.level,
                    "rank": a.rank,
                    "role": a.role,
                    "patent_type": a.patent_type,
                    "issuer": a.issuer,
                    "issuer_is_government": a.issuer_is_government,
                },
            )
            for a in archive.achievements.all()
        ],
        "social_insurance": [
            row(
                s,
                {
                    "year": s.year,
                    "employer_name": s.employer_name,
                    "months": s.months,
                    "province": s.province,
                },
            )
            for s in archive.social_insurance.all()
        ],
    }


def snapshot_of(archive: Archive, *, application_id, data: dict | None = None) -> dict:
    """The archive JSON an application freezes on submission (with entry ids; `data`: that JSON when the
    caller has read it). Its ID number is kept masked, beside the number sealed to the application and
    its keyed hash: a raw read of the table finds no number, and reviewers who may see it in full open
    it through `snapshot_id_number`."""
    data = dict(data) if data else archive_to_json(archive, ids=True)
    data["identity"] = sealed_identity(data["identity"], application_id=application_id)
    return data


def sealed_identity(identity: dict, *, application_id) -> dict:
    """The identity of a snapshot with its number masked, sealed to the application and hashed."""
    number = identity.get("id_number") or ""
    return {
        **identity,
        "id_number": mask_id_number(number),
        "id_number_sealed": id_seal_text(number, bound_to=snapshot_binding(application_id)),
        "id_number_digest": id_digest(number),
    }


def snapshot_id_number(application) -> str:
    """The full number of an application's snapshot (for the readers allowed to see it)."""
    identity = (application.snapshot or {}).get("identity") or {}
    if "id_number_sealed" in identity:
        return id_unseal_text(identity["id_number_sealed"], bound_to=snapshot_binding(application.pk))
    number = identity.get("id_number") or ""
    return "" if is_masked(number) else number
