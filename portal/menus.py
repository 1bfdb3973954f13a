"""Each role's menu: every page of its job, reached from the header, and the page a user lands on.

The table names pages by their URL names (portal/urls.py wires the apps; naming a page is not
importing its app). A user holding several roles sees one section per role.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext_lazy as _

from . import links
from .models import Role
from .roles import roles_of


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    query: str = ""

    @property
    def url(self) -> str:
        return links.path(self.url_name) + (f"?{self.query}" if self.query else "")


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]


APPLICANT_MENU = (
    Item(_("我的申报"), "applications:dashboard"),
    Item(_("业绩档案"), "applications:archive"),
    Item(_("资格自查"), "applications:self_check"),
    Item(_("我的证书"), "certificates:mine"),
)

# In the order a user holding several roles lands: the first item of the first role held is their
# own work queue.
MENUS: dict[str, tuple[Item, ...]] = {
    Role.OFFICER: (
        Item(_("审核推荐"), "applications:audit_queue", "role=officer"),
        Item(_("评审会议备案"), "committees:meetings"),
        Item(_("评审结果核准"), "committees:filings"),
        Item(_("职称初定"), "committees:initial_queue"),
        Item(_("证书发放"), "certificates:issue"),
        Item(_("发证批次"), "certificates:batches"),
        Item(_("评委会授权"), "committees:authorities"),
        Item(_("社会化评价试点"), "committees:pilots"),
        Item(_("授权委托书"), "applications:authorisation"),
    ),
    Role.CLERK: (
        Item(_("资格审查"), "committees:queue"),
        Item(_("评审会议"), "committees:meetings"),
        Item(_("专家库"), "committees:experts"),
        Item(_("结果报送"), "committees:filings"),
        Item(_("评审计划管理"), "office_plans"),
        Item(_("评委会授权"), "committees:authorities"),
    ),
    Role.HR: (
        Item(_("审核推荐"), "applications:audit_queue", "role=hr"),
        Item(_("授权委托书"), "applications:authorisation"),
        Item(_("社会化评价试点"), "committees:pilots"),
    ),
    # The auditor reads what passes through their region and acts on none of it.
    Role.AUDITOR: (
        Item(_("申报查询"), "applications:oversight"),
        Item(_("公示查询"), "applications:oversight_notices"),
        Item(_("评审会议"), "committees:meetings"),
        Item(_("评审结果备案"), "committees:filings"),
        Item(_("发证批次"), "certificates:batches"),
        Item(_("统计"), "applications:oversight_stats"),
        Item(_("审计链检查点"), "applications:audit_checkpoints"),
    ),
    Role.EXPERT: (Item(_("我的评审任务"), "committees:my_meetings"),),
}
# The audit administrator (审计管理员) reads the security log, whatever else they are.
SECURITY_AUDIT_MENU = (Item(_("安全日志"), "security_log"),)
ADMIN_MENU = (Item(_("管理后台"), "admin:index"), Item(_("审计链检查点"), "applications:audit_checkpoints"))


@functools.cache
def _security_log_sql() -> str:
    """EXISTS of the permission row that lets a user read the security log, directly or through a
    group, with the user's id as its two parameters: user.has_perm("portal.view_securityevent") for an
    active user who is not a superuser, where has_perm would load every permission the user holds (two
    joined queries). Written once per process: built by the ORM on every page, the join through both
    many-to-many tables took longer to compile than to run."""
    q = connection.ops.quote_name
    user_permissions = get_user_model().user_permissions.through._meta
    user_groups = get_user_model().groups.through._meta
    group_permissions = Group.permissions.through._meta

    def column(meta, model) -> str:
        return q(meta.get_field(model._meta.model_name).column)

    user_column, group_column = column(user_permissions, get_user_model()), column(user_groups, Group)
    permission_column = column(user_permissions, Permission)
    return (
        f"EXISTS (SELECT 1 FROM {q(Permission._meta.db_table)} p "
        f"JOIN {q(ContentType._meta.db_table)} ct ON ct.{q('id')} = p.{q('content_type_id')} "
        f"WHERE ct.{q('app_label')} = 'portal' AND p.{q('codename')} = 'view_securityevent' AND ("
        f"EXISTS (SELECT 1 FROM {q(user_permissions.db_table)} up "
        f"WHERE up.{permission_column} = p.{q('id')} AND up.{user_column} = %s) "
        f"OR EXISTS (SELECT 1 FROM {q(group_permissions.db_table)} gp "
        f"JOIN {q(user_groups.db_table)} ug ON ug.{group_column} = gp.{column(group_permissions, Group)} "
        f"WHERE gp.{column(group_permissions, Permission)} = p.{q('id')} "
        f"AND ug.{column(user_groups, get_user_model())} = %s)))"
    )


def security_log_clause(user) -> tuple[str, list]:
    """A boolean SQL expression and its parameters: whether the user reads the security log (a constant
    where the permission rows do not decide it: security_log_settled)."""
    settled = security_log_settled(user)
    if settled is not None:
        return ("TRUE" if settled else "FALSE"), []
    return _security_log_sql(), [user.pk, user.pk]


def security_log_settled(user) -> bool | None:
    """Whether the user reads the security log when no permission row decides it (an inactive account
    never, a superuser always), else None."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return None


def _reads_security_log(user) -> bool:
    sql, params = security_log_clause(user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return bool(cursor.fetchone()[0])


def menu_for(user, *, reads_security_log: bool | None = None) -> list[Section]:
    """The sections of the user's menu, one per role held (an applicant's own pages last).
    `reads_security_log`, when the caller has read it already, spares the query."""
    if not user.is_authenticated:
        return []
    held = roles_of(user)
    sections = [Section(str(Role(role).label), items) for role, items in MENUS.items() if role in held]
    sections.append(Section(str(_("个人事务")), APPLICANT_MENU))
    if user.is_staff:
        sections.append(Section(str(_("系统管理")), ADMIN_MENU))
    if _reads_security_log(user) if reads_security_log is None else reads_security_log:
        sections.append(Section(str(_("安全审计")), SECURITY_AUDIT_MENU))
    return sections


def landing_url(user) -> str:
    """Staff land on their own work queue; applicants on their applications; an administrator without
    a role on the admin site."""
    held = roles_of(user)
    for role, items in MENUS.items():
        if role in held:
            return items[0].url
    if user.is_staff:
        return ADMIN_MENU[0].url
    return APPLICANT_MENU[0].url
