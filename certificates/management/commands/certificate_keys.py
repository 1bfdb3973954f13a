"""Signing keys of the issuing bodies.

manage.py certificate_keys list
manage.py certificate_keys create --issuer <统一社会信用代码>     (rotates: the old key is retired)
manage.py certificate_keys retire --kid <kid>
manage.py certificate_keys revoke --kid <kid> --reason "…"
manage.py certificate_keys export [--out keys.json]              (the published keys, for offline checks)
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import selectors, services
from certificates.exceptions import CertificateError
from certificates.models import IssuerProfile, SigningKey


class Command(BaseCommand):
    help = "管理发证机构的签名密钥（创建/轮换、停用、吊销、导出公钥列表）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "create", "retire", "revoke", "export"])
        parser.add_argument("--issuer", help="发证机构统一社会信用代码")
        parser.add_argument("--kid", help="密钥标识")
        parser.add_argument("--reason", default="", help="吊销原因")
        parser.add_argument("--out", help="导出文件（默认输出到屏幕）")

    def handle(self, *args, action, issuer=None, kid=None, reason="", out=None, **options):
        try:
            getattr(self, f"_{action}")(issuer=issuer, kid=kid, reason=reason, out=out)
        except CertificateError as exc:
            raise CommandError(exc.message) from exc

    def _key(self, kid):
        key = SigningKey.objects.filter(kid=kid or "").first()
        if key is None:
            raise CommandError(f"没有标识为“{kid}”的密钥。")
        return key

    def _list(self, **_):
        for key in SigningKey.objects.select_related("issuer").order_by("issuer_id", "created_at"):
            self.stdout.write(
                f"{key.kid}  {key.issuer.credit_code}  {key.get_status_display()}  "
                f"{key.created_at:%Y-%m-%d}  {key.issuer.name}"
            )

    def _create(self, *, issuer, **_):
        profile = IssuerProfile.objects.filter(credit_code=issuer or "").first()
        if profile is None:
            raise CommandError(f"没有统一社会信用代码为“{issuer}”的发证机构设置（请先在管理后台配置）。")
        key = services.signing_key_create(issuer=profile)
        self.stdout.write(
            self.style.SUCCESS(f"已创建密钥 {key.kid}（{profile.name}）；原使用中的密钥已停用。")
        )

    def _retire(self, *, kid, **_):
        key = services.signing_key_retire(key=self._key(kid))
        self.stdout.write(self.style.SUCCESS(f"密钥 {key.kid} 已停用；它签发的证书仍然有效。"))

    def _revoke(self, *, kid, reason, **_):
        key = services.signing_key_revoke(key=self._key(kid), reason=reason)
        self.stdout.write(self.style.WARNING(f"密钥 {key.kid} 已吊销；它签发的证书需用新密钥重新签名。"))

    def _export(self, *, out, **_):
        text = json.dumps(selectors.keys_document(), ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"公钥列表已导出到 {out}。"))
        else:
            self.stdout.write(text)
