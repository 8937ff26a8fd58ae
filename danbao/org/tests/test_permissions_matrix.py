"""Deny by default (SECURITY B.20): every URL of the project declares its permission, and a role × URL
matrix for the organisation pages gives the expected 200 / 403 / login redirect."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from danbao.org import permissions as p

# Views that are public on purpose (sign-in and sign-out, health check, language switch, API schema).
PUBLIC = {"core:healthz", "org:login", "org:logout", "set_language", "api-schema"}
PUBLIC_PREFIXES = ("static/", "media/", "__debug__/")


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern.callback


ALL_URLS = list(walk(get_resolver("danbao.urls").url_patterns))


def test_the_walk_finds_the_organisation_pages() -> None:
    names = {name for _route, name, _cb in ALL_URLS}
    assert {"org:user-list", "org:role-list", "org:grant-edit", "org:department-list"} <= names
    assert len(ALL_URLS) > 30


@pytest.mark.parametrize("route, name, callback", ALL_URLS, ids=[f"{name or route}" for route, name, _cb in ALL_URLS])
def test_every_view_declares_its_permission(route, name, callback) -> None:
    if name in PUBLIC or route.startswith(PUBLIC_PREFIXES):
        return
    declared = getattr(callback, "required_permissions", None)
    assert declared is not None, f"{route} ({name}) has no require_permission/login_only gate"
    unknown = set(declared) - set(p.all_codes())
    assert not unknown, f"{route} ({name}) requires unknown permission codes {sorted(unknown)}"


ORG_PAGES = [
    "org:department-list",
    "org:department-create",
    "org:position-list",
    "org:user-list",
    "org:user-create",
    "org:role-list",
    "org:role-create",
]
GRANT_PAGES = ["org:grant-list"]
MATRIX = {
    # who: (status on ORG_PAGES, status on GRANT_PAGES)
    "sysadmin": (200, 403),
    "secadmin": (403, 200),
    "auditadmin": (403, 403),
    "owner": (403, 403),  # business manager
    "risk_manager": (403, 403),
    "dept_head": (403, 403),
    "nobody": (403, 403),
}


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("url_name", ORG_PAGES + GRANT_PAGES)
def test_role_url_matrix(request, client_for, who, url_name) -> None:
    expected = MATRIX[who][1] if url_name in GRANT_PAGES else MATRIX[who][0]
    response = client_for(request.getfixturevalue(who)).get(reverse(url_name))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "url_name, needs_pk", [("org:user-detail", True), ("org:user-edit", True), ("org:grant-edit", True), ("org:department-edit", False)]
)
def test_object_pages_matrix(client_for, sysadmin, secadmin, auditadmin, owner, org, url_name, needs_pk) -> None:
    url = reverse(url_name, args=[owner.pk if needs_pk else org.dept_a.pk])
    grant = url_name == "org:grant-edit"
    assert client_for(sysadmin).get(url).status_code == (403 if grant else 200)
    assert client_for(secadmin).get(url).status_code == (200 if grant else 403)
    assert client_for(auditadmin).get(url).status_code == 403
    assert client_for(owner).get(url).status_code == 403


@pytest.mark.parametrize("url_name", ORG_PAGES + GRANT_PAGES)
def test_anonymous_is_sent_to_login(client, url_name) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and reverse("org:login") in response["Location"]


def test_refusals_are_logged(client_for, owner) -> None:
    from danbao.audit.models import AuditEvent

    client_for(owner).get(reverse("org:user-list"))
    event = AuditEvent.objects.filter(event_type="access.denied").get()
    assert event.actor_username == "owner" and event.data["required"] == ["org.user.view"]
