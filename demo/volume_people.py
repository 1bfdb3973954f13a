"""The applicants of generate_volume: an account, a membership of the organisation they declare through, and
a performance archive with a few entries of each kind, as the snapshot taken at submission records them."""

from __future__ import annotations

import datetime as dt

from portal.models import Role
from portal.personal_data import archive_binding, id_digest, id_seal
from portal.validators import resident_id_check_char

from .tables import table
from .volume_context import Context, Users
from .volume_copy import Copier, reserve_ids

SCHOOLS = ["浙江大学", "浙江工业大学", "杭州电子科技大学", "浙江科技学院", "衢州职业技术学院", "宁波大学"]
MAJORS = ["机械设计制造及其自动化", "电气工程及其自动化", "土木工程", "计算机科学与技术", "化学工程与工艺"]
POSTS = ["技术员", "助理工程师", "工程师", "技术主管", "项目负责人"]
ACHIEVEMENTS = [
    ("paper", "关键工艺参数优化研究", "《机械工程师》", "", ""),
    ("patent", "一种自动定位装置", "国家知识产权局", "utility", ""),
    ("project", "生产线智能化改造项目", "", "", "municipal"),
    ("award", "市科学技术进步奖三等奖", "衢州市人民政府", "", "municipal"),
]
GRADES = ["qualified", "good", "excellent", "good"]
# Per person, at most this many rows of each kind (the ids are reserved up front).
ROWS_PER_PERSON = {
    "applications_education": 2,
    "applications_workperiod": 2,
    "applications_titleheld": 2,
    "applications_annualassessment": 3,
    "applications_continuingeducation": 3,
    "applications_achievement": 3,
    "applications_socialinsurancerecord": 3,
}
_ENTRY = ["id", "archive_id"]
COLUMNS = {
    "applications_archive": [
        "id",
        "user_id",
        "name",
        "gender",
        "id_type",
        "id_number_sealed",
        "id_number_digest",
    ]
    + ["birth_date"]
    + ["nationality", "phone", "email", "current_employer_id", "current_employer_name", "updated_at"],
    "applications_education": _ENTRY
    + ["level", "school", "major", "start_date", "graduation_date", "degree", "study_mode"]
    + ["technical_class", "origin", "certification_no"],
    "applications_workperiod": _ENTRY
    + ["employer_name", "employer_id", "start", "end", "post", "professional", "skilled"],
    "applications_titleheld": _ENTRY
    + ["series_id", "qualification_id", "name", "level", "obtained_date", "appointed_date", "method"]
    + ["issuer", "certificate_no", "certified"],
    "applications_annualassessment": [*_ENTRY, "year", "grade", "employer_name"],
    "applications_continuingeducation": _ENTRY
    + ["year", "public_hours", "industry_public_hours", "professional_hours"],
    "applications_achievement": _ENTRY
    + ["kind", "title", "date", "end_date", "level", "rank", "role", "patent_type", "issuer"]
    + ["issuer_is_government", "reference_no", "description"],
    "applications_socialinsurancerecord": [*_ENTRY, "year", "employer_name", "months", "province"],
}


