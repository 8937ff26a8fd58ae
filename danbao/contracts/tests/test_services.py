"""Contract services: template versions (draft → published, immutable, copies), generation (approved
projects only, numbering per kind, snapshot, template version recorded, subjects), the lifecycle
(every allowed and forbidden move), signing needs the scan, voiding needs a reason, readiness lines,
permissions, audit and atomicity."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.utils import timezone

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.contracts import lifecycle, selectors, services
from danbao.contracts.models import Contract, ContractKind, ContractState, ContractTemplate, ContractTransition, TemplateVersion
from danbao.contracts.subjects import ContractSubject
from danbao.contracts.tests.support import scan_pdf
from danbao.core.errors import DomainError

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def code_of(call: Any) -> str:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


@pytest.fixture
def mortgage(no_subject_providers: dict) -> ContractSubject:  # type: ignore[type-arg]
    subject = ContractSubject(
        key="securities.measure:1",
        kind="counter_mortgage",
        title="抵押反担保合同 — 张三 房产",
        party_name="张三",
        party_id_code="430102198001011234",
        context={
            "party_address": "长沙市岳麓区某路1号",
            "collateral": [
                {"name": "住宅（某小区3栋501）", "owner": "张三、李四", "certificate": "湘(2024)长沙市不动产权第001号", "value": "1200000"},
                {"name": "车位", "owner": "张三", "value": 150000, "note": "第二顺位"},
            ],
        },
    )
    no_subject_providers["test"] = lambda project: [subject]
    return subject


# --- set-up and templates -------------------------------------------------------------------------


def test_ensure_contract_templates_is_idempotent(db: Any) -> None:
    assert services.ensure_contract_templates() == 5
    assert services.ensure_contract_templates() == 0
    assert set(ContractTemplate.objects.values_list("kind", flat=True)) == set(ContractKind.values)
    assert all(v.state == "published" and v.number == 1 for v in TemplateVersion.objects.all())
    from django.core.management import call_command

    call_command("ensure_contract_templates")
    assert TemplateVersion.objects.count() == 5


def test_template_versions_draft_publish_immutable(templates: int, legal: Any, risk_manager: Any, owner: Any) -> None:
    template = ContractTemplate.objects.get(kind="entrusted")
    v1 = template.versions.get(number=1)
    assert code_of(lambda: services.template_version_save(actor=legal, version=v1, title="x", body="y")) == "contracts.version_published"
    assert code_of(lambda: services.template_version_create(actor=owner, template=template)) == "contracts.template_permission_denied"

    mark = audit_mark()
    v2 = services.template_version_create(actor=risk_manager, template=template)
    assert (v2.number, v2.state, v2.body, v2.based_on) == (2, "draft", v1.body, v1)
    assert code_of(lambda: services.template_version_create(actor=legal, template=template)) == "contracts.draft_exists"

    body = v1.body.replace("第九条 其他", "第九条 附则")
    services.template_version_save(actor=risk_manager, version=v2, title="委托保证合同", body=body, note="条款名称调整", expected_version=1)
    assert (
        code_of(lambda: services.template_version_save(actor=risk_manager, version=v2, title="t", body="b", expected_version=1))
        == "contracts.stale"
    )
    # risk managers write drafts; only legal publishes
    assert code_of(lambda: services.template_version_publish(actor=risk_manager, version=v2)) == "contracts.template_permission_denied"
    services.template_version_publish(actor=legal, version=v2)
    v2.refresh_from_db()
    assert v2.state == "published" and v2.published_by == legal and v2.published_at
    assert code_of(lambda: services.template_version_save(actor=legal, version=v2, title="x", body="y")) == "contracts.version_published"
    assert code_of(lambda: services.template_version_publish(actor=legal, version=v2)) == "contracts.not_a_draft"
    v1.refresh_from_db()
    assert v1.state == "published" and "第九条 其他" in v1.body  # old versions kept unchanged
    assert selectors.published_version("entrusted") == v2
    assert_one_event("contracts.template_published", since=mark, actor_id=legal.pk, object_id=str(v2.pk))
    assert_one_event("contracts.template_saved", since=mark)


def test_unknown_placeholders_refused_on_save_nothing_changes(templates: int, legal: Any) -> None:
    template = ContractTemplate.objects.get(kind="guarantee")
    draft = services.template_version_create(actor=legal, template=template)
    with pytest.raises(DomainError) as exc:
        services.template_version_save(actor=legal, version=draft, title="保证合同", body="# 保证合同\n{{贷款银行}}{{银行行长签名}}")
    assert exc.value.code == "contracts.unknown_placeholders" and "{{银行行长签名}}" in exc.value.message
    draft.refresh_from_db()
    assert draft.body == template.versions.get(number=1).body and draft.edit_version == 1
    assert code_of(lambda: services.template_version_save(actor=legal, version=draft, title=" ", body="x")) == "contracts.title_required"


# --- generation -----------------------------------------------------------------------------------


def test_generate_numbers_per_kind_and_stores_the_snapshot(approved: Any, owner: Any) -> None:
    mark = audit_mark()
    entrusted = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    assert_one_event("contracts.contract_generated", since=mark, actor_id=owner.pk, object_id=str(entrusted.pk))
    guarantee = services.contract_generate(actor=owner, project=approved, kind="guarantee")
    year = timezone.localdate().year
    assert entrusted.number == f"WTBZ{year}-0001" and guarantee.number == f"BZHT{year}-0001"
    assert entrusted.state == "generated" and entrusted.amount == approved.terms.get().amount
    assert entrusted.template_version == selectors.published_version("entrusted")
    assert entrusted.party_name == approved.customer.name
    assert guarantee.party_name.startswith("工商银行")
    html = Contract.objects.get(pk=entrusted.pk).body_html
    assert approved.number in html and "捌拾万元整" in html and "800,000.00" in html
    assert "实际控制人张三夫妇连带责任保证；厂房抵押" in html  # terms' counter-guarantees, one per line
    assert "7,200.00" in html  # 800,000 × 0.9 % × 12/12
    assert json.loads(Contract.objects.get(pk=entrusted.pk).body_blocks)[0]["t"] == "title"
    # stored encrypted: the raw column is not the HTML
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select body_html from contracts_contract where id = %s", [entrusted.pk])
        assert approved.number not in cursor.fetchone()[0]


def test_generate_twice_is_refused_and_void_allows_a_new_number(approved: Any, owner: Any) -> None:
    first = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    assert code_of(lambda: services.contract_generate(actor=owner, project=approved, kind="entrusted")) == "contracts.already_generated"
    assert Contract.objects.count() == 1
    services.contract_void(actor=owner, contract=first, reason="客户名称有误")
    second = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    assert second.number != first.number and re.fullmatch(r"WTBZ\d{4}-0002", second.number)
    assert Contract.objects.filter(project=approved).count() == 2  # nothing deleted
    assert selectors.contract_for_subject(approved, "") is None  # base kinds have no subject key
    assert [r.contract for r in selectors.required_contracts(approved)][0] == second


def test_generate_refused_unless_approved_and_required(world: Any, owner: Any, b_manager: Any, templates: int) -> None:
    from danbao.projects.tests.support import intake

    project = intake(world, owner, b_manager)
    assert code_of(lambda: services.contract_generate(actor=owner, project=project, kind="entrusted")) == "contracts.project_not_approved"
    assert code_of(lambda: services.contract_generate(actor=owner, project=project, kind="nonsense")) == "contracts.not_required"
    assert not Contract.objects.exists()


def test_generate_subject_contract_with_collateral_table(approved: Any, owner: Any, mortgage: ContractSubject) -> None:
    assert code_of(lambda: services.contract_generate(actor=owner, project=approved, kind="counter_mortgage")) == "contracts.not_required"
    assert code_of(lambda: services.contract_generate(actor=owner, project=approved, kind="counter_pledge", subject_key=mortgage.key)) == (
        "contracts.not_required"
    )
    contract = services.contract_generate(actor=owner, project=approved, kind="counter_mortgage", subject_key=mortgage.key)
    assert contract.number.startswith("FDDY") and contract.title == mortgage.title and contract.party_name == "张三"
    html = Contract.objects.get(pk=contract.pk).body_html
    assert "湘(2024)长沙市不动产权第001号" in html and "张三、李四" in html and "1,200,000.00" in html
    assert "壹佰叁拾伍万元整" in html  # the collateral total in words
    assert "430102198001011234" in html and "长沙市岳麓区某路1号" in html
    assert selectors.contract_for_subject(approved, mortgage.key) == contract
    kinds = [(r.kind, r.subject_key) for r in selectors.required_contracts(approved)]
    assert kinds == [("entrusted", ""), ("guarantee", ""), ("counter_mortgage", mortgage.key)]


def test_generate_permissions(approved: Any, owner: Any, b_manager: Any, colleague: Any, outsider: Any, dept_head: Any, legal: Any) -> None:
    for actor in (colleague, outsider, dept_head, legal):
        assert code_of(lambda actor=actor: services.contract_generate(actor=actor, project=approved, kind="entrusted")) == (
            "contracts.permission_denied"
        )
    assert services.contract_generate(actor=b_manager, project=approved, kind="entrusted").generated_by == b_manager


def test_generation_uses_the_newest_published_version(approved: Any, owner: Any, legal: Any) -> None:
    template = ContractTemplate.objects.get(kind="guarantee")
    draft = services.template_version_create(actor=legal, template=template)
    services.template_version_save(
        actor=legal, version=draft, title="保证合同（2026版）", body=draft.body.replace("# 保证合同", "# 保证合同（2026版）")
    )
    assert services.contract_generate(actor=owner, project=approved, kind="guarantee").template_version.number == 1  # draft unused
    services.template_version_publish(actor=legal, version=draft)
    Contract.objects.update()  # noqa
    first = Contract.objects.get()
    services.contract_void(actor=owner, contract=first, reason="启用新版文本")
    second = services.contract_generate(actor=owner, project=approved, kind="guarantee")
    assert second.template_version.number == 2 and "保证合同（2026版）" in Contract.objects.get(pk=second.pk).body_html
    assert "保证合同（2026版）" not in Contract.objects.get(pk=first.pk).body_html  # the snapshot of the first stays


# --- lifecycle ------------------------------------------------------------------------------------


def test_lifecycle_table() -> None:
    S = ContractState
    assert lifecycle.allowed_targets(S.GENERATED) == [S.SIGNED, S.VOID]
    assert lifecycle.allowed_targets(S.SIGNED) == [S.VOID]
    assert lifecycle.allowed_targets(S.VOID) == []
    for source in S.values:
        assert lifecycle.transition_for(source, S.GENERATED) is None


def test_sign_requires_the_scan_date_and_parties_and_changes_nothing_otherwise(approved: Any, owner: Any) -> None:
    contract = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    mark = audit_mark()
    assert (
        code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="甲乙双方"))
        == "contracts.scan_required"
    )
    assert code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=None, signatories="x", scan=scan_pdf())) == (
        "contracts.signed_on_required"
    )
    assert code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories=" ", scan=scan_pdf())) == (
        "contracts.signatories_required"
    )
    future = TODAY() + dt.timedelta(days=1)
    assert code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=future, signatories="x", scan=scan_pdf())) == (
        "contracts.signed_on_invalid"
    )
    contract.refresh_from_db()
    assert contract.state == "generated" and not selectors.scans_of(contract)
    assert_no_event("contracts.contract_signed", since=mark)

    services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="甲方：王总；乙方：李四", scan=scan_pdf())
    contract.refresh_from_db()
    assert contract.state == "signed" and contract.signed_on == TODAY() and contract.signed_recorded_by == owner
    assert len(selectors.scans_of(contract)) == 1
    assert ContractTransition.objects.get(contract=contract).action == "sign"
    assert_one_event("contracts.contract_signed", since=mark, object_id=str(contract.pk))
    # double submit: the second signing is refused and adds no scan
    assert code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="x", scan=scan_pdf())) == (
        "contracts.transition_not_allowed"
    )
    assert len(selectors.scans_of(contract)) == 1


def test_sign_with_a_scan_already_uploaded_by_the_archivist(approved: Any, owner: Any, archivist: Any, colleague: Any) -> None:
    from danbao.core.attachments.services import attachment_add

    contract = services.contract_generate(actor=owner, project=approved, kind="guarantee")
    with pytest.raises(DomainError):
        attachment_add(actor=colleague, owner=contract, kind="signed_scan", upload=scan_pdf())
    attachment_add(actor=archivist, owner=contract, kind="signed_scan", upload=scan_pdf())
    assert code_of(lambda: services.contract_sign(actor=archivist, contract=contract, signed_on=TODAY(), signatories="x")) == (
        "contracts.permission_denied"
    )
    services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="银行：张行长；本机构：李四")
    assert Contract.objects.get(pk=contract.pk).state == "signed"


def test_void_needs_a_reason_and_void_is_final(approved: Any, owner: Any, colleague: Any) -> None:
    contract = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="x", scan=scan_pdf())
    assert code_of(lambda: services.contract_void(actor=owner, contract=contract, reason="  ")) == "contracts.reason_required"
    assert code_of(lambda: services.contract_void(actor=colleague, contract=contract, reason="x")) == "contracts.permission_denied"
    assert Contract.objects.get(pk=contract.pk).state == "signed"
    mark = audit_mark()
    services.contract_void(actor=owner, contract=contract, reason="银行要求换用新文本")
    contract.refresh_from_db()
    assert contract.state == "void" and contract.void_reason == "银行要求换用新文本" and contract.voided_by == owner
    assert_one_event("contracts.contract_voided", since=mark, object_id=str(contract.pk))
    assert code_of(lambda: services.contract_void(actor=owner, contract=contract, reason="again")) == "contracts.transition_not_allowed"
    assert code_of(lambda: services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="x", scan=scan_pdf())) == (
        "contracts.transition_not_allowed"
    )
    assert [t.target for t in selectors.history_of(contract)] == ["signed", "void"]


# --- readiness ------------------------------------------------------------------------------------


def test_readiness_says_exactly_what_is_missing(approved: Any, owner: Any, archivist: Any, mortgage: ContractSubject) -> None:
    from danbao.core.attachments.services import attachment_add
    from danbao.core.checklist import all_ok

    lines = selectors.readiness(approved)
    assert [i.key for i in lines] == [
        "contracts.signed:entrusted",
        "contracts.signed:guarantee",
        f"contracts.signed:counter_mortgage:{mortgage.key}",
    ]
    assert all(not i.ok and i.detail == "尚未生成。" for i in lines)
    assert lines[0].url == f"/contracts/project/{approved.pk}/"
    assert "委托保证合同" in lines[0].label and mortgage.title in lines[2].label

    entrusted = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    guarantee = services.contract_generate(actor=owner, project=approved, kind="guarantee")
    mort = services.contract_generate(actor=owner, project=approved, kind="counter_mortgage", subject_key=mortgage.key)
    attachment_add(actor=archivist, owner=guarantee, kind="signed_scan", upload=scan_pdf())
    services.contract_sign(actor=owner, contract=mort, signed_on=TODAY(), signatories="x", scan=scan_pdf())
    lines = selectors.readiness(approved)
    assert lines[0].detail == f"合同 {entrusted.number} 已生成但尚未签署；签署扫描件尚未上传。"
    assert lines[1].detail == f"合同 {guarantee.number} 已生成但尚未签署。"
    assert lines[2].ok and lines[2].detail == f"合同 {mort.number} 已于 {TODAY().isoformat()} 签署。"
    assert not all_ok(lines)

    services.contract_sign(actor=owner, contract=entrusted, signed_on=TODAY(), signatories="x", scan=scan_pdf())
    services.contract_sign(actor=owner, contract=guarantee, signed_on=TODAY(), signatories="x")
    assert all_ok(selectors.readiness(approved))
    # a signed contract whose scan was voided is no longer ready
    from danbao.core.attachments.services import attachment_void

    for scan in selectors.scans_of(guarantee):
        attachment_void(actor=owner, attachment=scan, reason="扫描不清")
    line = selectors.readiness(approved)[1]
    assert not line.ok and line.detail == f"合同 {guarantee.number} 缺少签署扫描件。"


def test_readiness_of_a_voided_contract_asks_for_a_new_one(approved: Any, owner: Any) -> None:
    contract = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    services.contract_void(actor=owner, contract=contract, reason="作废")
    assert selectors.readiness(approved)[0].detail == "尚未生成。"


def test_workbench_todo_for_unsigned_contracts(approved: Any, owner: Any, b_manager: Any, colleague: Any) -> None:
    from danbao.core import workbench

    contract = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    fetch = workbench.providers.get("contracts").fetch
    assert [t.title for t in fetch(owner)] == [f"{contract.number} {contract.title}"]
    assert len(fetch(b_manager)) == 1 and fetch(colleague) == []
    services.contract_sign(actor=owner, contract=contract, signed_on=TODAY(), signatories="x", scan=scan_pdf())
    assert fetch(owner) == []


def test_published_version_row_cannot_be_saved_even_directly(templates: int) -> None:
    version = TemplateVersion.objects.get(template__kind="guarantee", number=1)
    version.body = "# 改"
    with pytest.raises(ValueError):
        version.save()
    assert "# 改" not in TemplateVersion.objects.get(pk=version.pk).body


def test_register_query_budget(approved: Any, owner: Any, client_for: Any, django_assert_max_num_queries: Any) -> None:
    from django.urls import reverse

    services.contract_generate(actor=owner, project=approved, kind="entrusted")
    services.contract_generate(actor=owner, project=approved, kind="guarantee")
    client = client_for(owner)
    client.get(reverse("contracts:register"))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("contracts:register")).status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(reverse("contracts:project", args=[approved.pk])).status_code == 200
