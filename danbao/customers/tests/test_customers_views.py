"""Customer pages: permissions (200/403/404), create/edit/close/size happy paths, masking, unmask, export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.customers.models import Customer
from danbao.customers.tests.customers_support import make_customer, new_ric, new_uscc

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"customers:{name}", args=args)


@pytest.fixture
def person(owner):
    return make_customer(owner, kind="natural_person", name="张三", identity_code=new_ric(), mobile="13812340011")


def test_list_permissions(client_for, owner, nobody, sysadmin, risk_manager):
    assert client_for(owner).get(_url("customer-list")).status_code == 200
    assert client_for(risk_manager).get(_url("customer-list")).status_code == 200
    assert client_for(nobody).get(_url("customer-list")).status_code == 403
    assert client_for(sysadmin).get(_url("customer-list")).status_code == 403


def test_list_shows_scope_and_masks_numbers(client_for, owner, outsider, person):
    other = make_customer(outsider, name="外部客户")
    html = client_for(owner).get(_url("customer-list")).content.decode()
    assert "张三" in html and other.name not in html
    assert person.identity_code not in html
    assert person.identity_code[:3] + "*" * 11 + person.identity_code[-4:] in html


def test_list_search_by_pinyin_initials_and_filter_by_kind(client_for, owner, person):
    make_customer(owner, name="长沙市金禾农业科技有限公司")
    client = client_for(owner)
    html = client.get(_url("customer-list"), {"q": "cssj"}).content.decode()
    assert "金禾" in html and "张三" not in html
    html = client.get(_url("customer-list"), {"kind": "natural_person"}).content.decode()
    assert "张三" in html and "金禾" not in html
    html = client.get(_url("customer-list"), {"section": "^(01|02|03|04|05)"}).content.decode()
    assert "金禾" not in html


def test_list_query_count_does_not_grow_with_rows(client_for, owner):
    client = client_for(owner)
    make_customer(owner)
    client.get(_url("customer-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(_url("customer-list"))
    for _ in range(15):
        make_customer(owner)
    with CaptureQueriesContext(connection) as many:
        client.get(_url("customer-list"))
    assert len(many) == len(few)


def test_export_is_masked_and_logged(client_for, owner, dept_head, person):
    client = client_for(owner)
    mark = audit_mark()
    response = client.get(_url("customer-list"), {"export": "xlsx", "cols": ["name", "identity_code", "mobile"]})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "张三" in values
    assert person.identity_code not in values and "13812340011" not in values
    assert "138****0011" in values
    assert_one_event("data.export", since=mark, object_type="customers")


def test_export_needs_permission(client_for, risk_manager):
    assert client_for(risk_manager).get(_url("customer-list"), {"export": "xlsx"}).status_code == 403


def test_detail_permissions(client_for, owner, colleague, outsider, dept_head, nobody, person):
    assert client_for(owner).get(_url("customer-detail", person.pk)).status_code == 200
    assert client_for(dept_head).get(_url("customer-detail", person.pk)).status_code == 200
    assert client_for(colleague).get(_url("customer-detail", person.pk)).status_code == 404
    assert client_for(outsider).get(_url("customer-detail", person.pk)).status_code == 404
    assert client_for(nobody).get(_url("customer-detail", person.pk)).status_code == 403


def test_detail_masks_and_shows_real_zero_exposure_and_timeline(client_for, owner, dept_head, person):
    response = client_for(dept_head).get(_url("customer-detail", person.pk))
    html = response.content.decode()
    assert person.identity_code not in html and "13812340011" not in html
    assert 'data-testid="unmask-identity_code"' not in html  # dept head may not unmask
    assert 'data-testid="exposure-balance">0.00<' in html
    assert "customer-timeline" in html
    assert 'data-testid="tab-link-documents"' in html


def test_unmask_reveals_once_and_logs(client_for, owner, person):
    client = client_for(owner)
    assert 'data-testid="unmask-identity_code"' in client.get(_url("customer-detail", person.pk)).content.decode()
    mark = audit_mark()
    response = client.post(_url("customer-unmask", person.pk), {"field": "identity_code", "reason": "核对身份证原件"})
    assert response.status_code == 200
    assert person.identity_code in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert_one_event("sensitive.unmasked", since=mark, actor_id=owner.pk, reason="核对身份证原件", data={"field": "identity_code"})
    # The next view is masked again.
    assert person.identity_code not in client.get(_url("customer-detail", person.pk)).content.decode()


def test_unmask_asks_for_the_password_when_it_was_entered_long_ago(client, owner, person):
    """Step-up (SECURITY A.18): without a recent sign-in or re-entry, nothing is revealed."""
    client.force_login(owner)  # a session whose password entry is not recent
    detail = _url("customer-detail", person.pk)
    mark = audit_mark()
    response = client.post(_url("customer-unmask", person.pk), {"field": "identity_code", "reason": "核对"}, HTTP_REFERER=detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:reauth"))
    assert_no_event("sensitive.unmasked", since=mark)


def test_unmask_refusals(client_for, owner, dept_head, outsider, person):
    assert client_for(dept_head).post(_url("customer-unmask", person.pk), {"field": "mobile", "reason": "x"}).status_code == 403
    assert client_for(outsider).post(_url("customer-unmask", person.pk), {"field": "mobile", "reason": "x"}).status_code == 404
    client = client_for(owner)
    mark = audit_mark()
    response = client.post(_url("customer-unmask", person.pk), {"field": "mobile", "reason": ""})
    assert response.status_code == 302
    assert mark.events("sensitive.unmasked") == []
    assert client.get(_url("customer-unmask", person.pk)).status_code == 405


def test_create_permissions(client_for, owner, dept_head):
    assert client_for(dept_head).get(_url("customer-create")).status_code == 403
    html = client_for(owner).get(_url("customer-create")).content.decode()
    assert 'data-testid="kind-cooperative"' in html


def test_create_form_shows_only_the_kinds_fields(client_for, owner):
    client = client_for(owner)
    html = client.get(_url("customer-create"), {"kind": "farmer"}).content.decode()
    assert 'name="household_address"' in html and 'name="registered_capital"' not in html
    html = client.get(_url("customer-create"), {"kind": "enterprise"}).content.decode()
    assert 'name="registered_capital"' in html and 'name="spouse_name"' not in html
    assert "data-searchable" in html


def _enterprise_post(owner, code, **extra):
    data = {
        "kind": "enterprise",
        "name": "长沙市丰源农业科技有限公司",
        "identity_code": code,
        "department": owner.department.pk,
        "manager": owner.pk,
        "legal_rep_name": "王五",
        "industry_code": "01",
        "region_code": "430102",
        "annual_revenue": "3000000",
    }
    data.update(extra)
    return data


def test_create_bad_code_shows_error_next_to_field_and_saves_nothing_then_fix(client_for, owner):
    client = client_for(owner)
    good = new_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post(_url("customer-create") + "?kind=enterprise", _enterprise_post(owner, bad))
    assert response.status_code == 200
    assert 'data-testid="error-identity_code"' in response.content.decode()
    assert not Customer.objects.exists()
    mark = audit_mark()
    response = client.post(_url("customer-create") + "?kind=enterprise", _enterprise_post(owner, good))
    customer = Customer.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("customer-detail", customer.pk)
    assert customer.size_class == "small" and customer.manager == owner
    assert_one_event("customer.created", since=mark, object_id=str(customer.pk))
    page = client.get(response["Location"]).content.decode()
    assert "长沙市丰源农业科技有限公司" in page


def test_create_duplicate_shows_existing_name(client_for, owner):
    existing = make_customer(owner, name="甲公司")
    response = client_for(owner).post(_url("customer-create"), _enterprise_post(owner, existing.identity_code))
    assert "该证件号码的客户已存在：甲公司" in response.content.decode()
    assert Customer.objects.count() == 1


def test_edit_saves_and_stale_version_is_refused(client_for, owner, person):
    client = client_for(owner)
    page = client.get(_url("customer-edit", person.pk))
    assert page.status_code == 200
    data = {
        "version": 1,
        "name": "张三丰",
        "identity_code": person.identity_code,
        "department": owner.department.pk,
        "manager": owner.pk,
        "mobile": "13812340011",
    }
    response = client.post(_url("customer-edit", person.pk), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "张三丰" and person.version == 2
    response = client.post(_url("customer-edit", person.pk), {**data, "name": "张四"})
    assert response.status_code == 200
    assert "该客户已被他人修改，请刷新后重试" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "张三丰"


def test_edit_permissions(client_for, owner, colleague, dept_head, person):
    assert client_for(dept_head).get(_url("customer-edit", person.pk)).status_code == 403
    assert client_for(colleague).get(_url("customer-edit", person.pk)).status_code == 404


def test_close_page_closes_with_reason(client_for, owner, person):
    client = client_for(owner)
    assert client.get(_url("customer-close", person.pk)).status_code == 200
    mark = audit_mark()
    response = client.post(_url("customer-close", person.pk), {"reason": "客户已迁出", "version": 1})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "closed"
    assert_one_event("customer.closed", since=mark, reason="客户已迁出")
    assert client.get(_url("customer-edit", person.pk)).status_code == 302


def test_size_override_page(client_for, owner, dept_head):
    customer = make_customer(owner, industry_code="01", annual_revenue=3000000)
    assert client_for(dept_head).get(_url("customer-size", customer.pk)).status_code == 403
    client = client_for(owner)
    assert client.get(_url("customer-size", customer.pk)).status_code == 200
    response = client.post(_url("customer-size", customer.pk), {"size_class": "micro", "reason": "", "version": 1})
    assert response.status_code == 200
    mark = audit_mark()
    response = client.post(_url("customer-size", customer.pk), {"size_class": "micro", "reason": "实际经营规模", "version": 1})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.effective_size_class == "micro"
    assert_one_event("customer.size_overridden", since=mark)


def test_documents_tab_registered_and_attachments_owner(owner, person):
    from danbao.core.attachments.registry import owner_entry

    entry = owner_entry(Customer)
    assert set(entry.kinds) == {"business_licence", "id_copy", "statement", "credit_report", "site_photo", "other"}
    assert entry.can_view(owner, person)
    assert entry.can_change(owner, person)


def test_edit_form_hides_personal_numbers_from_users_who_may_not_unmask(client_for, org, person):
    from danbao.org.models import Role
    from danbao.org.tests.factories import UserFactory

    role = Role.objects.create(
        code="assistant", name="业务助理", permissions=["customers.customer.view", "customers.customer.manage"], data_scope="all"
    )
    assistant = UserFactory(username="assistant", department=org.dept_a, roles=[role])
    client = client_for(assistant)
    html = client.get(_url("customer-edit", person.pk)).content.decode()
    assert 'name="household_address"' in html
    assert 'name="identity_code"' not in html and 'name="mobile"' not in html
    assert person.identity_code not in html and "13812340011" not in html
    response = client.post(
        _url("customer-edit", person.pk),
        {"version": 1, "name": "张三", "department": person.department_id, "manager": person.manager_id, "household_address": "新址"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.household_address == "新址" and person.mobile == "13812340011"


def test_list_htmx_request_gets_only_the_table(client_for, owner, person):
    response = client_for(owner).get(_url("customer-list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-region")
    html = response.content.decode()
    assert response.status_code == 200 and "张三" in html and "<html" not in html
