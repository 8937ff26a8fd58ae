"""Positions: list, create, edit, deactivate; permission org.position.manage."""

import pytest
from django.urls import reverse

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import Position
from danbao.org.services.positions import position_create, position_set_active, position_update


@pytest.mark.parametrize("who, status", [("sysadmin", 200), ("secadmin", 403), ("auditadmin", 403), ("owner", 403)])
def test_list_permissions(request, client_for, who, status) -> None:
    assert client_for(request.getfixturevalue(who)).get(reverse("org:position-list")).status_code == status


def test_create_edit_deactivate_through_pages(client_for, sysadmin) -> None:
    client = client_for(sysadmin)
    assert client.post(reverse("org:position-create"), {"code": "A_ROLE", "name": "A角客户经理"}).status_code == 302
    position = Position.objects.get(code="A_ROLE")
    response = client.get(reverse("org:position-list"))
    assert "A角客户经理" in response.content.decode()
    client.post(reverse("org:position-edit", args=[position.pk]), {"code": "A_ROLE", "name": "A角", "description": "主办"})
    position.refresh_from_db()
    assert (position.name, position.description) == ("A角", "主办")
    client.post(reverse("org:position-toggle", args=[position.pk]))
    position.refresh_from_db()
    assert not position.is_active
    types = set(AuditEvent.objects.filter(object_type="org.Position").values_list("event_type", flat=True))
    assert types == {"position.created", "position.changed", "position.deactivated"}


def test_duplicate_code_and_permission(org, sysadmin, owner) -> None:
    position_create(actor=sysadmin, code="RISK", name="风险经理")
    with pytest.raises(DomainError) as exc:
        position_create(actor=sysadmin, code="RISK", name="又一个")
    assert exc.value.code == "org.code_taken"
    with pytest.raises(DomainError) as exc:
        position_create(actor=owner, code="X", name="X")
    assert exc.value.code == "org.permission_denied"


def test_unchanged_edit_writes_no_event_and_toggle_twice_refused(org, sysadmin) -> None:
    position = position_create(actor=sysadmin, code="GM", name="总经理")
    position_update(actor=sysadmin, position=position, code="GM", name="总经理")
    assert not AuditEvent.objects.filter(event_type="position.changed").exists()
    position_set_active(actor=sysadmin, position=position, active=False)
    with pytest.raises(DomainError) as exc:
        position_set_active(actor=sysadmin, position=position, active=False)
    assert exc.value.code == "org.already_in_state"
