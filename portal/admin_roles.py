"""Separated administration (三权分立, GB/T 22239-2019 8.1.4.2 / 8.1.10.x): three groups whose
permissions do not overlap, so that none can do another's job, and whose every admin-site change is in
the security log (portal.security_log).

- 系统管理员 (system administrator): the portal's records (plans, organisations, catalogue, applications,
  meetings, certificates, rules), never accounts, roles, lock-outs, second factors or the security log;
- 安全管理员 (security administrator): accounts, memberships (roles), lock-outs, second-factor devices and
  sessions, never the portal's records or the security log;
- 审计管理员 (audit administrator): reads and exports the security log and the admin's change history,
  nothing else.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

SYSTEM = "系统管理员"
SECURITY = "安全管理员"
AUDIT = "审计管理员"

DOMAIN_APPS = ("portal", "rules", "applications", "committees", "certificates")
# The portal's own models that belong to identity and its log, not to the records.
IDENTITY_MODELS = {"membership", "securityevent", "passwordhistory", "loginsession"}
SECURITY_PERMS = {
    "auth": ["add_user", "change_user", "view_user", "view_group"],
    "portal": [
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_membership",
        "view_loginsession",
        "delete_loginsession",
    ],
    "axes": ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog", "view_accesslog"],
    "otp_totp": ["view_totpdevice", "delete_totpdevice"],
    "otp_static": ["view_staticdevice", "delete_staticdevice"],
}
AUDIT_PERMS = {"portal": ["view_securityevent", "export_securityevent"], "admin": ["view_logentry"]}


def _by_codename(spec: dict[str, list[str]]) -> list[Permission]:
    found = []
    for app_label, codenames in spec.items():
        found += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return found


def _system_perms() -> list[Permission]:
    return [
        p
        for p in Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
            "content_type"
        )
        if p.content_type.model not in IDENTITY_MODELS
    ]


def admin_roles_install() -> dict[str, int]:
    """Create or bring up to date the three groups (idempotent); returns each group's permission count."""
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    plan = {SYSTEM: _system_perms(), SECURITY: _by_codename(SECURITY_PERMS), AUDIT: _by_codename(AUDIT_PERMS)}
    with transaction.atomic():
        for name, permissions in plan.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.set(permissions)
    return {name: len(perms) for name, perms in plan.items()}
