"""The experts' access to the dossiers of their meeting, as django-guardian object permissions on each
application: granted to a drawn expert when they confirm attendance, to the whole panel when the meeting
starts at the latest, withdrawn from everyone when it closes or is cancelled, from an expert who then
declines, and from a recused expert for that one application at once."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission

from applications.models import Application
from applications.permissions import DOSSIER_PERMISSION

from ..models import Meeting, MeetingApplication, Recusal


def _permission() -> Permission:
    app_label, codename = DOSSIER_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def dossier_grant_panel(meeting: Meeting, *, expert_id: int | None = None) -> int:
    """Grant each expert of the panel (or only `expert_id`, on their confirmation) the dossiers on the
    meeting's list, not those they are recused from. Idempotent: a repeated grant adds nothing."""
    permission = _permission()
    content_type = ContentType.objects.get_for_model(Application)
    entries = meeting.draw.entries.filter(on_panel=True, expert__user__isnull=False)
    if expert_id is not None:
        entries = entries.filter(expert_id=expert_id)
    users = list(entries.values_list("expert__user_id", "expert_id"))
    items = list(
        MeetingApplication.objects.filter(meeting=meeting, removed_at__isnull=True).values_list(
            "application_id", flat=True
        )
    )
    recused = set(Recusal.objects.filter(meeting=meeting).values_list("expert_id", "application_id"))
    existing = set(
        UserObjectPermission.objects.filter(
            permission=permission, content_type=content_type, object_pk__in=[str(pk) for pk in items]
        ).values_list("user_id", "object_pk")
    )
    rows = [
        UserObjectPermission(
            user_id=user_id, permission=permission, content_type=content_type, object_pk=str(application_id)
        )
        for user_id, expert_id in users
        for application_id in items
        if (expert_id, application_id) not in recused and (user_id, str(application_id)) not in existing
    ]
    UserObjectPermission.objects.bulk_create(rows)
    return len(rows)


def dossier_withdraw_meeting(meeting: Meeting) -> int:
    """Withdraw every expert's grant to the meeting's applications (the meeting closed or was cancelled)."""
    users = meeting.draw.entries.values_list("expert__user_id", flat=True) if hasattr(meeting, "draw") else []
    items = MeetingApplication.objects.filter(meeting=meeting).values_list("application_id", flat=True)
    deleted, _ = UserObjectPermission.objects.filter(
        permission=_permission(),
        content_type=ContentType.objects.get_for_model(Application),
        user_id__in=list(users),
        object_pk__in=[str(pk) for pk in items],
    ).delete()
    return deleted


def dossier_withdraw(*, user_id: int | None, application: Application) -> None:
    """A recused expert loses this one application's dossier and every file of it at once."""
    if user_id is None:
        return
    UserObjectPermission.objects.filter(
        permission=_permission(),
        content_type=ContentType.objects.get_for_model(Application),
        user_id=user_id,
        object_pk=str(application.pk),
    ).delete()


def dossier_withdraw_expert(meeting: Meeting, *, user_id: int | None) -> int:
    """An expert who declines after confirming loses the meeting's dossiers at once."""
    if user_id is None:
        return 0
    items = MeetingApplication.objects.filter(meeting=meeting).values_list("application_id", flat=True)
    deleted, _ = UserObjectPermission.objects.filter(
        permission=_permission(),
        content_type=ContentType.objects.get_for_model(Application),
        user_id=user_id,
        object_pk__in=[str(pk) for pk in items],
    ).delete()
    return deleted
