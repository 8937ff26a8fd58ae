"""Pages: who sees them (scope, permission), who gets 403/404, the happy paths, and that identity codes
never reach list HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from danbao.securities import services
from danbao.securities.models import Appraisal, Collateral, Measure, MeasureState
from danbao.securities.tests.support import VALID_RIC, VALID_RIC_2, guarantee, house, mortgage

pytestmark = pytest.mark.django_db


def test_project_pages_visibility(
    client_for: Any, approved: Any, owner: Any, dept_head: Any, risk_manager: Any, outsider: Any, nobody: Any, archivist: Any
) -> None:
    m = guarantee(owner, approved)
    for user in (owner, dept_head, risk_manager, archivist):
        page = client_for(user).get(reverse("securities:project-measures", args=[approved.pk]))
        assert page.status_code == 200, user
        html = page.content.decode()
        assert "实际控制人夫妇提供连带责任保证" in html and VALID_RIC not in html
        assert client_for(user).get(reverse("securities:measure-detail", args=[m.pk])).status_code == 200
    assert client_for(outsider).get(reverse("securities:project-measures", args=[approved.pk])).status_code == 404
    assert client_for(outsider).get(reverse("securities:measure-detail", args=[m.pk])).status_code == 404
    assert client_for(nobody).get(reverse("securities:project-measures", args=[approved.pk])).status_code == 403
    listing = client_for(owner).get(reverse("securities:project-list"))
    assert listing.status_code == 200 and approved.number in listing.content.decode()
    assert approved.number not in client_for(outsider).get(reverse("securities:project-list")).content.decode()
    detail = client_for(owner).get(reverse("securities:measure-detail", args=[m.pk])).content.decode()
    assert VALID_RIC not in detail and "110***********002X" in detail


def test_add_measure_page(client_for: Any, approved: Any, owner: Any, risk_manager: Any) -> None:
    url = reverse("securities:measure-create", args=[approved.pk])
    assert client_for(risk_manager).get(url).status_code == 403
    client = client_for(owner)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "kind": "personal_guarantee",
            "provider_source": "third",
            "provider_type": "person",
            "provider_name": "李四",
            "provider_id_code": "123",
        },
    )
    assert bad.status_code == 200 and not Measure.objects.exists()
    response = client.post(
        url,
        {
            "kind": "personal_guarantee",
            "requirement": "实际控制人夫妇提供连带责任保证",
            "provider_source": "third",
            "provider_type": "person",
            "provider_name": "李四",
            "provider_id_code": VALID_RIC_2,
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("securities:measure-detail", args=[measure.pk])
    assert measure.provider_id_code == VALID_RIC_2 and measure.requirement == "实际控制人夫妇提供连带责任保证"
    edit = client.post(
        reverse("securities:measure-edit", args=[measure.pk]),
        {
            "version": measure.version,
            "kind": "personal_guarantee",
            "provider_source": "third",
            "provider_type": "person",
            "provider_name": "李四四",
            "provider_id_code": "",
        },
    )
    measure.refresh_from_db()
    assert edit.status_code == 302 and measure.provider_name == "李四四" and measure.provider_id_code == VALID_RIC_2


def test_fulfil_cancel_buttons(client_for: Any, approved: Any, owner: Any, outsider: Any) -> None:
    m = guarantee(owner, approved)
    client = client_for(owner)
    response = client.post(reverse("securities:measure-fulfil", args=[m.pk]), follow=True)
    assert "contract" in response.content.decode() or "合同" in response.content.decode()
    assert Measure.objects.get(pk=m.pk).state == MeasureState.PENDING
    assert client_for(outsider).post(reverse("securities:measure-cancel", args=[m.pk]), {"reason": "x"}).status_code == 404
    client_for(owner).post(reverse("securities:measure-cancel", args=[m.pk]), {"reason": "方案调整"})
    assert Measure.objects.get(pk=m.pk).state == MeasureState.CANCELLED


def test_allocation_from_measure_page(client_for: Any, approved: Any, owner: Any) -> None:
    m = mortgage(owner, approved)
    c = house(owner, value="1000000")
    client = client_for(owner)
    page = client.get(reverse("securities:measure-detail", args=[m.pk])).content.decode()
    assert c.number in page
    too_much = client.post(
        reverse("securities:allocation-add", args=[m.pk]), {"collateral": c.pk, "allocated_value": "1000001"}, follow=True
    )
    assert "1,000,000.00" in too_much.content.decode() and not m.allocations.exists()
    client.post(reverse("securities:allocation-add", args=[m.pk]), {"collateral": c.pk, "allocated_value": "800000"})
    assert m.allocations.get().allocated_value == 800000
    page = client.get(reverse("securities:project-measures", args=[approved.pk])).content.decode()
    assert "56.0%" in page  # 800,000 × 70 % ÷ 1,000,000


def test_collateral_register_and_detail(client_for: Any, approved: Any, owner: Any, dept_head: Any, outsider: Any, nobody: Any) -> None:
    c = house(owner)
    services.allocation_add(actor=owner, measure=mortgage(owner, approved), collateral=c, allocated_value="1500000")
    for user in (owner, dept_head):
        listing = client_for(user).get(reverse("securities:collateral-list"))
        html = listing.content.decode()
        assert listing.status_code == 200 and c.number in html
        assert VALID_RIC not in html and "110***" not in html  # identity codes never in lists
        assert client_for(user).get(reverse("securities:collateral-detail", args=[c.pk])).status_code == 200
    assert c.number not in client_for(outsider).get(reverse("securities:collateral-list")).content.decode()
    assert client_for(outsider).get(reverse("securities:collateral-detail", args=[c.pk])).status_code == 404
    assert client_for(nobody).get(reverse("securities:collateral-list")).status_code == 403
    # Filters: owner name (search), type, registration.
    client = client_for(owner)
    assert c.number in client.get(reverse("securities:collateral-list"), {"q": "张三"}).content.decode()
    assert c.number not in client.get(reverse("securities:collateral-list"), {"q": "无此人"}).content.decode()
    assert c.number not in client.get(reverse("securities:collateral-list"), {"type": "vehicle"}).content.decode()
    assert c.number in client.get(reverse("securities:collateral-list"), {"registered": "no"}).content.decode()
    detail = client.get(reverse("securities:collateral-detail", args=[c.pk])).content.decode()
    assert VALID_RIC not in detail and "110***********002X" in detail and "1,500,000.00" in detail


def test_collateral_create_page(client_for: Any, owner: Any, risk_manager: Any) -> None:
    services.ensure_setup()
    url = reverse("securities:collateral-create")
    assert client_for(risk_manager).get(url).status_code == 403
    client = client_for(owner)
    assert client.get(url + "?type=equipment").status_code == 200
    data = {
        "type": "equipment",
        "name": "数控机床",
        "attr-model": "DMG DMU50",
        "attr-serial": "SN-001",
        "attr-year": "2021",
        "owner-party_type": "company",
        "owner-name": "长沙市金禾农业科技有限公司",
        "owner-id_code": "",
        "appraisal-value": "860000",
        "appraisal-appraiser": "评估公司",
        "appraisal-appraised_on": dt.date.today().isoformat(),
    }
    bad = client.post(url, {**data, "attr-year": "1800"})
    assert bad.status_code == 200 and not Collateral.objects.exists()
    response = client.post(url, data)
    c = Collateral.objects.get()
    assert response.status_code == 302 and c.current_value == 860000 and c.attributes["serial"] == "SN-001"


def test_revaluation_pages(client_for: Any, approved: Any, owner: Any, risk_manager: Any) -> None:
    c = house(owner)
    services.allocation_add(actor=owner, measure=mortgage(owner, approved), collateral=c, allocated_value="1")
    client = client_for(owner)
    client.post(
        reverse("securities:appraisal-add", args=[c.pk]),
        {"appraisal-value": "2100000", "appraisal-appraiser": "评估公司", "appraisal-appraised_on": dt.date.today().isoformat()},
    )
    proposal = Appraisal.objects.get(state="proposed")
    assert client.post(reverse("securities:revaluation-confirm", args=[c.pk, proposal.pk])).status_code == 403
    page = client_for(risk_manager).get(reverse("securities:collateral-detail", args=[c.pk])).content.decode()
    assert 'data-testid="col-confirm"' in page
    from danbao.core.workbench import todos_for

    assert any(c.number in todo.title for todo in todos_for(risk_manager))
    client_for(risk_manager).post(reverse("securities:revaluation-confirm", args=[c.pk, proposal.pk]))
    c.refresh_from_db()
    assert c.current_value == 2100000


def test_custody_pages(client_for: Any, approved: Any, owner: Any, archivist: Any) -> None:
    c = house(owner)
    services.allocation_add(actor=owner, measure=mortgage(owner, approved), collateral=c, allocated_value="1")
    url = reverse("securities:custody-add", args=[c.pk])
    data = {"direction": "in", "cus-document": "不动产权证书", "cus-location": "档案室1号柜", "cus-reason": "入库"}
    assert client_for(owner).post(url, data).status_code == 403
    client_for(archivist).post(url, data)
    assert c.custody.get().location == "档案室1号柜"
    listing = client_for(archivist).get(reverse("securities:collateral-list"), {"location": "档案室1号柜"}).content.decode()
    assert c.number in listing


def test_export(client_for: Any, approved: Any, owner: Any) -> None:
    from danbao.core import stepup

    house(owner)
    client = client_for(owner)
    response = client.get(reverse("securities:collateral-list"), {"export": "xlsx"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert stepup  # step-up re-authentication may be asked first (exports leave the system)
