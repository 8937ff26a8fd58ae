"""message_send / mark read / archive: audience expansion, refusals, audit, idempotency."""

from __future__ import annotations

import pytest

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.notifications.models import Message, MessageRecipient
from danbao.notifications.selectors import unread_count_for
from danbao.notifications.services import message_archive, message_mark_all_read, message_mark_read, message_send
from danbao.org.tests.factories import UserFactory, make_department


def _recipients(message: Message) -> set[str]:
    return set(MessageRecipient.objects.filter(message=message).values_list("user__username", flat=True))


def test_role_is_expanded_to_its_active_users_and_audited(org, sysadmin, risk_manager, owner) -> None:
    second = UserFactory(username="risk2", department=org.risk_dept, roles=[org.roles["risk_manager"]])
    UserFactory(username="risk_gone", department=org.risk_dept, roles=[org.roles["risk_manager"]], is_active=False)

    message = message_send(actor=sysadmin, title="风险例会", body="周一 9:00", roles=[org.roles["risk_manager"]])

    assert _recipients(message) == {risk_manager.username, second.username}
    assert message.recipient_count == 2
    assert message.sender == sysadmin
    assert message.audience == "角色：风险经理"
    event = AuditEvent.objects.get(event_type="message.sent")
    assert event.actor_id == sysadmin.pk and event.object_id == str(message.pk)
    assert event.data["recipients"] == 2 and event.data["roles"] == 1


def test_department_with_and_without_subdepartments(org, sysadmin, owner, colleague, dept_head, nobody, outsider) -> None:
    sub = make_department("BIZ1-A", "业务一部一组", org.dept_a)
    member = UserFactory(username="sub_member", department=sub)

    flat = message_send(actor=sysadmin, title="部门通知", body="", departments=[org.dept_a])
    deep = message_send(actor=sysadmin, title="含下级", body="", departments=[org.dept_a], include_subdepartments=True)

    in_a = {owner.username, colleague.username, dept_head.username, nobody.username}
    assert _recipients(flat) == in_a
    assert _recipients(deep) == in_a | {member.username}
    assert outsider.username not in _recipients(deep)
    assert "含下级部门" in deep.audience


def test_overlapping_targets_give_one_copy_each_and_sender_only_when_targeted(org, sysadmin, owner, colleague) -> None:
    message = message_send(
        actor=sysadmin, title="重叠", body="", users=[owner, colleague], departments=[org.dept_a], roles=[org.roles["business_manager"]]
    )
    assert MessageRecipient.objects.filter(message=message, user=owner).count() == 1
    assert sysadmin.username not in _recipients(message)

    to_self = message_send(actor=sysadmin, title="自己也收", body="", users=[sysadmin, owner])
    assert sysadmin.username in _recipients(to_self)


def test_inactive_and_expired_users_are_skipped(org, sysadmin, owner) -> None:
    import datetime

    gone = UserFactory(username="gone", department=org.dept_a, is_active=False)
    expired = UserFactory(username="expired", department=org.dept_a, valid_until=datetime.date(2020, 1, 1))
    message = message_send(actor=sysadmin, title="t", body="", users=[gone, expired, owner])
    assert _recipients(message) == {owner.username}


def test_nobody_left_is_refused(org, sysadmin) -> None:
    gone = UserFactory(username="gone", department=org.dept_a, is_active=False)
    with pytest.raises(DomainError) as exc:
        message_send(actor=sysadmin, title="t", body="", users=[gone])
    assert exc.value.code == "notifications.no_recipients"
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/",
        "javascript:alert(1)",
        "//evil.example/x",
        "/\\evil.example",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "/ok\t/x",
    ],
)
def test_links_outside_the_site_are_refused(sysadmin, owner, link) -> None:
    with pytest.raises(DomainError) as exc:
        message_send(actor=sysadmin, title="t", body="", users=[owner], link=link)
    assert exc.value.code == "notifications.link_invalid"
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(event_type="message.sent").exists()


def test_relative_link_is_kept(sysadmin, owner) -> None:
    message = message_send(actor=sysadmin, title="t", body="", users=[owner], link="/projects/12/?tab=risk")
    assert message.link == "/projects/12/?tab=risk"


def test_business_user_may_not_broadcast(owner, colleague) -> None:
    with pytest.raises(DomainError) as exc:
        message_send(actor=owner, title="t", body="", users=[colleague])
    assert exc.value.code == "notifications.permission_denied"


def test_empty_title_and_unknown_kind_are_refused(sysadmin, owner) -> None:
    with pytest.raises(DomainError) as exc:
        message_send(actor=sysadmin, title="  ", body="", users=[owner])
    assert exc.value.code == "notifications.title_required"
    with pytest.raises(DomainError) as exc:
        message_send(actor=sysadmin, title="t", body="", users=[owner], kind="no.such.kind")
    assert exc.value.code == "notifications.kind_unknown"


def test_mark_read_is_idempotent_and_touches_only_own_rows(sysadmin, owner, colleague) -> None:
    first = message_send(actor=sysadmin, title="一", body="", users=[owner, colleague])
    second = message_send(actor=sysadmin, title="二", body="", users=[owner])
    assert unread_count_for(owner) == 2

    assert message_mark_read(user=owner, message_ids=[first.pk]) == 1
    read_at = MessageRecipient.objects.get(message=first, user=owner).read_at
    assert message_mark_read(user=owner, message_ids=[first.pk]) == 0
    assert MessageRecipient.objects.get(message=first, user=owner).read_at == read_at
    assert unread_count_for(owner) == 1
    assert unread_count_for(colleague) == 1  # the colleague's copy stays unread

    assert message_mark_read(user=colleague, message_ids=[second.pk]) == 0  # not the colleague's message
    assert message_mark_all_read(user=owner) == 1
    assert message_mark_all_read(user=owner) == 0
    assert unread_count_for(owner) == 0


def test_archive_keeps_the_message_and_marks_it_read(sysadmin, owner) -> None:
    message = message_send(actor=sysadmin, title="归档", body="", users=[owner])
    assert message_archive(user=owner, message_ids=[message.pk]) == 1
    row = MessageRecipient.objects.get(message=message, user=owner)
    assert row.archived_at is not None and row.read_at is not None
    assert message_archive(user=owner, message_ids=[message.pk]) == 0
    assert Message.objects.filter(pk=message.pk).exists()
