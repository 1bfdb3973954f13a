"""The demo's title catalogue: series, qualifications, specialties and the sub-specialties of 机电制造."""

from __future__ import annotations

from portal.models import Qualification, Series, Specialty, SubSpecialty

from .state import DemoState
from .tables import table


def load_catalogue(state: DemoState) -> None:
    data = table("catalogue")
    for row in data["series"]:
        state.series[row["code"]], _ = Series.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "exam_based": row["exam_based"]}
        )
    for series_code, ladder in data["qualifications"].items():
        for level, name in ladder:
            state.quals[series_code, name], _ = Qualification.objects.update_or_create(
                series=state.series[series_code], name=name, defaults={"level": level}
            )
    for series_code, rows in data["specialties"].items():
        for code, name in rows:
            state.specialties[series_code, name], _ = Specialty.objects.update_or_create(
                series=state.series[series_code], code=code, defaults={"name": name}
            )
    jidian = state.specialties["engineering", "机电制造"]
    for name in data["jidian_subspecialties"]:
        SubSpecialty.objects.get_or_create(specialty=jidian, name=name)
