"""The session store (portal/sessions.py) reads a session by its key and expiry in one statement of its
own; what it lets in must be exactly what Django's database store lets in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.auth_backends import ModelBackend
from portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get(reverse("notifications")).status_code == 200


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_portal_uses_this_store_and_it_reads_what_djangos_store_wrote(world):
    assert settings.SESSION_ENGINE == "portal.sessions"
    theirs = DjangoStore()
    theirs["answer"] = 42
    theirs.save()
    ours = SessionStore(theirs.session_key)
    with CaptureQueriesContext(connection) as captured:
        assert ours["answer"] == 42
    assert len(captured) == 1
    assert ours.session_key == theirs.session_key


def test_a_signed_in_session_stays_signed_in(world):
    client = world.client_for(world.hr)
    assert _signed_in(client)
    assert _signed_in(client)


def test_an_expired_session_is_not_read_and_its_key_is_not_reused(world):
    client = world.client_for(world.hr)
    assert _signed_in(client)
    key = _key(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert not _signed_in(client)
    store = SessionStore(key)
    assert store.load() == {}
    # Like Django's store: an unknown or expired key is dropped, so a save makes a new one (no fixation).
    assert store.session_key is None


def test_a_key_nobody_was_given_opens_nothing(world):
    world.client_for(world.hr)
    client = world.client_for(world.hr)
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert not _signed_in(client)
    assert not Session.objects.filter(session_key="x" * 32).exists()


def test_a_session_row_whose_data_was_altered_opens_nothing(world):
    client = world.client_for(world.hr)
    key = _key(client)
    session = Session.objects.get(session_key=key)
    data = SessionStore().decode(session.session_data)
    data["_auth_user_id"] = str(world.clerk.pk)
    # Someone with write access to the table but not the secret key: the signature no longer matches.
    forged = DjangoStore().encode(data).rsplit(":", 1)[0] + ":" + "A" * 43
    Session.objects.filter(session_key=key).update(session_data=forged)
    assert not _signed_in(client)


def test_the_signed_in_user_is_the_orms_user_field_for_field(world):

    User.objects.filter(pk=world.hr.pk).update(last_login=timezone.now())
    read = ModelBackend().get_user(str(world.hr.pk))
    expected = User.objects.get(pk=world.hr.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.last_login.tzinfo is not None and not read._state.adding
    client = world.client_for(world.hr)
    request = RequestFactory().get("/")
    request.session = SessionStore(_key(client))
    assert get_user(request) == expected
    assert request.session[SESSION_KEY] == str(world.hr.pk)


def test_an_inactive_deleted_or_malformed_user_key_opens_nothing(world):
    client = world.client_for(world.hr)
    world.hr.is_active = False
    world.hr.save(update_fields=["is_active"])
    assert not _signed_in(client)
    assert ModelBackend().get_user(str(world.hr.pk)) is None
    assert ModelBackend().get_user("not a number") is None
    assert ModelBackend().get_user("999999999") is None
