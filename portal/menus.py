"""Each role's menu: every page of its job, reached from the header, and the page a user lands on.

The table names pages by their URL names (portal/urls.py wires the apps; naming a page is not
importing its app). A user holding several roles sees one section per role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
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


def security_log_permission(user) -> QuerySet:
    """The permission row that lets the user read the security log, directly or through a group: an
    EXISTS of it is user.has_perm("portal.view_securityevent") for an active user who is not a
    superuser, where has_perm would load every permission the user holds (two joined queries)."""
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label="portal", codename="view_securityevent"
    )


def security_log_settled(user) -> bool | None:
    """Whether the user reads the security log when no permission row decides it (an inactive account
    never, a superuser always), else None."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return None


def _reads_security_log(user) -> bool:
    settled = security_log_settled(user)
    return security_log_permission(user).exists() if settled is None else settled


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
