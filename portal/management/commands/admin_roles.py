"""manage.py admin_roles: the three separated administrator groups (系统管理员, 安全管理员, 审计管理员)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.admin_roles import admin_roles_install


class Command(BaseCommand):
    help = "创建或更新三权分立的管理员组（系统管理员、安全管理员、审计管理员），各组权限互不重叠。"

    def handle(self, *args, **options):
        for name, count in admin_roles_install().items():
            self.stdout.write(f"{name}：{count}项权限")
