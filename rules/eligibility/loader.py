"""The database side of an evaluation: load a plan's rule set and the facts it needs once, as plain data,
so evaluating one archive or ten thousand costs the same handful of queries.

Queries of ``PlanRules.load``: the rule set with its plan, qualification and series (1), its honour
categories (1), the enterprise honours valid for the plan (1, only for templates with 破格B), the
plan's live 破格B reservations (1) and the integrity bans covering the plan's year (1). Employers are
looked up by credit code in one more query per batch (``prefetch_employers``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from portal.models import Organisation
from rules.models import EnterpriseHonour, ExceptionalBReservation, IntegrityRecord, RuleSet

from .archive import Archive, parse_archive
from .context import BanInfo, EmployerInfo, EvalContext, HonourInfo, RuleSetData
from .employer import honour_window
from .engine import evaluate
from .exceptions import RuleSetMissing
from .result import Result
from .templates import get_template


def ruleset_data(ruleset, *, categories: Iterable[Any] | None = None) -> RuleSetData:
    """Plain data of a rules.models.RuleSet (expects plan, qualification and series loaded)."""
    template = get_template(ruleset.template)
    cats = list(categories) if categories is not None else list(ruleset.honour_categories.all())
    qualification = ruleset.qualification
    return RuleSetData(
        template=ruleset.template,
        params=template.resolve(ruleset.params),
        year=ruleset.plan.year,
        plan_code=ruleset.plan.code,
        qualification_name=qualification.name,
        qualification_level=qualification.level,
        series_code=qualification.series.code,
        series_name=qualification.series.name,
        series_exam_based=qualification.series.exam_based,
        document=ruleset.document_no or template.document,
        honour_categories=tuple((c.code, c.name) for c in cats),
    )


def honour_window_for(rs: RuleSetData) -> tuple[dt.date, dt.date] | None:
    if "b.window_start" not in rs.params:
        return None
    return honour_window(rs)


def _org_info(org, honours: tuple[HonourInfo, ...] = ()) -> dict[str, Any]:
    return {
        "name": org.name,
        "credit_code": org.credit_code,
        "organisation_id": org.pk,
        "kind": org.kind,
        "is_private": org.is_private,
        "honours": honours,
    }


def _of_employer(field: str, archive: Archive, enterprise) -> Q:
    """Rows of the one employer an evaluation judges by: `enterprise`, else the archive's credit code."""
    if enterprise is not None:
        return Q(**{f"{field}_id": enterprise.pk})
    code = archive.identity.current_employer_credit_code
    return Q(**{f"{field}__credit_code": code}) if code else Q(pk__in=[])


