"""Writing the result table of ``manage.py eligibility --bulk`` (CSV, Excel or JSON lines): one row per
archive with its verdict, routes, what is missing and what needs checking. No database access here."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from portal.spreadsheets import csv_text, text_row
from rules.vocab import DeclarationType

from .result import NEEDS_EVIDENCE, NOT_MET, VERDICT_LABEL, Result


def _conditions(result: Result, status: str) -> str:
    items = result.unmet() if status == NOT_MET else result.to_check()
    return "\n".join(f"{c.text}：{c.figures}（{c.source}）" for c in items)


class ResultTable:
    """Writes one row per archive: verdict, usable declaration types, each route's verdict, what is
    missing and what needs checking. ``.csv`` (UTF-8 with BOM for Excel), ``.xlsx`` or ``.jsonl``."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.kind = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".json": "jsonl"}.get(
            self.path.suffix.lower()
        )
        if self.kind is None:
            raise ValueError("输出文件应为 .csv、.xlsx 或 .jsonl")
        self.route_names: list[str] | None = None
        self.pending: list[tuple[str, Result | None, str]] = []
        self._open()
        self.count = 0

    def _open(self) -> None:
        if self.kind == "xlsx":
            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("资格审查结果")
        else:
            self._stream = self.path.open(
                "w", encoding="utf-8-sig" if self.kind == "csv" else "utf-8", newline=""
            )
            if self.kind == "csv":
                self._csv = csv.writer(self._stream)

    def _header(self, result: Result | None) -> None:
        self.route_names = [r.name for r in result.routes] if result else []
        header = [
            "编号",
            "姓名",
            "证件号码",
            "总体结论",
            "可申报类型",
            *self.route_names,
            "不符合的条件",
            "需材料核实的条件",
            "错误",
        ]
        self._write(header)

    def _write(self, row: list[Any]) -> None:
        # Names and ID numbers come from the input files: never a live formula in the output.
        if self.kind == "xlsx":
            self._sheet.append(text_row(self._sheet, row))
        else:
            self._csv.writerow([csv_text(value) for value in row])

    def add(
        self, ref: str, result: Result | None, error: str, identity: dict[str, Any] | None = None
    ) -> None:
        self.count += 1
        if self.kind == "jsonl":
            record = {"ref": ref, "error": error or None, "result": result.as_dict() if result else None}
            self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        if self.route_names is None:
            if result is None:
                self.pending.append((ref, result, error))  # header waits for the first result
                return
            self._header(result)
            for args in self.pending:
                self._row(*args, identity=None)
            self.pending.clear()
        self._row(ref, result, error, identity=identity)

    def _row(self, ref: str, result: Result | None, error: str, identity: dict[str, Any] | None) -> None:
        identity = identity or {}
        types = (
            "、".join(str(DeclarationType(t).label) for t in result.allowed_declaration_types)
            if result
            else ""
        )
        by_name = {r.name: r for r in result.routes} if result else {}
        routes = [
            VERDICT_LABEL[by_name[name].verdict] if name in by_name else "" for name in self.route_names or []
        ]
        self._write(
            [
                ref,
                identity.get("name", ""),
                identity.get("id_number", ""),
                VERDICT_LABEL[result.verdict] if result else "无法判断",
                types,
                *routes,
                _conditions(result, NOT_MET) if result else "",
                _conditions(result, NEEDS_EVIDENCE) if result else "",
                error,
            ]
        )

    def close(self) -> None:
        if self.kind != "jsonl" and self.route_names is None:
            self._header(None)
            for ref, result, error in self.pending:
                self._row(ref, result, error, identity=None)
        if self.kind == "xlsx":
            self._book.save(self.path)
        else:
            self._stream.close()
