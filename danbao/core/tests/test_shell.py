"""The shell: login required, menu built from permissions, workbench, error pages, headers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from danbao.audit.models import AuditEvent
from danbao.core.access import require_permission
from danbao.core.menu import menu_for
from danbao.core.workbench import Todo, TodoProvider, providers, register, todos_for


def test_anonymous_user_is_sent_to_login(client, db) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_menu_shows_only_groups_with_permitted_items(sysadmin, owner, auditadmin) -> None:
    admin_groups = [g.group.key for g in menu_for(sysadmin)]
    assert "system" in admin_groups
    labels = [str(i["label"]) for g in menu_for(sysadmin) for i in g.items]
    assert "Users" in labels or "用户管理" in labels
    assert not any("Audit" in label or "审计" in label for label in labels)
    owner_groups = [g.group.key for g in menu_for(owner)]
    assert owner_groups[0] == "workbench" and "system" not in owner_groups  # business users: no system management
    audit_labels = [str(i["label"]) for g in menu_for(auditadmin) for i in g.items]
    assert audit_labels and all("User" not in label for label in audit_labels)


def test_workbench_says_so_when_there_is_nothing_to_do(client_for, owner) -> None:
    response = client_for(owner).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="todo-empty"' in body
    assert owner.real_name in body


def test_workbench_lists_registered_todos_urgent_first(client_for, owner) -> None:
    def fetch(user):
        return [Todo("审批", "普通事项", "/a/"), Todo("审批", "紧急事项", "/b/", urgent=True)]

    register(TodoProvider("test-provider", "Test", fetch))
    try:
        assert [t.title for t in todos_for(owner)] == ["紧急事项", "普通事项"]
        body = client_for(owner).get("/").content.decode()
        assert body.index("紧急事项") < body.index("普通事项")
    finally:
        providers._entries.pop("test-provider")


def test_require_permission_refuses_and_logs(owner) -> None:
    @require_permission("org.user.manage")
    def view(request):
        raise AssertionError("must not run")

    request = RequestFactory().get("/secret/")
    request.user = owner
    with pytest.raises(PermissionDenied):
        view(request)
    event = AuditEvent.objects.get(event_type="access.denied")
    assert event.actor_username == "owner"
    assert event.result == "failure"
    assert event.data["path"] == "/secret/"


def test_pages_carry_security_headers_and_no_store(client_for, owner) -> None:
    response = client_for(owner).get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


def test_unknown_page_is_a_friendly_404(client_for, owner) -> None:
    response = client_for(owner).get("/no-such-page/")
    assert response.status_code == 404
    assert "不存在" in response.content.decode() or "does not exist" in response.content.decode()


def test_server_error_page_shows_an_error_id_and_no_traceback(db) -> None:
    from danbao.core.views import server_error

    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "error-id" in body
    assert "Traceback" not in body


def test_language_switch_to_english_and_back(client_for, owner) -> None:
    client = client_for(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My to-do list" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的待办" in client.get("/").content.decode()
