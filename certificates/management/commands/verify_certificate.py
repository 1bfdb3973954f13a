"""Offline verification: no database, only the published keys (and optionally the status list).

python manage.py verify_certificate 证书.pdf --keys keys.json [--status status.json]
python manage.py verify_certificate "<token or the QR code's URL>" --keys keys.json
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.management.base import BaseCommand, CommandError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from certificates import signing
from certificates.pdf import TOKEN_METADATA, id_type_label
from portal import clock


def _load_json(path: str, what: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"无法读取{what}文件 {path}：{exc.strerror}") from exc
    except ValueError as exc:
        raise CommandError(f"{what}文件 {path} 不是有效的 JSON。") from exc


def read_pdf(path: Path) -> tuple[str, str]:
    """The token kept in the PDF's metadata and the PDF's text."""
    try:
        reader = PdfReader(str(path))
        token = (reader.metadata or {}).get(f"/{TOKEN_METADATA}", "")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise CommandError(f"{path} 不是可读取的PDF文件：{exc}") from exc
    if not token:
        raise CommandError(
            f"{path} 中没有证书签名内容（PDF元数据 {TOKEN_METADATA}），不是本平台签发的电子证书。"
        )
    return str(token), text


def token_from(source: str) -> str:
    if "://" in source or source.startswith("/certificates/"):
        values = parse_qs(urlsplit(source).query).get("c")
        if not values:
            raise CommandError("链接中没有二维码内容（参数 c）。")
        return values[0]
    return source.strip()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a token longer than a file name may be
        return False


class Command(BaseCommand):
    help = "离线核验电子证书（PDF文件、二维码链接或签名内容），只使用公布的公钥，不访问数据库。"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("source", help="证书PDF文件、含签名内容的文本文件、二维码链接或签名内容")
        parser.add_argument(
            "--keys",
            required=True,
            help="公钥列表（/certificates/keys.json 或 certificate_keys export 导出）",
        )
        parser.add_argument(
            "--status", help="签名的状态列表（/certificates/status.json），用于核对撤销和暂扣"
        )

    def handle(self, *args, source, keys, status=None, **options):
        try:
            keyset = signing.KeySet.from_document(_load_json(keys, "公钥列表"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        statuses = None
        if status:
            statuses = signing.StatusLists.from_document(
                _load_json(status, "状态列表"), keyset, now=clock.now()
            )
        path = Path(source)
        text = None
        if source.lower().endswith(".pdf"):
            if not _is_file(path):
                raise CommandError(f"找不到文件 {source}。")
            token, text = read_pdf(path)
        elif _is_file(path):
            token = token_from(path.read_text(encoding="utf-8"))
        else:
            token = token_from(source)
        verdict = signing.verify_token(token, keys=keyset, status=statuses)
        if text is not None and verdict.payload and not verdict.errors:
            for problem in signing.compare_printed(verdict.payload, text):
                verdict.fail(problem)
        self._report(verdict)

    def _report(self, verdict: signing.Verdict) -> None:
        if verdict.payload:
            for name, label in signing.FIELDS.items():
                if name in verdict.payload and name not in ("v", "idn"):
                    value = verdict.payload[name]
                    self.stdout.write(f"{label}：{id_type_label(value) if name == 'idt' else value}")
        for note in verdict.notes:
            self.stdout.write(f"注意：{note}")
        if verdict.ok:
            self.stdout.write(self.style.SUCCESS("证书有效：签名验证通过。"))
            return
        headline = {"revoked": "证书已撤销", "suspended": "证书已暂扣"}.get(verdict.status, "验证未通过")
        raise CommandError(headline + "：\n" + "\n".join(f"- {e}" for e in verdict.errors))
