"""Signing keys of the issuing bodies.

manage.py certificate_keys list
manage.py certificate_keys create --issuer <统一社会信用代码> [--by <用户名>]
    (rotates: the old key is retired)
manage.py certificate_keys retire --kid <kid> --by <用户名>
manage.py certificate_keys revoke --kid <kid> --reason "…" --by <用户名>
    (what the key signed is re-issued under the issuer's active key, a new one if it was the active key;
    each certificate's history names the account, and its PDF is rendered and signed again by the worker)
manage.py certificate_keys reissue --kid <kid> --reason "…" --by <用户名>
    (re-issues what the key signed without revoking it, e.g. certificates of the first format)
manage.py certificate_keys export [--out keys.json]              (the published keys, for offline checks)

--by names the account in whose name a key is retired or revoked (an officer of the issuing body, or the
system administrator); it is recorded in the key's history. An issuer's first key needs none.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certificates import selectors
from certificates.models import IssuerProfile, SigningKey
from certificates.services.keys import signing_key_create, signing_key_retire
from certificates.services.reissue import certificates_reissue_for_key, signing_key_revoke_and_reissue
from portal.exceptions import DomainError


class Command(BaseCommand):
    help = "管理发证机构的签名密钥（创建/轮换、停用、吊销、导出公钥列表）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "create", "retire", "revoke", "reissue", "export"])
        parser.add_argument("--issuer", help="发证机构统一社会信用代码")
        parser.add_argument("--kid", help="密钥标识")
        parser.add_argument("--reason", default="", help="吊销或重新签发的原因")
        parser.add_argument("--out", help="导出文件（默认输出到屏幕）")
        parser.add_argument("--by", help="操作人用户名（停用、吊销和轮换密钥时记录）")

    def handle(self, *args, action, issuer=None, kid=None, reason="", out=None, by=None, **options):
        try:
            getattr(self, f"_{action}")(issuer=issuer, kid=kid, reason=reason, out=out, by=by)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _actor(self, by, *, required: bool = True):
        if not by:
            if required:
                raise CommandError("请用 --by 指明操作人（用户名）。")
            return None
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户名为“{by}”的有效用户。")
        return user

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

    def _create(self, *, issuer, by, **_):
        profile = IssuerProfile.objects.filter(credit_code=issuer or "").first()
        if profile is None:
            raise CommandError(f"没有统一社会信用代码为“{issuer}”的发证机构设置（请先在管理后台配置）。")
        rotating = SigningKey.objects.filter(issuer=profile, status=SigningKey.Status.ACTIVE).exists()
        key = signing_key_create(issuer=profile, actor=self._actor(by, required=rotating))
        self.stdout.write(
            self.style.SUCCESS(f"已创建密钥 {key.kid}（{profile.name}）；原使用中的密钥已停用。")
        )

    def _retire(self, *, kid, by, **_):
        key = signing_key_retire(key=self._key(kid), actor=self._actor(by))
        self.stdout.write(self.style.SUCCESS(f"密钥 {key.kid} 已停用；它签发的证书仍然有效。"))

    def _revoke(self, *, kid, reason, by, **_):
        key = self._key(kid)
        reissued = signing_key_revoke_and_reissue(key=key, actor=self._actor(by), reason=reason)
        active = SigningKey.objects.get(issuer=key.issuer, status=SigningKey.Status.ACTIVE)
        self.stdout.write(
            self.style.WARNING(
                f"密钥 {key.kid} 已吊销；它签发的 {len(reissued)} 份证书已用密钥 {active.kid} 重新签发，"
                "PDF将由后台任务重新生成并签名。"
            )
        )

    def _reissue(self, *, kid, reason, by, **_):
        key = self._key(kid)
        reissued = certificates_reissue_for_key(key=key, actor=self._actor(by), reason=reason)
        self.stdout.write(self.style.SUCCESS(f"密钥 {key.kid} 签发的 {len(reissued)} 份证书已重新签发。"))

    def _export(self, *, out, **_):
        text = json.dumps(selectors.keys_document(), ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"公钥列表已导出到 {out}。"))
        else:
            self.stdout.write(text)
