"""An entrusted committee's access to the applications entrusted to it (委托评审, seed 004 二(一)), as a
django-guardian object permission held by the committee office's group.

The bureau's entrustment grants the receiving office's group `review_entrusted` on that application and
withdraws any earlier office's grant; the office's active clerks act on it and read its dossier only
while their group holds that grant. Who counts as a clerk of the office stays the membership table's
answer (portal.roles): the group is the grantee, not a second list of people to keep in step."""

from __future__ import annotations

from django.contrib.auth.models import Group
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from .models import Application, Entrustment

ENTRUSTED_PERMISSION = "applications.review_entrusted"
_CODENAME = ENTRUSTED_PERMISSION.split(".")[1]


def office_group(committee_id: int) -> Group:
    """The group standing for one committee office in object permissions."""
    group, _ = Group.objects.get_or_create(name=f"评委会办公室#{committee_id}")
    return group


def entrusted_grant(*, application: Application, committee_id: int) -> None:
    """Grant the receiving office this application; an office it was entrusted to before loses it."""
    GroupObjectPermission.objects.filter(
        permission__codename=_CODENAME,
        permission__content_type__app_label="applications",
        object_pk=str(application.pk),
    ).delete()
    assign_perm(ENTRUSTED_PERMISSION, office_group(committee_id), application)


def entrusted_to_office_without_grant(application: Application) -> bool:
    """Whether the committee holding the application holds it by entrustment yet its office holds no
    grant (withdrawn, or never given): its clerks may neither act nor read the dossier. Read once per
    application object."""
    cached = application.__dict__.get("_portal_entrusted_ungranted")
    if cached is None:
        committee_id = application.committee_id
        entrusted = Entrustment.objects.filter(
            application_id=application.pk, to_plan__committee_id=committee_id
        ).exists()
        cached = entrusted and not ObjectPermissionChecker(office_group(committee_id)).has_perm(
            _CODENAME, application
        )
        application.__dict__["_portal_entrusted_ungranted"] = cached
    return cached
