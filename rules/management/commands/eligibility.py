"""manage.py eligibility: check archives against a plan's eligibility rules, offline.

    manage.py eligibility --plan P --archive person.json              # one archive, result JSON on stdout
    manage.py eligibility --plan P --bulk list.xlsx --output out.xlsx # many archives → a result table
    manage.py eligibility --plan P --install zj_engineer_mid_2023     # default rule set from a template
    manage.py eligibility --templates                                 # the templates and their parameters

Input forms: docs/archive-json.md. Output: docs/eligibility.md."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Organisation, Qualification, ReviewPlan
from rules.eligibility.bulk import read_inputs
from rules.eligibility.bulk_output import ResultTable
from rules.eligibility.exceptions import EligibilityError
from rules.eligibility.result import VERDICT_LABEL
from rules.eligibility.templates import all_templates
from rules.services.evaluation import BulkInput, evaluate_for, evaluate_many
from rules.services.rulesets import ruleset_install_defaults
from rules.vocab import DeclarationType


class Command(BaseCommand):
    help = "按评审计划的资格条件规则检查业绩档案（单个档案输出JSON，批量输出结果表）。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="评审计划编号（ReviewPlan.code）")
        parser.add_argument("--qualification", help="申报资格名称或ID；计划只有一个规则集时可省略")
        parser.add_argument("--archive", help="一个档案的JSON文件（archive_to_json 的格式）；- 表示标准输入")
        parser.add_argument("--bulk", help="多个档案：JSON lines（.jsonl）或 Excel（.xlsx）")
        parser.add_argument("--output", help="批量结果表：.xlsx、.csv 或 .jsonl")
        parser.add_argument(
            "--declaration-type", choices=DeclarationType.values, help="申报类型（默认检查全部途径）"
        )
        parser.add_argument("--exceptional-class", choices=["A", "B"], default="", help="破格类别")
        parser.add_argument("--specialty-mismatch", action="store_true", help="所学专业与申报专业不对口")
        parser.add_argument("--enterprise", help="按此统一社会信用代码的企业判断（默认取档案中的现工作单位）")
        parser.add_argument("--application-id", help="申报ID（识别其已占用的破格B类名额）")
        parser.add_argument("--install", metavar="TEMPLATE", help="按模板为计划创建（或重置）默认规则集")
        parser.add_argument("--templates", action="store_true", help="列出规则模板及其参数")
        parser.add_argument("--compact", action="store_true", help="单行输出JSON")

    def handle(self, *args, **opts):
        if opts["templates"]:
            return self._templates()
        if not opts["plan"]:
            raise CommandError("请用 --plan 指定评审计划编号")
        try:
            plan = ReviewPlan.objects.get(code=opts["plan"])
        except ReviewPlan.DoesNotExist:
            raise CommandError(f"没有编号为 {opts['plan']} 的评审计划") from None
        try:
            if opts["install"]:
                return self._install(plan, opts)
            qualification = self._qualification(plan, opts["qualification"])
            if opts["bulk"]:
                return self._bulk(plan, qualification, opts)
            if opts["archive"]:
                return self._one(plan, qualification, opts)
        except EligibilityError as exc:
            raise CommandError(str(exc)) from exc
        raise CommandError("请指定 --archive、--bulk 或 --install")

    # ------------------------------------------------------------------

    def _qualification(self, plan: ReviewPlan, value: str | None) -> Qualification:
        rulesets = list(plan.rule_sets.filter(is_active=True).select_related("qualification"))
        if value:
            for rs in rulesets:
                q = rs.qualification
                if value in (q.name, str(q.pk)):
                    return q
            raise CommandError(
                f"计划 {plan.code} 没有“{value}”的规则集；现有："
                + ("、".join(rs.qualification.name for rs in rulesets) or "无")
            )
        if len(rulesets) != 1:
            raise CommandError(
                "请用 --qualification 指定申报资格；计划中的规则集："
                + ("、".join(rs.qualification.name for rs in rulesets) or "无（可用 --install 创建）")
            )
        return rulesets[0].qualification

    def _one(self, plan, qualification, opts) -> None:
        source = opts["archive"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
            archive_json = json.loads(text)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"无法读取档案：{exc}") from exc
        if isinstance(archive_json, dict) and "archive" in archive_json and "identity" not in archive_json:
            archive_json = archive_json["archive"]
        enterprise = None
        if opts["enterprise"]:
            enterprise = Organisation.objects.filter(credit_code=opts["enterprise"].upper()).first()
            if enterprise is None:
                raise CommandError(f"平台中没有统一社会信用代码为 {opts['enterprise']} 的单位")
        result = evaluate_for(
            plan=plan,
            qualification=qualification,
            archive_json=archive_json,
            declaration_type=opts["declaration_type"],
            exceptional_class=opts["exceptional_class"],
            specialty_matches=not opts["specialty_mismatch"],
            enterprise=enterprise,
            application_id=opts["application_id"],
        )
        indent = None if opts["compact"] else 2
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=indent))

    def _bulk(self, plan, qualification, opts) -> None:
        if not opts["output"]:
            raise CommandError("批量检查需要 --output（.xlsx、.csv 或 .jsonl）")
        try:
            table = ResultTable(opts["output"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        verdicts: Counter[str] = Counter()

        def items():
            for raw in read_inputs(opts["bulk"]):
                yield BulkInput(
                    ref=raw["ref"],
                    archive_json=raw.get("archive"),
                    error=raw.get("error", ""),
                    specialty_matches=raw.get("specialty_matches", True) and not opts["specialty_mismatch"],
                    declaration_type=raw.get("declaration_type") or opts["declaration_type"],
                    exceptional_class=raw.get("exceptional_class") or opts["exceptional_class"],
                )

        with CaptureQueriesContext(connection) as queries:
            try:
                for item, result, error in evaluate_many(
                    plan=plan, qualification=qualification, items=items()
                ):
                    verdicts[result.verdict if result else "error"] += 1
                    archive = item.archive_json if isinstance(item.archive_json, dict) else {}
                    table.add(item.ref, result, error, identity=archive.get("identity"))
            finally:
                table.close()
        seconds = time.perf_counter() - started
        counts = "，".join(f"{VERDICT_LABEL.get(k, '无法判断')}{v}人" for k, v in verdicts.items())
        self.stdout.write(
            f"已检查{table.count}个档案（{counts}），用时{seconds:.1f}秒，数据库查询{len(queries)}次；"
            f"结果写入 {opts['output']}"
        )

    def _install(self, plan, opts) -> None:
        qualification = None
        if opts["qualification"]:
            qualification = plan.qualifications.filter(name=opts["qualification"]).first()
            if qualification is None and opts["qualification"].isdigit():
                qualification = plan.qualifications.filter(pk=int(opts["qualification"])).first()
            if qualification is None:
                raise CommandError(f"计划 {plan.code} 没有资格“{opts['qualification']}”")
        ruleset = ruleset_install_defaults(plan=plan, template=opts["install"], qualification=qualification)
        self.stdout.write(f"已为 {plan.code}（{ruleset.qualification.name}）安装规则集 {ruleset.template}")

    def _templates(self) -> None:
        for t in all_templates():
            self.stdout.write(f"{t.code}  {t.name}（依据：{t.document}）")
            for spec in t.params:
                self.stdout.write(f"    {spec.key} = {spec.default!r}  {spec.label}  [{spec.source}]")
