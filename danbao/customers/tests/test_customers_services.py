"""Customer services: create/update/close/size override, refusals, permissions, audit, locking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers import hooks
from danbao.customers.identity import ric_check_char
from danbao.customers.models import Customer
from danbao.customers.services import (
    customer_close,
    customer_create,
    customer_size_override,
    customer_unmask,
    customer_update,
)
from danbao.customers.tests.customers_support import make_customer, new_ric, new_uscc

pytestmark = pytest.mark.django_db


def _enterprise(owner, **extra):
    data = {
        "name": "长沙市金禾农业科技有限公司",
        "identity_code": new_uscc(),
        "department": owner.department,
        "manager": owner,
        "industry_code": "13",
        "employees": 50,
        "annual_revenue": Decimal("5000000"),
        "total_assets": Decimal("8000000"),
        "legal_rep_name": "王五",
    }
    data.update(extra)
    return customer_create(actor=owner, kind="enterprise", **data)


def test_create_enterprise_derives_initials_size_and_audits(owner):
    mark = audit_mark()
    customer = _enterprise(owner, identity_code=" " + new_uscc().lower() + " ")
    customer.refresh_from_db()
    assert customer.identity_type == "uscc"
    assert customer.identity_code == customer.identity_code.upper().strip()
    assert customer.name_initials == "cssjhnykjyxgs"
    # Industry (13), 50 employees, revenue 500 万 → small (工业: ≥20 persons and ≥300 万).
    assert customer.size_class == "small"
    assert customer.effective_size_class == "small"
    assert customer.version == 1 and customer.created_by == owner
    event = assert_one_event("customer.created", since=mark, actor_id=owner.pk, object_id=str(customer.pk))
    assert event.data["after"]["identity_code"].count("*") == 3
    assert customer.identity_code not in str(event.data)


def test_create_person_derives_gender_and_birth_date(owner):
    body = "11010519850315002"  # 17th digit 2 → female
    code = body + ric_check_char(body)
    customer = make_customer(owner, kind="farmer", identity_code=code, name="李四")
    assert customer.identity_type == "ric"
    assert customer.gender == "female"
    assert customer.birth_date == date(1985, 3, 15)
    assert customer.size_class == ""


def test_letter_led_credit_code_is_accepted(owner):
    customer = make_customer(owner, kind="cooperative", identity_code=new_uscc("N2"), name="某县稻香水稻种植专业合作社")
    assert customer.identity_code.startswith("N2")


def test_bad_credit_code_blocks_with_the_reason_and_saves_nothing(owner):
    code = new_uscc()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError) as exc:
        _enterprise(owner, identity_code=wrong)
    assert exc.value.code == "customers.identity_invalid"
    assert exc.value.data["field"] == "identity_code"
    assert exc.value.message  # the identity module's explanation
    assert not Customer.objects.exists()


def test_bad_id_number_blocks(owner):
    with pytest.raises(DomainError) as exc:
        make_customer(owner, kind="natural_person", identity_code="110105198503150021")
    assert exc.value.code == "customers.identity_invalid" or "check" in exc.value.message


def test_unknown_area_code_is_a_warning_not_a_refusal(owner):
    body = "99000019850315003"
    customer = make_customer(owner, kind="natural_person", identity_code=body + ric_check_char(body))
    assert customer.pk
    assert customer.warnings


def test_duplicate_code_refused_with_existing_name(owner, colleague):
    code = new_uscc()
    _enterprise(owner, identity_code=code, name="甲公司")
    with pytest.raises(DomainError) as exc:
        _enterprise(colleague, identity_code=code, name="乙公司")
    assert exc.value.code == "customers.duplicate"
    assert "甲公司" in exc.value.message
    assert Customer.objects.count() == 1


def test_duplicate_code_refused_by_the_database(owner):
    customer = make_customer(owner)
    from django.db import IntegrityError, transaction

    clone = Customer(
        kind="enterprise", name="x", identity_type="uscc", identity_code=customer.identity_code, department=owner.department, manager=owner
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("industry_code", "ZZ", "customers.industry_unknown"),
        ("region_code", "999999", "customers.region_unknown"),
        ("mobile", "12345", "customers.mobile_invalid"),
        ("name", "  ", "customers.name_required"),
        ("legal_rep_id", "110105198503150021", "customers.person_id_invalid"),
        ("spouse_name", "不适用", "customers.field_not_allowed"),
    ],
)
def test_create_refusals(owner, field, value, code):
    with pytest.raises(DomainError) as exc:
        _enterprise(owner, **{field: value})
    assert exc.value.code == code
    assert not Customer.objects.exists()


def test_unknown_kind_refused(owner):
    with pytest.raises(DomainError) as exc:
        customer_create(actor=owner, kind="alien", name="x", identity_code=new_uscc(), department=owner.department, manager=owner)
    assert exc.value.code == "customers.kind_invalid"


def test_create_needs_permission(nobody, owner, risk_manager):
    for actor in (nobody, risk_manager):
        with pytest.raises(DomainError) as exc:
            _enterprise(owner, manager=owner) if actor is None else customer_create(
                actor=actor, kind="enterprise", name="x", identity_code=new_uscc(), department=owner.department, manager=owner
            )
        assert exc.value.code == "customers.permission_denied"


def test_create_outside_own_scope_refused(owner, outsider):
    # A business manager (own records only) cannot file a customer under someone else's name.
    with pytest.raises(DomainError) as exc:
        customer_create(
            actor=owner, kind="enterprise", name="x", identity_code=new_uscc(), department=outsider.department, manager=outsider
        )
    assert exc.value.code == "customers.permission_denied"


def test_update_changes_bumps_version_and_audits_masked(owner):
    customer = _enterprise(owner)
    mark = audit_mark()
    updated = customer_update(actor=owner, customer=customer, expected_version=1, mobile="13912345678", employees=5)
    assert updated.version == 2
    # 5 employees in industry → micro.
    assert updated.size_class == "micro"
    event = assert_one_event("customer.updated", since=mark, object_id=str(customer.pk))
    assert set(event.data["fields"]) >= {"mobile", "employees", "size_class"}
    assert event.data["after"]["mobile"] == "139****5678"
    assert "13912345678" not in str(event.data)


def test_update_without_change_writes_nothing(owner):
    customer = _enterprise(owner)
    mark = audit_mark()
    updated = customer_update(actor=owner, customer=customer, expected_version=1, name=customer.name)
    assert updated.version == 1
    assert mark.events("customer.updated") == []


def test_optimistic_locking_second_save_from_same_version_refused(owner, colleague):
    customer = _enterprise(owner)
    customer_update(actor=owner, customer=customer, expected_version=1, contact_address="第一次")
    with pytest.raises(DomainError) as exc:
        customer_update(actor=owner, customer=customer, expected_version=1, contact_address="第二次")
    assert exc.value.code == "customers.stale"
    customer.refresh_from_db()
    assert customer.contact_address == "第一次"
    assert customer.version == 2


def test_closed_customer_cannot_be_changed(owner):
    customer = _enterprise(owner)
    mark = audit_mark()
    closed = customer_close(actor=owner, customer=customer, reason="已注销")
    assert closed.status == "closed" and closed.closed_reason == "已注销"
    assert_one_event("customer.closed", since=mark, object_id=str(customer.pk), reason="已注销")
    assert Customer.objects.filter(pk=customer.pk).exists()  # never deleted
    with pytest.raises(DomainError) as exc:
        customer_update(actor=owner, customer=closed, expected_version=None, name="新名称")
    assert exc.value.code == "customers.closed"
    with pytest.raises(DomainError) as exc:
        customer_close(actor=owner, customer=closed, reason="again")
    assert exc.value.code == "customers.already_closed"


def test_close_needs_reason_and_permission(owner, dept_head):
    customer = _enterprise(owner)
    with pytest.raises(DomainError) as exc:
        customer_close(actor=owner, customer=customer, reason=" ")
    assert exc.value.code == "customers.reason_required"
    with pytest.raises(DomainError) as exc:
        customer_close(actor=dept_head, customer=customer, reason="x")
    assert exc.value.code == "customers.permission_denied"


def test_size_override_needs_reason_and_is_audited(owner):
    customer = _enterprise(owner)
    with pytest.raises(DomainError) as exc:
        customer_size_override(actor=owner, customer=customer, size_class="micro", reason="")
    assert exc.value.code == "customers.reason_required"
    with pytest.raises(DomainError) as exc:
        customer_size_override(actor=owner, customer=customer, size_class="huge", reason="x")
    assert exc.value.code == "customers.size_invalid"
    mark = audit_mark()
    changed = customer_size_override(actor=owner, customer=customer, size_class="micro", reason="按审计报告")
    assert changed.effective_size_class == "micro" and changed.size_class == "small"
    assert changed.size_override_by == owner and changed.size_override_at
    assert_one_event("customer.size_overridden", since=mark, reason="按审计报告", data={"before": "", "after": "micro"})
    # A later profile save keeps the override, recomputes the computed class.
    again = customer_update(actor=owner, customer=changed, expected_version=changed.version, employees=500)
    assert again.size_class_override == "micro"


def test_size_override_only_for_organisations(owner):
    person = make_customer(owner, kind="natural_person")
    with pytest.raises(DomainError) as exc:
        customer_size_override(actor=owner, customer=person, size_class="micro", reason="x")
    assert exc.value.code == "customers.size_not_applicable"


def test_after_saved_hooks_run_on_create_and_update(owner, monkeypatch):
    seen = []
    monkeypatch.setattr(hooks, "after_customer_saved", [lambda c, a: seen.append((c.pk, a))])
    customer = _enterprise(owner)
    customer_update(actor=owner, customer=customer, expected_version=1, contact_address="新地址")
    assert seen == [(customer.pk, owner), (customer.pk, owner)]


def test_failing_hook_rolls_the_save_back(owner, monkeypatch):
    def boom(customer, actor):
        raise RuntimeError("screening down")

    monkeypatch.setattr(hooks, "after_customer_saved", [boom])
    with pytest.raises(RuntimeError):
        _enterprise(owner)
    assert not Customer.objects.exists()


def test_unmask_requires_permission_and_reason_and_logs(owner, dept_head):
    customer = make_customer(owner, kind="natural_person", identity_code=new_ric())
    with pytest.raises(DomainError) as exc:
        customer_unmask(actor=dept_head, customer=customer, field="identity_code", reason="核实")
    assert exc.value.code == "customers.permission_denied"
    with pytest.raises(DomainError) as exc:
        customer_unmask(actor=owner, customer=customer, field="identity_code", reason="")
    assert exc.value.code == "customers.reason_required"
    mark = audit_mark()
    value = customer_unmask(actor=owner, customer=customer, field="identity_code", reason="核实身份")
    assert value == customer.identity_code
    assert_one_event("sensitive.unmasked", since=mark, actor_id=owner.pk, reason="核实身份", data={"field": "identity_code"})


def test_history_records_the_actor(owner):
    customer = _enterprise(owner)
    customer_update(actor=owner, customer=customer, expected_version=1, contact_address="新地址")
    record = customer.history.order_by("-history_id").first()
    assert record.history_user == owner