class People:
    """Streams every applicant's rows; `add` returns the user id, the archive id and the snapshot."""

    def __init__(self, context: Context, users: Users, count: int):
        self.context = context
        self.users = users
        self.copiers = {name: Copier(name, columns) for name, columns in COLUMNS.items()}
        self.next_ids = {name: reserve_ids(name, count * n) for name, n in ROWS_PER_PERSON.items()}
        self.next_ids["applications_archive"] = reserve_ids("applications_archive", count)
        self.titles = self.copiers["applications_titleheld"]
        context.tables |= set(COLUMNS)
        names = table("experts")
        self.surnames, self.given = names["surnames"], names["given_names"]

    def _id(self, name: str) -> int:
        value = self.next_ids[name]
        self.next_ids[name] += 1
        return value

    def _row(self, name: str, row: list) -> int:
        pk = self._id(name)
        self.copiers[name].add([pk, *row])
        return pk

    def title_id(self) -> int:
        return self._id("applications_titleheld")

    def add(self, index: int, *, org, qualification, year: int) -> tuple[int, int, dict]:
        context, rng = self.context, self.context.rng
        g = context.run * 10_000_000 + index
        name = self.surnames[g % len(self.surnames)] + self.given[(g * 7 + g // 97) % len(self.given)]
        # A unique resident ID per person and run (district, birth date and serial derived from g, in
        # districts the demo's own applicants do not use).
        born = dt.date(1966, 1, 1) + dt.timedelta(days=(g // 5994) * 37 % 11000)
        district = ["330824", "330825", "330881", "330102", "330106", "330108"][g % 6]
        serial = (g // 6) % 999
        first17 = f"{district}{born:%Y%m%d}{serial:03d}"
        id_number = first17 + resident_id_check_char(first17)
        gender = "male" if serial % 2 else "female"
        username = f"{context.prefix()}-{index:07d}"
        user_id = self.users.add(username, name, org_id=org.pk, role=Role.APPLICANT)
        phone = f"13{(g * 7919) % 1_000_000_000:09d}"
        archive_id = self._row(
            "applications_archive",
            [
                user_id,
                name,
                gender,
                "resident",
                id_seal(id_number, bound_to=archive_binding(user_id)),
                id_digest(id_number),
                born,
                "中国",
                phone,
                f"{username}@volume.example.cn",
            ]
            + [org.pk, org.name, context.now],
        )
        graduated = dt.date(max(born.year + 22, 1990), 6, 30)
        snapshot = {
            "identity": {
                "name": name,
                "gender": gender,
                "id_type": "resident",
                "id_number": id_number,
                "birth_date": born.isoformat(),
                "nationality": "中国",
                "current_employer": org.name,
                "current_employer_credit_code": org.credit_code,
            },
            "educations": [],
            "work_periods": [],
            "titles": [],
            "assessments": [],
            "ce_hours": [],
            "achievements": [],
            "social_insurance": [],
        }
        school, major = SCHOOLS[g % len(SCHOOLS)], MAJORS[g % len(MAJORS)]
        level = "bachelor" if g % 3 else "junior_college"
        pk = self._row(
            "applications_education",
            [archive_id, level, school, major, graduated.replace(year=graduated.year - 4, month=9, day=1)]
            + [graduated, "工学学士" if level == "bachelor" else "", "full_time", "", "domestic", ""],
        )
        snapshot["educations"].append(
            {"id": pk, "level": level, "school": school, "major": major, "degree": "", "origin": "domestic"}
            | {"study_mode": "full_time", "graduation_date": graduated.isoformat(), "technical_class": ""}
            | {"certification_no": ""}
        )
        switch = graduated + dt.timedelta(days=365 * (2 + g % 5))
        for start, end, employer, employer_id in (
            (graduated + dt.timedelta(days=1), switch, f"{school[:2]}机械厂", None),
            (switch + dt.timedelta(days=1), None, org.name, org.pk),
        ):
            post = POSTS[(g + start.year) % len(POSTS)]
            pk = self._row(
                "applications_workperiod", [archive_id, employer, employer_id, start, end, post, True, False]
            )
            snapshot["work_periods"].append(
                {"id": pk, "start": start.isoformat(), "end": end and end.isoformat(), "post": post}
                | {"skilled": False, "professional": True, "employer_name": employer}
            )
        if qualification.level > 2:
            obtained = switch + dt.timedelta(days=180)
            pk = self._row(
                "applications_titleheld",
                [archive_id, qualification.series_id, None, "助理工程师", qualification.level - 1, obtained]
                + [obtained, "review", "衢州市人力资源和社会保障局", f"Z{g:010d}", False],
            )
            snapshot["titles"].append(
                {"id": pk, "name": "助理工程师", "level": qualification.level - 1, "method": "review"}
                | {"obtained_date": obtained.isoformat(), "appointed_date": obtained.isoformat()}
            )
        for offset in (3, 2, 1):
            y = year - offset
            grade = GRADES[(g + y) % len(GRADES)]
            pk = self._row("applications_annualassessment", [archive_id, y, grade, org.name])
            snapshot["assessments"].append({"id": pk, "year": y, "grade": grade})
            hours = [12, 8, 70 + (g + y) % 20]
            pk = self._row("applications_continuingeducation", [archive_id, y, *hours])
            snapshot["ce_hours"].append(
                {
                    "id": pk,
                    "year": y,
                    "public": hours[0],
                    "industry_public": hours[1],
                    "professional": hours[2],
                }
            )
            pk = self._row("applications_socialinsurancerecord", [archive_id, y, org.name, 12, "浙江省"])
            snapshot["social_insurance"].append(
                {"id": pk, "year": y, "months": 12, "province": "浙江省", "employer_name": org.name}
            )
        for k in range(1 + rng.randrange(3)):
            kind, title, issuer, patent, level = ACHIEVEMENTS[(g + k) % len(ACHIEVEMENTS)]
            day = dt.date(year - 1 - k, 1 + (g + k) % 12, 1 + g % 28)
            pk = self._row(
                "applications_achievement",
                [archive_id, kind, title, day, None, level, 1 + k, "", patent, issuer, bool(level), "", ""],
            )
            snapshot["achievements"].append(
                {"id": pk, "date": day.isoformat(), "kind": kind, "rank": 1 + k, "role": "", "level": level}
                | {"title": title, "issuer": issuer, "end_date": None, "patent_type": patent}
                | {"issuer_is_government": bool(level)}
            )
        return user_id, archive_id, snapshot

    def close(self) -> None:
        for copier in self.copiers.values():
            copier.close()
