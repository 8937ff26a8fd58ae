"""Services: measure lifecycle, fulfilment blocking for each missing thing, allocation cap and 最高额
sharing, coverage, the revaluation maker-checker, custody, readiness lines, contract subjects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.securities import selectors, services
from danbao.securities.models import Allocation, Measure, MeasureState, MeasureTransition
from danbao.securities.tests.support import VALID_RIC, VALID_RIC_2, add_evidence, guarantee, house, mortgage, register, sign_contract

pytestmark = pytest.mark.django_db


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call(*args, **kwargs)
    assert exc.value.code == code, exc.value.message
    return exc.value


class TestMeasures:
    def test_create_from_related_party_customer_and_third(self, approved: Any, owner: Any) -> None:
        from danbao.customers.models import RelatedParty

        party = RelatedParty.objects.create(
            customer=approved.customer, kind="actual_controller", party_type="person", party_name="张三", party_id_code=VALID_RIC
        )
        m1 = services.measure_create(
            actor=owner, project=approved, kind="personal_guarantee", provider_source="related", related_party=party
        )
        assert m1.provider_name == "张三" and m1.provider_id_code == VALID_RIC and m1.state == MeasureState.PENDING
        assert m1.masked_id_code == "110***********002X"
        m2 = services.measure_create(actor=owner, project=approved, kind="corporate_guarantee", provider_source="customer")
        assert m2.provider_name == approved.customer.name and m2.provider_type == "company"
        m3 = guarantee(owner, approved, provider_id_code=VALID_RIC_2, provider_name="李四")
        assert Measure.objects.get(pk=m3.pk).provider_id_index  # blind index for exact search
        assert Measure.objects.filter(provider_id_index=m3.provider_id_index).count() == 1
        assert AuditEvent.objects.filter(event_type="securities.measure_created").count() == 3

    def test_invalid_id_code_and_foreign_party_refused(self, approved: Any, owner: Any, org: Any) -> None:
        from danbao.customers.models import RelatedParty
        from danbao.customers.tests.customers_support import make_customer

        refused("securities.id_code_invalid", guarantee, owner, approved, provider_id_code="110105194912310021")
        other = make_customer(owner, name="另一家公司")
        party = RelatedParty.objects.create(customer=other, kind="spouse", party_type="person", party_name="王五")
        refused(
            "securities.provider_invalid",
            services.measure_create,
            actor=owner,
            project=approved,
            kind="personal_guarantee",
            provider_source="related",
            related_party=party,
        )
        assert not Measure.objects.exists()

    def test_margin_needs_amount(self, approved: Any, owner: Any) -> None:
        refused(
            "securities.amount_invalid", services.measure_create, actor=owner, project=approved, kind="margin", provider_source="customer"
        )
        m = services.measure_create(actor=owner, project=approved, kind="margin", provider_source="customer", amount="100000")
        assert m.amount == D("100000.00") and m.contract_kind is None

    def test_only_approved_projects_in_scope(
        self, world: Any, approved: Any, owner: Any, b_manager: Any, outsider: Any, risk_manager: Any
    ) -> None:
        from danbao.projects.tests.support import intake

        draft = intake(world, owner, b_manager)
        refused("securities.project_not_approved", guarantee, owner, draft)
        refused("securities.permission_denied", guarantee, outsider, approved)
        refused("securities.permission_denied", guarantee, risk_manager, approved)  # no edit permission

    def test_cancel_needs_reason_keeps_row_and_releases_allocations(self, approved: Any, owner: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1000000")
        refused("securities.reason_required", services.measure_cancel, actor=owner, measure=m, reason=" ")
        services.measure_cancel(actor=owner, measure=m, reason="改为应收账款质押")
        m.refresh_from_db()
        assert m.state == MeasureState.CANCELLED and m.state_reason == "改为应收账款质押"
        assert not Allocation.objects.filter(released_at__isnull=True).exists()
        assert selectors.headroom(c) == D("2000000.00")
        # Cancelled is final: no fulfil, no second cancel, no edit.
        refused("securities.transition_not_allowed", services.measure_fulfil, actor=owner, measure=m)
        refused("securities.transition_not_allowed", services.measure_cancel, actor=owner, measure=m, reason="again")
        refused("securities.not_editable", services.measure_update, actor=owner, measure=m, kind="mortgage", provider_source="customer")
        assert Measure.objects.filter(pk=m.pk).exists()

    def test_update_pending_and_stale_version(self, approved: Any, owner: Any) -> None:
        m = guarantee(owner, approved)
        services.measure_update(
            actor=owner,
            measure=m,
            kind="personal_guarantee",
            provider_source="third",
            provider_type="person",
            provider_name="张三丰",
            provider_id_code=VALID_RIC,
            expected_version=1,
        )
        m.refresh_from_db()
        assert m.provider_name == "张三丰" and m.version == 2
        refused(
            "securities.stale",
            services.measure_update,
            actor=owner,
            measure=m,
            kind="other",
            provider_source="customer",
            expected_version=1,
        )


class TestFulfil:
    def test_guarantee_blocks_on_contract_then_evidence(self, approved: Any, owner: Any) -> None:
        m = guarantee(owner, approved)
        missing = selectors.measure_missing(m)
        assert any("合同" in x or "contract" in x for x in missing) and len(missing) == 2
        error = refused("securities.not_fulfillable", services.measure_fulfil, actor=owner, measure=m)
        assert "evidence" in error.message or "凭证" in error.message or "证明" in error.message
        sign_contract(owner, m)
        assert len(selectors.measure_missing(m)) == 1
        refused("securities.not_fulfillable", services.measure_fulfil, actor=owner, measure=m)
        add_evidence(owner, m)
        assert selectors.measure_missing(m) == []
        services.measure_fulfil(actor=owner, measure=m)
        m.refresh_from_db()
        assert m.state == MeasureState.FULFILLED and m.fulfilled_at is not None
        # A second submit changes nothing and says why.
        refused("securities.transition_not_allowed", services.measure_fulfil, actor=owner, measure=m)
        assert MeasureTransition.objects.filter(measure=m, target="fulfilled").count() == 1

    def test_mortgage_blocks_on_collateral_and_registration(self, approved: Any, owner: Any) -> None:
        m = mortgage(owner, approved)
        sign_contract(owner, m)
        add_evidence(owner, m)
        assert len(selectors.measure_missing(m)) == 1  # no collateral linked
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1500000")
        missing = selectors.measure_missing(m)
        assert len(missing) == 1 and c.number in missing[0]  # not registered
        refused("securities.not_fulfillable", services.measure_fulfil, actor=owner, measure=m)
        register(owner, c)
        services.measure_fulfil(actor=owner, measure=m)
        assert Measure.objects.get(pk=m.pk).state == MeasureState.FULFILLED

    def test_release_only_when_fulfilled_frees_the_value(self, approved: Any, owner: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="2000000")
        refused("securities.transition_not_allowed", services.measure_release, actor=owner, measure=m, reason="还款")
        register(owner, c)
        sign_contract(owner, m)
        add_evidence(owner, m)
        services.measure_fulfil(actor=owner, measure=m)
        refused("securities.reason_required", services.measure_release, actor=owner, measure=m, reason="")
        services.measure_release(actor=owner, measure=m, reason="贷款已结清，银行出具解保通知")
        m.refresh_from_db()
        assert m.state == MeasureState.RELEASED and m.released_at is not None
        assert selectors.headroom(c) == D("2000000.00")
        assert [t.target for t in m.transitions.all()] == ["fulfilled", "released"]


class TestAllocationAndCoverage:
    def test_cap_refuses_with_clear_message(self, approved: Any, owner: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner, value="1000000")
        error = refused(
            "securities.over_allocated", services.allocation_add, actor=owner, measure=m, collateral=c, allocated_value="1000000.01"
        )
        assert "1,000,000.00" in error.message
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1000000")
        refused("securities.already_allocated", services.allocation_add, actor=owner, measure=m, collateral=c, allocated_value="1")

    def test_wrong_type_and_kind(self, approved: Any, owner: Any) -> None:
        g = guarantee(owner, approved)
        c = house(owner)
        refused("securities.not_secured_kind", services.allocation_add, actor=owner, measure=g, collateral=c, allocated_value="1")
        pledge = services.measure_create(actor=owner, project=approved, kind="pledge", provider_source="customer")
        refused("securities.type_mismatch", services.allocation_add, actor=owner, measure=pledge, collateral=c, allocated_value="1")

    def test_shared_collateral_coverage_across_projects(
        self, world: Any, approved: Any, owner: Any, b_manager: Any, risk_manager: Any, dept_head: Any, gm: Any
    ) -> None:
        from danbao.securities.tests.support import approve

        second = approve(world, owner, b_manager, risk_manager, dept_head, gm, amount=D("500000"))
        building = house(owner, value="3000000", name="麓谷工业园厂房")
        m1, m2 = mortgage(owner, approved), mortgage(owner, second)
        services.allocation_add(actor=owner, measure=m1, collateral=building, allocated_value="1500000")
        services.allocation_add(actor=owner, measure=m2, collateral=building, allocated_value="1000000")
        # Only 500,000 left of the 3,000,000.
        refused(
            "securities.over_allocated",
            services.allocation_add,
            actor=owner,
            measure=mortgage(owner, second),
            collateral=building,
            allocated_value="600000",
        )
        c1, c2 = selectors.coverage_of(approved), selectors.coverage_of(second)
        assert c1.value == D("1050000.00") and c1.ratio == D("1.0500") and not c1.below
        assert c2.value == D("700000.00") and c2.ratio == D("1.4000")
        # The project's coverage ignores cancelled measures.
        services.measure_cancel(actor=owner, measure=m1, reason="换押")
        c1 = selectors.coverage_of(approved)
        assert c1.value == D("0.00") and c1.below and c1.required == D("1")

    def test_pledge_rate_and_minimum_are_dated_parameters(self, approved: Any, owner: Any) -> None:
        from danbao.securities import parameters

        assert parameters.pledge_rate("real_estate") == D("0.7")
        assert parameters.pledge_rate("deposit") == D("0.9")
        assert parameters.coverage_min() == D("1")
        m = mortgage(owner, approved)
        services.allocation_add(actor=owner, measure=m, collateral=house(owner, value="1200000"), allocated_value="1200000")
        coverage = selectors.coverage_of(approved)
        assert coverage.value == D("840000.00") and coverage.below


class TestRevaluation:
    def test_maker_checker(self, approved: Any, owner: Any, risk_manager: Any, dept_head: Any, org: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1000000")
        proposal = services.appraisal_record(actor=owner, collateral=c, value="1800000", appraiser="评估公司", appraised_on=dt.date.today())
        c.refresh_from_db()
        assert proposal.state == "proposed" and c.current_value == D("2000000.00")
        refused(
            "securities.revaluation_pending",
            services.appraisal_record,
            actor=owner,
            collateral=c,
            value="1",
            appraiser="x",
            appraised_on=dt.date.today(),
        )
        # The proposer has no confirm permission; a risk manager who proposed cannot confirm either.
        refused("securities.permission_denied", services.revaluation_confirm, actor=owner, appraisal=proposal)
        assert proposal in selectors.revaluations_waiting_for(risk_manager)
        services.revaluation_confirm(actor=risk_manager, appraisal=proposal)
        c.refresh_from_db()
        assert c.current_value == D("1800000.00")
        refused("securities.not_proposed", services.revaluation_confirm, actor=dept_head, appraisal=proposal)
        # The same person who proposes cannot confirm (a user holding both the edit and confirm grants).
        from danbao.org.tests.factories import UserFactory

        both = UserFactory(
            username="both", department=org.dept_a, roles=[org.roles["business_manager"], org.roles["risk_manager"]], real_name="兼岗"
        )
        second = services.appraisal_record(actor=both, collateral=c, value="1900000", appraiser="评估公司", appraised_on=dt.date.today())
        refused("securities.same_person", services.revaluation_confirm, actor=both, appraisal=second)
        assert second not in selectors.revaluations_waiting_for(both)
        assert second in selectors.revaluations_waiting_for(risk_manager)
        refused("securities.reason_required", services.revaluation_reject, actor=dept_head, appraisal=second, reason="")
        services.revaluation_reject(actor=dept_head, appraisal=second, reason="评估报告未附可比案例")
        c.refresh_from_db()
        assert c.current_value == D("1800000.00")
        assert list(c.appraisals.values_list("state", flat=True)).count("confirmed") == 2

    def test_revaluation_below_allocations_shows_over_allocation(self, approved: Any, owner: Any, risk_manager: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="2000000")
        proposal = services.appraisal_record(actor=owner, collateral=c, value="1500000", appraiser="评估公司", appraised_on=dt.date.today())
        services.revaluation_confirm(actor=risk_manager, appraisal=proposal)
        c.refresh_from_db()
        page = selectors.collateral_page(risk_manager, c)
        assert page["over_allocated"] and page["headroom"] == D("0.00")


class TestCollateral:
    def test_attributes_validated_per_type(self, owner: Any) -> None:
        services.ensure_setup()
        error = refused(
            "securities.attributes_invalid",
            services.collateral_create,
            actor=owner,
            type="vehicle",
            name="车",
            attributes={"plate": "湘A12345", "vin": "ABC"},
        )
        assert "VIN" in error.message
        car = services.collateral_create(
            actor=owner, type="vehicle", name="奔驰货车", attributes={"plate": "湘A12345", "vin": "lsvam4187c2184847"}
        )
        assert car.attributes["vin"] == "LSVAM4187C2184847" and car.current_value is None and car.number.startswith("DZY")
        deposit = services.collateral_create(
            actor=owner,
            type="deposit",
            name="定期存单",
            attributes={"bank": "工商银行", "account": "6222 0200 1234 5678", "amount": "300000"},
        )
        from danbao.securities.forms import attributes_display

        assert ("账号" in str(attributes_display(deposit)) or "Account" in str(attributes_display(deposit))) and "****5678" in str(
            attributes_display(deposit)
        )
        assert "62220200" not in str(attributes_display(deposit))

    def test_owner_shares_and_encrypted_id(self, owner: Any) -> None:
        from django.db import connection

        c = house(owner)
        refused(
            "securities.share_invalid", services.owner_add, actor=owner, collateral=c, name="李四", party_type="person", share_percent="10"
        )
        c2 = house(owner, name="共有房产")
        c2.owners.update(share_percent=D("50"))
        row = services.owner_add(actor=owner, collateral=c2, name="李四", party_type="person", id_code=VALID_RIC_2, share_percent="50")
        with connection.cursor() as cursor:
            cursor.execute("select id_code from securities_collateralowner where id = %s", [row.pk])
            raw = cursor.fetchone()[0]
        assert VALID_RIC_2 not in raw and raw.startswith("v1:")
        assert row.masked_id_code == "430***********2341"

    def test_custody_in_out_return(self, owner: Any, archivist: Any, approved: Any) -> None:
        m = mortgage(owner, approved)
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1")
        refused(
            "securities.permission_denied", services.custody_in, actor=owner, collateral=c, document="权证", location="柜1", reason="入库"
        )
        services.custody_in(actor=archivist, collateral=c, document="不动产权证书", location="档案室1号柜", reason="抵押登记完成")
        assert selectors.current_location(c) == "档案室1号柜"
        out = services.custody_out(actor=archivist, collateral=c, document="不动产权证书", location="不动产登记中心", reason="办理变更登记")
        assert "不动产登记中心" in selectors.current_location(c)
        refused("securities.custody_out", services.custody_in, actor=archivist, collateral=c, document="x", location="y", reason="z")
        services.custody_return(actor=archivist, entry=out, location="档案室2号柜")
        assert selectors.current_location(c) == "档案室2号柜"
        refused("securities.custody_not_out", services.custody_return, actor=archivist, entry=out, location="x")

    def test_scope_of_collateral(self, approved: Any, owner: Any, colleague: Any, dept_head: Any, outsider: Any) -> None:
        c = house(owner)
        assert c in selectors.collateral_list_for(owner)
        assert c not in selectors.collateral_list_for(dept_head)  # secures nothing yet
        services.allocation_add(actor=owner, measure=mortgage(owner, approved), collateral=c, allocated_value="1")
        assert c in selectors.collateral_list_for(dept_head)
        assert c not in selectors.collateral_list_for(outsider)
        assert c not in selectors.collateral_list_for(colleague)


class TestReadiness:
    def test_lines(self, approved: Any, owner: Any) -> None:
        lines = selectors.readiness(approved)
        assert [item.key for item in lines] == ["securities.recorded"] and not lines[0].ok
        g = guarantee(owner, approved)
        m = mortgage(owner, approved)
        c = house(owner, value="1000000")
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1000000")
        lines = {item.key: item for item in selectors.readiness(approved)}
        assert set(lines) == {f"securities.measure:{g.pk}", f"securities.measure:{m.pk}", "securities.coverage"}
        assert (
            not lines[f"securities.measure:{g.pk}"].ok
            and "evidence" in lines[f"securities.measure:{g.pk}"].detail
            or "凭证" in lines[f"securities.measure:{g.pk}"].detail
            or "证明" in lines[f"securities.measure:{g.pk}"].detail
        )
        assert not lines["securities.coverage"].ok and "70.0%" in lines["securities.coverage"].detail
        for measure in (g, m):
            sign_contract(owner, measure)
            add_evidence(owner, measure)
        register(owner, c)
        services.measure_fulfil(actor=owner, measure=g)
        services.measure_fulfil(actor=owner, measure=m)
        lines = {item.key: item for item in selectors.readiness(approved)}
        assert lines[f"securities.measure:{g.pk}"].ok and lines[f"securities.measure:{m.pk}"].ok
        assert not lines["securities.coverage"].ok  # 700,000 after the 70 % rate < 1,000,000
        proposal = None
        services.measure_cancel  # noqa: B018 - coverage is fixed by more collateral, not by cancelling
        c2 = house(owner, value="500000", name="第二套房产")
        m2 = mortgage(owner, approved)
        services.allocation_add(actor=owner, measure=m2, collateral=c2, allocated_value="500000")
        lines = {item.key: item for item in selectors.readiness(approved)}
        assert lines["securities.coverage"].ok and proposal is None

    def test_contract_subjects(self, approved: Any, owner: Any) -> None:
        from danbao.contracts.subjects import subjects_for

        g = guarantee(owner, approved)
        m = mortgage(owner, approved)
        services.measure_create(actor=owner, project=approved, kind="margin", provider_source="customer", amount="50000")
        c = house(owner)
        services.allocation_add(actor=owner, measure=m, collateral=c, allocated_value="1500000")
        register(owner, c)
        found = {s.key: s for s in subjects_for(approved)}
        assert set(found) == {g.subject_key, m.subject_key}
        assert found[g.subject_key].kind == "counter_guarantee" and found[g.subject_key].party_id_code == VALID_RIC
        rows = found[m.subject_key].context["collateral"]
        assert found[m.subject_key].kind == "counter_mortgage" and rows[0]["name"] == c.name and rows[0]["owner"] == "张三"
        assert rows[0]["value"] == "2000000.00" and "1,500,000.00" in rows[0]["note"] and rows[0]["certificate"].startswith("湘(2023)")
