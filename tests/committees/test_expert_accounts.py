"""Expert accounts: the office invites a pool expert without an account; the one-time link opens an
account or binds the signed-in one, once and before it expires, with the expert role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from committees import services
from committees.exceptions import CommitteeError, PermissionDenied
from committees.models import Expert, ExpertInvitation
from portal.models import Membership, Notification, Role
from portal.workflow import history

pytestmark = pytest.mark.django_db


def _unbound(cw, i=0) -> Expert:
    expert = cw.experts[i]
    old = expert.user
    expert.user = None
    expert.save()
    old.delete()
    return expert


def _invite(cw, expert, callbacks, email="zhuanjia@example.com") -> ExpertInvitation:
    with callbacks(execute=True):
        return services.expert_invite(expert=expert, actor=cw.w.clerk, email=email)


def _token_from_mail() -> str:
    body = mail.outbox[-1].body
    return body.split("/committee/join/")[1].split("/")[0]


def test_the_pool_page_lists_who_has_no_account_and_invites_them(cw, world):
    expert = _unbound(cw)
    client = world.client_for(world.clerk)
    text = client.get(reverse("committees:experts") + "?account=none").content.decode()
    assert "专家库中有1名专家尚未开通账号" in text and expert.name in text and "专家01" not in text
    response = client.post(
        reverse("committees:expert_invite", args=[expert.pk]), {"email": "ZJ@example.com"}, follow=True
    )
    assert "已向zj@example.com发送开通账号邀请，链接14天内有效" in response.content.decode()
    invitation = ExpertInvitation.objects.get(expert=expert)
    assert invitation.status == "pending" and invitation.email == "zj@example.com"
    expert.refresh_from_db()
    assert expert.email == "zj@example.com"


def test_the_invitation_mails_a_link_and_stores_only_the_token_hash(cw, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["zhuanjia@example.com"]]
    token = _token_from_mail()
    assert token == invitation.token
    invitation.refresh_from_db()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)


def test_a_new_invitation_withdraws_the_earlier_link(cw, world, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    first = _invite(cw, expert, django_capture_on_commit_callbacks)
    _invite(cw, expert, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert [e.action for e in history(first)] == ["withdraw"]
    response = Client().get(reverse("committees:expert_join", args=[first.token]))
    assert response.status_code == 410 and "该邀请链接已作废" in response.content.decode()


def test_an_expert_with_an_account_is_not_invited(cw):
    with pytest.raises(CommitteeError, match="已开通专家账号"):
        services.expert_invite(expert=cw.experts[0], actor=cw.w.clerk, email="a@example.com")
    with pytest.raises(PermissionDenied):
        services.expert_invite(expert=_unbound(cw, 1), actor=cw.w.other_clerk, email="a@example.com")


def test_following_the_link_without_an_account_opens_one_bound_to_the_expert(
    cw, world, django_capture_on_commit_callbacks
):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    client = Client()
    page = client.get(reverse("committees:expert_join", args=[invitation.token])).content.decode()
    assert "设置用户名和密码" in page and expert.committee.name in page
    response = client.post(
        reverse("committees:expert_join_signup", args=[invitation.token]),
        {"username": "zhangsan", "password1": "Zhuanjia#2026x", "password2": "Zhuanjia#2026x"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("committees:my_meetings")
    expert.refresh_from_db()
    user = get_user_model().objects.get(username="zhangsan")
    assert expert.user == user and user.email == "zhuanjia@example.com"
    assert Membership.objects.get(user=user).role == Role.EXPERT
    assert Membership.objects.get(user=user).organisation == expert.committee
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == user
    assert history(invitation).get().actor == user
    # The menu now offers the expert's task list, and the clerk learns in the portal.
    assert "我的评审任务" in client.get(reverse("committees:my_meetings")).content.decode()
    assert Notification.objects.filter(user=world.clerk, message__contains="已接受邀请").exists()


def test_a_signed_in_person_accepts_and_their_account_is_bound(cw, world, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    person = world.other_applicant
    client = world.client_for(person)
    page = client.get(reverse("committees:expert_join", args=[invitation.token])).content.decode()
    assert "接受邀请" in page and "设置用户名和密码" not in page
    response = client.post(reverse("committees:expert_join_accept", args=[invitation.token]))
    assert response["Location"] == reverse("committees:my_meetings")
    expert.refresh_from_db()
    assert expert.user == person
    assert set(Membership.objects.filter(user=person).values_list("role", flat=True)) == {
        "applicant",
        "expert",
    }


def test_a_token_works_once(cw, world, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    url = reverse("committees:expert_join_accept", args=[invitation.token])
    world.client_for(world.other_applicant).post(url)
    response = world.client_for(world.applicant).post(url, follow=True)
    assert response.status_code == 410 and "该邀请链接已使用过，不能再次使用" in response.content.decode()
    response = Client().post(
        reverse("committees:expert_join_signup", args=[invitation.token]),
        {"username": "lisi", "password1": "Zhuanjia#2026x", "password2": "Zhuanjia#2026x"},
        follow=True,
    )
    assert response.status_code == 410 and not get_user_model().objects.filter(username="lisi").exists()
    expert.refresh_from_db()
    assert expert.user == world.other_applicant


def test_an_expired_token_is_refused_with_a_chinese_message(cw, world, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    cw.clock.advance(days=14)
    client = world.client_for(world.other_applicant)
    response = client.get(reverse("committees:expert_join", args=[invitation.token]))
    assert response.status_code == 410 and "该邀请链接已于2026年06月15日过期" in response.content.decode()
    response = client.post(reverse("committees:expert_join_accept", args=[invitation.token]), follow=True)
    assert "过期" in response.content.decode()
    expert.refresh_from_db()
    assert expert.user is None and not Membership.objects.filter(user=world.other_applicant, role="expert")


def test_an_unknown_token_is_a_clear_404(world):
    response = Client().get(reverse("committees:expert_join", args=["not-a-token"]))
    assert response.status_code == 404 and "邀请链接无效" in response.content.decode()
    response = world.client_for(world.applicant).post(reverse("committees:expert_join_accept", args=["x"]))
    assert response.status_code == 404


def test_an_account_already_bound_or_on_the_office_is_refused(cw, world, django_capture_on_commit_callbacks):
    expert = _unbound(cw)
    invitation = _invite(cw, expert, django_capture_on_commit_callbacks)
    url = reverse("committees:expert_join_accept", args=[invitation.token])
    response = world.client_for(cw.experts[1].user).post(url, follow=True)
    assert "您的账号已绑定其他评审专家" in response.content.decode()
    response = world.client_for(world.clerk).post(url, follow=True)
    assert "不能同时作为其评审专家" in response.content.decode()
    invitation.refresh_from_db()
    expert.refresh_from_db()
    assert invitation.status == "pending" and expert.user is None


def test_a_signup_form_error_is_shown_and_creates_nothing(cw, django_capture_on_commit_callbacks):
    invitation = _invite(cw, _unbound(cw), django_capture_on_commit_callbacks)
    response = Client().post(
        reverse("committees:expert_join_signup", args=[invitation.token]),
        {"username": "expert1", "password1": "Zhuanjia#2026x", "password2": "other"},
    )
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == "pending"
