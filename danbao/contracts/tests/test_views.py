"""Contract pages: who sees what (404 out of scope, 403 without permission) and the happy paths of
generate → download → sign with the scan → void, the register with its export, the template pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from danbao.contracts import selectors, services
from danbao.contracts.models import Contract, ContractTemplate
from danbao.contracts.tests.support import scan_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(approved: Any, owner: Any) -> Contract:
    return services.contract_generate(actor=owner, project=approved, kind="entrusted")


def test_project_page_generate_download_sign_void(client_for: Any, approved: Any, owner: Any) -> None:
    client = client_for(owner)
    page = client.get(reverse("contracts:project", args=[approved.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="ct-generate"') == 2 and "尚未生成。" in html

    response = client.post(reverse("contracts:generate", args=[approved.pk]), {"kind": "entrusted"}, follow=True)
    contract = Contract.objects.get()
    assert f"已生成合同 {contract.number}。" in response.content.decode()
    again = client.post(reverse("contracts:generate", args=[approved.pk]), {"kind": "entrusted"}, follow=True)
    assert "须先作废才能重新生成" in again.content.decode() and Contract.objects.count() == 1

    pdf = client.get(reverse("contracts:pdf", args=[contract.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("contracts:docx", args=[contract.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from danbao.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event_type="contracts.contract_downloaded").count() == 2

    refused = client.post(
        reverse("contracts:sign", args=[contract.pk]), {"signed_on": dt.date.today().isoformat(), "signatories": "甲乙"}, follow=True
    )
    assert "请先上传签署扫描件" in refused.content.decode()
    data = {"signed_on": dt.date.today().isoformat(), "signatories": "甲方：王总", "scan": scan_pdf()}
    client.post(reverse("contracts:sign", args=[contract.pk]), data)
    contract.refresh_from_db()
    assert contract.state == "signed"
    detail = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert detail.status_code == 200 and approved.number in detail.content.decode() and "signed.pdf" in detail.content.decode()

    client.post(reverse("contracts:void", args=[contract.pk]), {"reason": ""})
    assert Contract.objects.get(pk=contract.pk).state == "signed"
    client.post(reverse("contracts:void", args=[contract.pk]), {"reason": "文本错误", "next": "detail"})
    assert Contract.objects.get(pk=contract.pk).state == "void"


def test_outsiders_get_404_and_roles_without_view_403(
    client_for: Any, contract: Contract, approved: Any, outsider: Any, nobody: Any, colleague: Any
) -> None:
    urls = [
        reverse("contracts:project", args=[approved.pk]),
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:pdf", args=[contract.pk]),
        reverse("contracts:docx", args=[contract.pk]),
    ]
    client = client_for(outsider)  # a business manager of another department
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("contracts:generate", args=[approved.pk]), {"kind": "guarantee"}).status_code == 404
    assert client.post(reverse("contracts:void", args=[contract.pk]), {"reason": "x"}).status_code == 404
    assert contract.number not in client.get(reverse("contracts:register")).content.decode()
    client = client_for(nobody)
    for url in [*urls, reverse("contracts:register"), reverse("contracts:templates")]:
        assert client.get(url).status_code == 403, url
    # a business manager's scope is their own projects: a colleague of the department sees nothing
    client = client_for(colleague)
    assert client.get(reverse("contracts:project", args=[approved.pk])).status_code == 404
    client.post(reverse("contracts:void", args=[contract.pk]), {"reason": "x"})
    assert Contract.objects.get(pk=contract.pk).state == "generated"


def test_b_role_sees_and_acts_dept_head_sees_only(
    client_for: Any, contract: Contract, approved: Any, b_manager: Any, dept_head: Any
) -> None:
    page = client_for(dept_head).get(reverse("contracts:project", args=[approved.pk])).content.decode()
    assert contract.number in page and 'data-testid="ct-sign"' not in page and 'data-testid="ct-generate"' not in page
    page = client_for(b_manager).get(reverse("contracts:project", args=[approved.pk])).content.decode()
    assert 'data-testid="ct-sign"' in page and 'data-testid="ct-generate"' in page


def test_viewers_in_scope(
    client_for: Any, contract: Contract, dept_head: Any, risk_manager: Any, legal: Any, archivist: Any, gm: Any
) -> None:
    for user in (dept_head, risk_manager, legal, archivist, gm):
        client = client_for(user)
        assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200, user
        assert contract.number in client.get(reverse("contracts:register")).content.decode(), user
        assert client.post(reverse("contracts:void", args=[contract.pk]), {"reason": "x"}).status_code == 403, user


def test_archivist_uploads_the_scan_on_the_detail_page(client_for: Any, contract: Contract, archivist: Any) -> None:
    client = client_for(archivist)
    response = client.post(
        reverse("core:attachment-upload"),
        {"owner": "contracts.contract", "owner_id": contract.pk, "kind": "signed_scan", "file": scan_pdf("archive.pdf"), "note": ""},
    )
    assert response.status_code in (200, 302)
    assert [a.original_name for a in selectors.scans_of(contract)] == ["archive.pdf"]


def test_register_filters_and_export(client_for: Any, approved: Any, owner: Any, contract: Contract) -> None:
    services.contract_generate(actor=owner, project=approved, kind="guarantee")
    client = client_for(owner)
    page = client.get(reverse("contracts:register") + "?kind=guarantee").content.decode()
    assert "BZHT" in page and contract.number not in page
    page = client.get(reverse("contracts:register") + f"?bank={approved.bank_id}&state=generated").content.decode()
    assert contract.number in page
    export = client.get(reverse("contracts:register") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_template_pages(client_for: Any, templates: int, legal: Any, risk_manager: Any, owner: Any) -> None:
    template = ContractTemplate.objects.get(kind="counter_mortgage")
    client = client_for(owner)  # may view templates, not edit
    assert client.get(reverse("contracts:templates")).status_code == 200
    detail = client.get(reverse("contracts:template-detail", args=[template.pk]))
    assert detail.status_code == 200 and "抵押物清单" not in detail.content.decode() and "权证/凭证号" in detail.content.decode()
    assert client.post(reverse("contracts:version-new", args=[template.pk])).status_code == 403
    assert client.get(reverse("contracts:version-edit", args=[template.pk, 1])).status_code == 403

    client = client_for(risk_manager)
    client.post(reverse("contracts:version-new", args=[template.pk]))
    edit_url = reverse("contracts:version-edit", args=[template.pk, 2])
    page = client.get(edit_url)
    assert page.status_code == 200 and "{{抵押物清单}}" in page.content.decode() and 'data-testid="ct-catalogue"' in page.content.decode()
    bad = client.post(edit_url, {"title": "抵押反担保合同", "body": "# 抵押反担保合同\n{{抵押人电话}}", "note": "", "version": 1})
    assert bad.status_code == 200 and "{{抵押人电话}}" in bad.content.decode()
    body = template.versions.get(number=1).body + "## 第九条 补充\n抵押人确认已阅读本合同全部条款。\n"
    ok = client.post(edit_url, {"title": "抵押反担保合同", "body": body, "note": "增加第九条", "version": 1})
    assert ok.status_code == 302 and "第九条 补充" in template.versions.get(number=2).body
    preview = client.post(reverse("contracts:preview"), {"body": "# T\n{{担保金额大写}}<b>"})
    assert "壹佰万元整&lt;b&gt;" in preview.content.decode()
    assert client.post(reverse("contracts:version-publish", args=[template.pk, 2])).status_code == 403

    client = client_for(legal)
    client.post(reverse("contracts:version-publish", args=[template.pk, 2]), {"version": 2})
    assert template.versions.get(number=2).state == "published"
    again = client.get(reverse("contracts:version-edit", args=[template.pk, 2]))
    assert again.status_code == 302


def test_dossier_section(client_for: Any, contract: Contract, approved: Any, owner: Any) -> None:
    page = client_for(owner).get(reverse("projects:project-detail", args=[approved.pk])).content.decode()
    assert 'data-testid="dossier-contracts"' in page and contract.number in page
