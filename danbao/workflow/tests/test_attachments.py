"""Files and conditions given with a decision: stored on the action in the same transaction, shown in
the timeline, downloadable only by people who may see the instance, never added or voided afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.attachments.models import Attachment
from danbao.core.errors import DomainError
from danbao.workflow import services
from danbao.workflow.models import Action, FlowInstance, Task
from danbao.workflow.tests.conftest import approval, linear, publish, users

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def pdf(name: str = "意见.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def running(owner, dept_head, colleague, risk_manager, record, media):
    publish(
        linear(
            approval("mgr", users(dept_head)),
            {"id": "copy", "kind": "cc", "name": "抄送", "assignees": [users(colleague)]},
            approval("risk", users(risk_manager)),
        )
    )
    return services.instance_start(actor=owner, flow_type="test.record", obj=record)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_approve_with_conditions_and_files_from_the_page(client_for, owner, dept_head, running, media):
    task = Task.objects.get(instance=running)
    mark = audit_mark()
    response = client_for(dept_head).post(
        reverse("workflow:task-act", args=[task.pk]),
        {
            "action": "approve",
            "comment": "同意",
            "conditions": "先办妥反担保抵押登记",
            "attachments": [pdf("尽调意见.pdf"), SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    assert FlowInstance.objects.get(pk=running.pk).current_node == "risk"
    action = Action.objects.get(instance=running, action="approve")
    assert action.data["conditions"] == "先办妥反担保抵押登记"
    files = list(Attachment.objects.filter(owner_id=str(action.pk), owner_type__model="action").order_by("pk"))
    assert [f.original_name for f in files] == ["尽调意见.pdf", "现场.png"]
    assert all(f.uploaded_by_id == dept_head.pk for f in files)
    assert len(stored_files(media)) == 2
    assert_one_event("workflow.task_approve", since=mark, actor_id=dept_head.pk)
    page = client_for(owner).get(reverse("workflow:instance", args=[running.pk])).content.decode()
    assert "先办妥反担保抵押登记" in page and "尽调意见.pdf" in page
    assert reverse("core:attachment-download", args=[files[0].pk]) in page


def test_files_download_only_for_people_who_may_see_the_instance(
    client_for, owner, dept_head, colleague, risk_manager, outsider, gm, running
):
    task = Task.objects.get(instance=running)
    services.task_approve(actor=dept_head, task=task, comment="同意", attachments=[pdf()])
    attachment = Attachment.objects.get(owner_type__model="action")
    url = reverse("core:attachment-download", args=[attachment.pk])
    # submitter, the approver, the CC recipient, the next assignee and a supervisor may download
    for user in (owner, dept_head, colleague, risk_manager, gm):
        response = client_for(user).get(url)
        assert response.status_code == 200, user.username
        assert b"".join(response.streaming_content) == PDF
    # someone with no part in the approval gets the same answer as for a missing file
    assert client_for(outsider).get(url).status_code == 404


def test_nobody_adds_or_voids_files_of_an_action_afterwards(client_for, owner, dept_head, running):
    task = Task.objects.get(instance=running)
    services.task_approve(actor=dept_head, task=task, attachments=[pdf()])
    action = Action.objects.get(instance=running, action="approve")
    attachment = Attachment.objects.get(owner_type__model="action")
    for user in (dept_head, owner):
        response = client_for(user).post(
            reverse("core:attachment-upload"),
            {"owner": "workflow.action", "owner_id": str(action.pk), "kind": "approval_file", "file": pdf("late.pdf")},
        )
        assert response.status_code == 403
        response = client_for(user).post(reverse("core:attachment-void", args=[attachment.pk]), {"reason": "错传"})
        assert response.status_code == 403
    assert Attachment.objects.filter(owner_type__model="action").count() == 1
    assert not Attachment.objects.get(pk=attachment.pk).is_voided


def test_a_refused_file_refuses_the_whole_approval(client_for, dept_head, running, media):
    task = Task.objects.get(instance=running)
    response = client_for(dept_head).post(
        reverse("workflow:task-act", args=[task.pk]),
        {"action": "approve", "comment": "同意", "attachments": [pdf("ok.pdf"), pdf("evil.pdf", EXE)]},
        follow=True,
    )
    assert "不接受" in response.content.decode() or "程序" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "pending"
    assert FlowInstance.objects.get(pk=running.pk).current_node == "mgr"
    assert not Action.objects.filter(instance=running, action="approve").exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []  # the first, accepted file was removed again


def test_too_many_files_are_refused_before_anything(dept_head, running):
    task = Task.objects.get(instance=running)
    with pytest.raises(DomainError) as exc:
        services.task_approve(actor=dept_head, task=task, attachments=[pdf(f"{i}.pdf") for i in range(11)])
    assert exc.value.code == "workflow.too_many_files"
    assert Task.objects.get(pk=task.pk).status == "pending"


def test_reject_and_return_carry_files(client_for, owner, dept_head, risk_manager, record, running):
    task = Task.objects.get(instance=running)
    client_for(dept_head).post(
        reverse("workflow:task-act", args=[task.pk]),
        {"action": "return", "target": "submitter", "comment": "补充财务报表", "attachments": [pdf("缺件清单.pdf")]},
    )
    returned = Action.objects.get(instance=running, action="return")
    assert Attachment.objects.get(owner_id=str(returned.pk), owner_type__model="action").original_name == "缺件清单.pdf"
    page = client_for(owner).get(reverse("workflow:instance", args=[running.pk])).content.decode()
    assert "缺件清单.pdf" in page and "补充财务报表" in page
    services.instance_resubmit(actor=owner, instance=running, comment="已补充")
    services.task_approve(actor=dept_head, task=Task.objects.get(instance=running, status="pending"))
    risk_task = Task.objects.get(instance=running, status="pending")
    services.task_reject(actor=risk_manager, task=risk_task, comment="担保比例过高", attachments=[pdf("测算.pdf")])
    rejected = Action.objects.get(instance=running, action="reject")
    assert Attachment.objects.get(owner_id=str(rejected.pk), owner_type__model="action").original_name == "测算.pdf"
    assert FlowInstance.objects.get(pk=running.pk).status == "rejected"


def test_conditions_too_long_are_refused(dept_head, running):
    task = Task.objects.get(instance=running)
    with pytest.raises(DomainError) as exc:
        services.task_approve(actor=dept_head, task=task, conditions="条" * 1001)
    assert exc.value.code == "workflow.conditions_too_long"


def test_approve_without_files_keeps_working(dept_head, running):
    services.task_approve(actor=dept_head, task=Task.objects.get(instance=running), comment="同意")
    action = Action.objects.get(instance=running, action="approve")
    assert "conditions" not in action.data
    assert not Attachment.objects.exists()
