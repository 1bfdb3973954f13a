"""Offline verification: no database, only the published keys (and optionally the status list).

python manage.py verify_certificate 证书.pdf --keys keys.json [--status status.json]
python manage.py verify_certificate "<token or the QR code's URL>" --keys keys.json

A PDF is checked whole: its PAdES signature (intact, covering the entire file, made with the published
certificate of a key that is not revoked), the signed fields it carries, and its text, which must be
exactly the page those fields print. Exit status (docs/certificates.md): 0 genuine; 1 input error;
2 usage; 3 not a certificate of the portal; 4 the file changed after signing; 5 something added after
signing (incremental update); 6 not signed by a published issuer certificate; 7 signing key revoked;
8 the signed fields fail; 9 the printed text differs; 10 certificate revoked; 11 suspended.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.management.base import BaseCommand, CommandError

from certificates import signing
from certificates.signing.pdfcheck import verify_pdf
from portal import clock
from portal.validators import mask_id_number


def _load_json(path: str, what: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"无法读取{what}文件 {path}：{exc.strerror}") from exc
    except ValueError as exc:
        raise CommandError(f"{what}文件 {path} 不是有效的 JSON。") from exc


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
        if source.lower().endswith(".pdf"):
            if not _is_file(path):
                raise CommandError(f"找不到文件 {source}。")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"无法读取文件 {source}：{exc.strerror}") from exc
            verdict = verify_pdf(data, keys=keyset, status=statuses)
        else:
            token = token_from(path.read_text(encoding="utf-8")) if _is_file(path) else token_from(source)
            verdict = signing.verify_token(token, keys=keyset, status=statuses)
        self._report(verdict)

    def _report(self, verdict: signing.Verdict) -> None:
        if verdict.payload:
            for name, label in signing.FIELDS.items():
                if name in verdict.payload and name != "v":
                    value = verdict.payload[name]
                    if name == "idt":
                        value = signing.id_type_label(value)
                    elif name == "idn":  # already masked, except in certificates of the first format
                        value = mask_id_number(value)
                    self.stdout.write(f"{label}：{value}")
        for note in verdict.notes:
            self.stdout.write(f"注意：{note}")
        if verdict.ok:
            self.stdout.write(self.style.SUCCESS("证书有效：签名验证通过。"))
            return
        headline = {"revoked": "证书已撤销", "suspended": "证书已暂扣"}.get(verdict.status, "验证未通过")
        raise CommandError(
            headline + "：\n" + "\n".join(f"- {e}" for e in verdict.errors),
            returncode=signing.EXIT_STATUS.get(verdict.kind, 8),
        )
