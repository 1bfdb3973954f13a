"""The demo's accounts: applicants (with their archives), staff of every role and the administrator."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from portal.models import Membership, Role

from .archives import archive_put
from .state import DemoAccount, DemoState
from .tables import DEMO_PASSWORD, table

ADMIN_USERNAME = "admin"
ADMIN_ROLE_LABEL = "系统管理员"


def user_put(username: str, full_name: str, *, superuser: bool = False):
    """Create or update a demo user; every demo user has the demo password."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name = full_name
    user.last_name = ""
    user.email = f"{username}@demo.example.cn"
    user.is_active = True
    user.is_staff = superuser or user.is_staff
    user.is_superuser = superuser or user.is_superuser
    user.password = _demo_password_hash()
    user.save()
    return user


@functools.cache
def _demo_password_hash() -> str:
    # Every demo user has the same password: hashed once per process, not once per user, since the
    # password hasher takes a good part of a second by design and the demo has a few hundred users.
    return make_password(DEMO_PASSWORD)


def membership_put(state: DemoState, user, role: str, org_key: str) -> None:
    org = state.orgs[org_key]
    Membership.objects.update_or_create(
        user=user, organisation=org, defaults={"role": role, "is_active": True}
    )
    state.accounts.append(DemoAccount(user.username, DEMO_PASSWORD, str(Role(role).label), org.name))


def load_accounts(state: DemoState) -> None:
    """Applicants, then staff, then the experts' accounts loaded before, then the administrator: the
    order in which they are printed."""
    expert_accounts = state.accounts
    state.accounts = []
    for spec in table("applicants"):
        user = user_put(spec["username"], spec["name"])
        membership_put(state, user, Role.APPLICANT, spec["org"])
        archive_put(state, user, spec)
    for row in table("staff"):
        membership_put(state, user_put(row["username"], row["name"]), row["role"], row["organisation"])
    state.accounts.extend(expert_accounts)
    user_put(ADMIN_USERNAME, "系统管理员", superuser=True)
    state.accounts.append(DemoAccount(ADMIN_USERNAME, DEMO_PASSWORD, ADMIN_ROLE_LABEL, "—"))