class PlanRules:
    """Everything needed to evaluate archives for one plan and qualification, loaded once."""

    def __init__(
        self,
        *,
        ruleset,
        data: RuleSetData,
        honours: Mapping[int, tuple[HonourInfo, ...]],
        orgs: Mapping[int, dict[str, Any]],
        reservations: Mapping[int, dict[str, int]],
        bans: Mapping[tuple[str, str], tuple[BanInfo, ...]],
    ):
        self.ruleset = ruleset
        self.data = data
        self._honours = honours
        self._orgs = dict(orgs)  # organisation id → employer fields
        self._by_code = {o["credit_code"]: pk for pk, o in self._orgs.items() if o["credit_code"]}
        self._looked_up: set[str] = set(self._by_code)
        self._reservations = reservations  # organisation id → {application id: slot}
        self._bans = bans

    @classmethod
    def load(cls, *, plan, qualification, only: Archive | None = None, enterprise=None) -> PlanRules:
        """The plan's rules with the facts they consult. With `only` (one archive to evaluate, as a page
        does), the facts are those of its person and its employer alone (`enterprise`, or the employer the
        archive names), so the cost does not grow with the province's bans, honours and reservations."""
        ruleset = (
            RuleSet.objects.select_related("plan", "qualification__series")
            .filter(plan=plan, qualification=qualification, is_active=True)
            .first()
        )
        if ruleset is None:
            raise RuleSetMissing(f"评审计划“{plan}”尚未为“{qualification}”配置资格条件规则集")
        categories = list(ruleset.honour_categories.all())
        data = ruleset_data(ruleset, categories=categories)

        honours: dict[int, list[HonourInfo]] = defaultdict(list)
        orgs: dict[int, dict[str, Any]] = {}
        window = honour_window_for(data)
        if window is not None and categories:
            rows = EnterpriseHonour.objects.select_related("organisation", "category").filter(
                category__in=categories, issued_on__range=window
            )
            if only is not None:
                rows = rows.filter(_of_employer("organisation", only, enterprise))
            for h in rows:
                honours[h.organisation_id].append(
                    HonourInfo(
                        category_code=h.category.code,
                        category_name=h.category.name,
                        level=h.level,
                        title=h.title,
                        document_no=h.document_no,
                        issued_on=h.issued_on,
                    )
                )
                orgs[h.organisation_id] = _org_info(h.organisation)

        reservations: dict[int, dict[str, int]] = defaultdict(dict)
        live = ExceptionalBReservation.objects.filter(plan=plan, released_at__isnull=True)
        if only is not None:
            live = live.filter(_of_employer("enterprise", only, enterprise))
        for r in live.values("enterprise_id", "application_id", "slot"):
            reservations[r["enterprise_id"]][str(r["application_id"])] = r["slot"]

        bans: dict[tuple[str, str], list[BanInfo]] = defaultdict(list)
        covering = IntegrityRecord.objects.filter(
            withdrawn_at__isnull=True, ban_first_year__lte=plan.year, ban_last_year__gte=plan.year
        )
        if only is not None:
            ident = only.identity
            covering = covering.filter(id_type=ident.id_type, id_number_digest=ident.id_number_digest or None)
        for b in covering:
            bans[(b.id_type, b.id_number_digest)].append(
                BanInfo(
                    review_year=b.review_year,
                    first_year=b.ban_first_year,
                    last_year=b.ban_last_year,
                    level=b.level,
                    decision_document=b.decision_document,
                    finding=b.get_kind_display(),
                )
            )
        return cls(
            ruleset=ruleset,
            data=data,
            honours={k: tuple(v) for k, v in honours.items()},
            orgs=orgs,
            reservations=reservations,
            bans={k: tuple(v) for k, v in bans.items()},
        )

    # ------------------------------------------------------------ employers

    def prefetch_employers(self, credit_codes: Iterable[str | None]) -> None:
        """One query for every employer named by credit code in a batch of archives."""
        wanted = {c.upper() for c in credit_codes if c} - self._looked_up
        if not wanted:
            return
        self._looked_up |= wanted
        for org in Organisation.objects.filter(credit_code__in=wanted).only(
            "id", "name", "credit_code", "kind", "is_private"
        ):
            self._orgs[org.pk] = _org_info(org)
            self._by_code[org.credit_code] = org.pk

    def employer(
        self, *, credit_code: str | None, name: str = "", enterprise=None, application_id: str | None = None
    ) -> EmployerInfo | None:
        if enterprise is not None:
            self._orgs.setdefault(enterprise.pk, _org_info(enterprise))
            pk = enterprise.pk
        else:
            pk = self._by_code.get(credit_code.upper()) if credit_code else None
        if pk is None:
            if not credit_code and not name:
                return None
            return EmployerInfo(name=name, credit_code=credit_code)
        fields = dict(self._orgs[pk])
        taken = self._reservations.get(pk, {})
        used = len(taken) - (1 if application_id and application_id in taken else 0)
        return EmployerInfo(**{**fields, "honours": self._honours.get(pk, ()), "quota_used": used})

    def reservation_slot(self, application_id: str | None) -> int | None:
        if not application_id:
            return None
        for taken in self._reservations.values():
            if application_id in taken:
                return taken[application_id]
        return None

    # ------------------------------------------------------------ evaluation

    def context_for(
        self,
        archive: Archive,
        *,
        specialty_matches: bool = True,
        declaration_type: str | None = None,
        exceptional_class: str = "",
        enterprise=None,
        application_id: Any = None,
    ) -> EvalContext:
        app_id = str(application_id) if application_id else None
        ident = archive.identity
        employer = self.employer(
            credit_code=ident.current_employer_credit_code,
            name=ident.current_employer,
            enterprise=enterprise,
            application_id=app_id,
        )
        digest = ident.id_number_digest
        bans = self._bans.get((ident.id_type, digest), ()) if digest else ()
        return EvalContext(
            specialty_matches=specialty_matches,
            declaration_type=declaration_type or None,
            exceptional_class=exceptional_class or "",
            employer=employer,
            bans=bans,
            reservation_slot=self.reservation_slot(app_id),
        )

    def evaluate(self, archive: Archive | Mapping[str, Any], *, prefetch: bool = True, **kwargs) -> Result:
        """Evaluate one archive; ``prefetch=False`` when the batch's employers were prefetched already."""
        if not isinstance(archive, Archive):
            archive = parse_archive(archive)
        if prefetch and kwargs.get("enterprise") is None:
            self.prefetch_employers([archive.identity.current_employer_credit_code])
        return evaluate(archive, self.data, self.context_for(archive, **kwargs))
