"""Accounts: list/search/filters/export, detail, create with one-time password, edit, disable/enable,
reset password, validation (format, reserved names, uniqueness), bootstrap_admins and demo seeding."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import Role, User
from danbao.org.services.users import user_create, user_reset_password, user_set_active, user_update
from danbao.org.tests.factories import UserFactory

VALID = {"real_name": "新员工", "employee_no": "E1001", "mobile": "13912345678", "email": "new@example.cn"}


@pytest.fixture
def viewer(org):
    """A user whose role may view users but neither change nor export them."""
    role = Role.objects.create(code="user_viewer", name="用户查看", permissions=["org.user.view"])
    return UserFactory(username="viewer", department=org.head_office, roles=[role])


@pytest.mark.parametrize("who, status", [("sysadmin", 200), ("secadmin", 403), ("auditadmin", 403), ("owner", 403), ("nobody", 403)])
def test_list_permissions(request, client_for, who, status) -> None:
    assert client_for(request.getfixturevalue(who)).get(reverse("org:user-list")).status_code == status


def test_list_masks_mobile_and_searches_by_mobile_and_employee_no(client_for, sysadmin, org) -> None:
    UserFactory(username="mobile1", department=org.dept_a, mobile="13800110011", employee_no="E77")
    client = client_for(sysadmin)
    response = client.get(reverse("org:user-list"), {"q": "13800110011"})
    assert [row["object"].username for row in response.context["list"].rows] == ["mobile1"]
    response = client.get(reverse("org:user-list"), {"q": "E77"})
    assert [row["object"].username for row in response.context["list"].rows] == ["mobile1"]
    body = response.content.decode()
    assert "138****0011" in body and "13800110011" not in body


def test_filters_department_role_active_locked(client_for, sysadmin, owner, outsider, org) -> None:
    outsider.is_active = False
    outsider.save()
    AccessAttempt.objects.create(
        username="owner",
        failures_since_start=10,
        user_agent="",
        ip_address="10.0.0.1",
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
    )
    client = client_for(sysadmin)

    def names(**params):
        return sorted(r["object"].username for r in client.get(reverse("org:user-list"), params).context["list"].rows)

    assert names(department=org.dept_b.pk) == ["outsider"]
    assert names(role=org.roles["sysadmin"].pk) == ["sysadmin"]
    assert names(active="False") == ["outsider"]
    assert names(locked="True") == ["owner"]


def test_export_logged_masked_and_needs_export_permission(client_for, sysadmin, owner, viewer) -> None:
    response = client_for(sysadmin).get(reverse("org:user-list"), {"export": "xlsx", "q": "owner"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][0] == "owner"
    event = AuditEvent.objects.filter(event_type="data.export", object_type="org-users").get()
    assert event.data["rows"] == 1
    viewer_client = Client()
    viewer_client.force_login(viewer)
    assert viewer_client.get(reverse("org:user-list")).status_code == 200
    assert viewer_client.get(reverse("org:user-list"), {"export": "xlsx"}).status_code == 403


def test_detail_shows_full_mobile_lock_state_and_no_audit_log(client_for, sysadmin, org) -> None:
    account = UserFactory(username="locked1", department=org.dept_a, mobile="13800110012", real_name="锁定者")
    AccessAttempt.objects.create(
        username="locked1",
        failures_since_start=10,
        user_agent="",
        ip_address="10.0.0.1",
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
    )
    response = client_for(sysadmin).get(reverse("org:user-detail", args=[account.pk]))
    body = response.content.decode()
    assert "13800110012" in body
    assert response.context["locked"] is True
    assert 'data-testid="user-unlock"' in body and reverse("org:user-unlock", args=[account.pk]) in body
    assert "audit" not in response.context  # the system administrator may not read the audit log


def test_detail_of_missing_user_is_404(client_for, sysadmin) -> None:
    assert client_for(sysadmin).get(reverse("org:user-detail", args=[99999])).status_code == 404


def test_create_shows_one_time_password_once(client_for, sysadmin, org) -> None:
    client = client_for(sysadmin)
    data = {"username": "zhang.san", **VALID, "department": org.dept_a.pk}
    response = client.post(reverse("org:user-create"), data)
    assert response.status_code == 200
    password = response.context["password"]
    assert password and password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    account = User.objects.get(username="zhang.san")
    assert account.check_password(password)
    assert account.must_change_password and account.roles.count() == 0
    assert timedelta(hours=23) < account.temporary_password_expires_at - timezone.now() <= timedelta(hours=24)
    assert AuditEvent.objects.filter(event_type="user.created", object_id=str(account.pk)).exists()
    # The password is not on the account page afterwards.
    assert password not in client.get(reverse("org:user-detail", args=[account.pk])).content.decode()


@pytest.mark.parametrize(
    "username, code",
    [
        ("ab", "org.login_name_invalid"),
        ("bad name", "org.login_name_invalid"),
        ("x" * 31, "org.login_name_invalid"),
        ("张三", "org.login_name_invalid"),
    ]
    + [(name, "org.login_name_reserved") for name in ("admin", "root", "sa", "test", "demo", "Admin")],
)
def test_login_name_rules(org, sysadmin, username, code) -> None:
    with pytest.raises(DomainError) as exc:
        user_create(actor=sysadmin, username=username, **VALID)
    assert exc.value.code == code


def test_reserved_names_allowed_only_for_demo_accounts(org) -> None:
    user, _password = user_create(actor=None, username="demo", is_demo=True, **VALID)
    assert user.is_demo


def test_uniqueness_messages(client_for, sysadmin, owner, org) -> None:
    owner.mobile, owner.employee_no = "13912345678", "E1001"
    owner.save()
    with pytest.raises(DomainError) as exc:
        user_create(actor=sysadmin, username="someone", **{**VALID, "mobile": "13700000000"})
    assert exc.value.code == "org.employee_no_taken" and "E1001" in exc.value.message
    with pytest.raises(DomainError) as exc:
        user_create(actor=sysadmin, username="someone", **{**VALID, "employee_no": "E2"})
    assert exc.value.code == "org.mobile_taken"
    with pytest.raises(DomainError) as exc:
        user_create(actor=sysadmin, username="OWNER", **{**VALID, "employee_no": "E3", "mobile": "13700000001"})
    assert exc.value.code == "org.login_name_taken"
    response = client_for(sysadmin).post(reverse("org:user-create"), {"username": "someone", **VALID, "department": org.dept_a.pk})
    assert response.status_code == 200 and "password" not in response.context
    assert response.context["form"].non_field_errors()


def test_only_user_managers_create(org, owner, secadmin, viewer) -> None:
    for actor in (owner, secadmin, viewer):
        with pytest.raises(DomainError) as exc:
            user_create(actor=actor, username="someone", **VALID)
        assert exc.value.code == "org.permission_denied"


def test_edit_changes_profile_and_audits(client_for, sysadmin, owner, org) -> None:
    data = {"real_name": "王业务新", "employee_no": "E9", "mobile": "13600000009", "email": "", "department": org.dept_b.pk}
    response = client_for(sysadmin).post(reverse("org:user-edit", args=[owner.pk]), data)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.real_name, owner.department, owner.username) == ("王业务新", org.dept_b, "owner")
    event = AuditEvent.objects.filter(event_type="user.changed", object_id=str(owner.pk)).get()
    assert event.data["changes"]["department"] == {"before": org.dept_a.pk, "after": org.dept_b.pk}
    assert "13600000009" not in str(event.data)  # the mobile is masked in the audit trail too


def test_edit_refuses_taken_mobile(sysadmin, owner, colleague) -> None:
    colleague.mobile = "13600000001"
    colleague.save()
    with pytest.raises(DomainError) as exc:
        user_update(actor=sysadmin, user=owner, mobile="13600000001", employee_no="E1")
    assert exc.value.code == "org.mobile_taken"


def test_disable_with_reason_ends_sessions_then_enable(client_for, sysadmin, owner) -> None:
    owner_client = Client()
    owner_client.force_login(owner)
    assert Session.objects.count() == 1
    client = client_for(sysadmin)
    assert client.post(reverse("org:user-disable", args=[owner.pk]), {"reason": ""}).status_code == 200  # reason required
    owner.refresh_from_db()
    assert owner.is_active
    response = client.post(reverse("org:user-disable", args=[owner.pk]), {"reason": "离职"}, follow=True)
    owner.refresh_from_db()
    assert not owner.is_active
    assert not Session.objects.exclude(session_key=client.session.session_key).exists()
    assert any("owner" in str(m) for m in response.context["messages"])
    event = AuditEvent.objects.filter(event_type="user.disabled", object_id=str(owner.pk)).get()
    assert event.data["reason"] == "离职"
    client.post(reverse("org:user-enable", args=[owner.pk]), {"reason": "返岗"})
    owner.refresh_from_db()
    assert owner.is_active


def test_cannot_disable_self(sysadmin) -> None:
    with pytest.raises(DomainError) as exc:
        user_set_active(actor=sysadmin, user=sysadmin, active=False, reason="测试")
    assert exc.value.code == "org.cannot_disable_self"


def test_reset_password_shows_new_password_and_ends_sessions(client_for, sysadmin, owner) -> None:
    owner_client = Client()
    owner_client.force_login(owner)
    owner_key = owner_client.session.session_key
    response = client_for(sysadmin).post(reverse("org:user-reset-password", args=[owner.pk]))
    assert response.status_code == 200
    password = response.context["password"]
    owner.refresh_from_db()
    assert owner.check_password(password) and owner.must_change_password
    assert not Session.objects.filter(session_key=owner_key).exists()
    assert AuditEvent.objects.filter(event_type="account.password_reset", object_id=str(owner.pk)).exists()


def test_reset_requires_permission_and_post(client_for, sysadmin, owner, viewer) -> None:
    with pytest.raises(DomainError):
        user_reset_password(actor=viewer, user=owner)
    assert client_for(sysadmin).get(reverse("org:user-reset-password", args=[owner.pk])).status_code == 405


def test_bootstrap_admins_creates_three_bound_accounts(db) -> None:
    out = io.StringIO()
    call_command(
        "bootstrap_admins",
        "--sysadmin=zhou.jg:周建国:A001:13900000001",
        "--secadmin=wu.ap:吴安平:A002:13900000002",
        "--auditadmin=zheng.sy:郑审言:A003:13900000003",
        stdout=out,
    )
    users = {u.username: u for u in User.objects.filter(username__in=["zhou.jg", "wu.ap", "zheng.sy"])}
    assert {u.username: u.admin_kind for u in users.values()} == {"zhou.jg": "system", "wu.ap": "security", "zheng.sy": "audit"}
    for user in users.values():
        assert not user.is_demo and user.must_change_password and user.employee_no and user.mobile
        assert user.username in out.getvalue()
    # Run again: refused, nothing created.
    with pytest.raises(CommandError, match="org.admin_exists"):
        call_command(
            "bootstrap_admins",
            "--sysadmin=zhou2:周二:A011:13900000011",
            "--secadmin=wu2:吴二:A012:13900000012",
            "--auditadmin=zheng2:郑二:A013:13900000013",
            stdout=io.StringIO(),
        )
    assert not User.objects.filter(username="zhou2").exists()


def test_bootstrap_admins_refuses_reserved_names_and_bad_input(db) -> None:
    with pytest.raises(CommandError, match="org.login_name_reserved"):
        call_command(
            "bootstrap_admins",
            "--sysadmin=admin:甲:A1:13900000021",
            "--secadmin=sec1:乙:A2:13900000022",
            "--auditadmin=aud1:丙:A3:13900000023",
        )
    with pytest.raises(CommandError):
        call_command("bootstrap_admins", "--sysadmin=onlylogin", "--secadmin=sec1:乙:A2:13900000022", "--auditadmin=aud1:丙:A3:13900000023")
    assert not User.objects.exists()


def test_seed_demo_is_idempotent_and_keeps_every_login(db) -> None:
    from danbao.org import demo
    from danbao.org.models import Department, Position

    demo.seed()
    counts = (User.objects.count(), Department.objects.count(), Position.objects.count(), AuditEvent.objects.count())
    snapshot = sorted(User.objects.values_list("username", "department__code", "password", "is_demo"))
    assert demo.seed().endswith("0 new demo users")
    assert (User.objects.count(), Department.objects.count(), Position.objects.count(), AuditEvent.objects.count()) == counts
    assert sorted(User.objects.values_list("username", "department__code", "password", "is_demo")) == snapshot
    assert {u[0] for u in snapshot} == {row[0] for row in demo.USERS}
    manager = User.objects.get(username="manager")
    assert manager.check_password(demo.DEMO_PASSWORD) and not manager.must_change_password
    assert [r.code for r in manager.roles.all()] == ["business_manager"]
    branch = Department.objects.get(code="BR-CN-BIZ")
    assert branch.depth == 2 and branch.path == f"{branch.parent.path}{branch.pk}/"


def test_user_list_query_count_does_not_grow_with_rows(client_for, sysadmin, org) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(sysadmin)

    def count(n: int) -> int:
        for i in range(n - User.objects.count()):
            UserFactory(username=f"bulk{n}_{i}", department=org.dept_a, roles=[org.roles["business_manager"]])
        client.get(reverse("org:user-list"), {"size": 50})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("org:user-list"), {"size": 50})
        assert len(response.context["list"].rows) == n
        return len(ctx.captured_queries)

    assert count(5) == count(40)


def test_htmx_request_gets_only_the_table(client_for, sysadmin) -> None:
    response = client_for(sysadmin).get(reverse("org:user-list"), {"q": "sysadmin"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-region")
    body = response.content.decode()
    assert 'id="list-region"' in body and "<html" not in body and "sysadmin" in body
