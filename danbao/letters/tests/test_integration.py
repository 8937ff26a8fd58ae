"""The checklist with the lower apps' real objects (no switches): contracts generated and signed with
their scans through the contracts services, the fees planned and received through the finance
services; the letter is refused naming the contracts, then the fees, and issued once all is done."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.core.errors import DomainError
from danbao.letters import selectors, services
from danbao.letters.tests.support import approved_project, confirm_all

pytestmark = pytest.mark.django_db


def _red_keys(dept_head: Any, project: Any) -> list[str]:
    with pytest.raises(DomainError) as exc:
        services.letter_issue(actor=dept_head, project=project)
    assert exc.value.code == "letters.not_ready"
    return exc.value.data["keys"]


def test_contracts_and_fees_for_real(world, owner, b_manager, risk_manager, dept_head, gm, org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danbao.contracts import services as contracts
    from danbao.finance import services as finance
    from danbao.finance.models import Receivable
    from danbao.org.tests.factories import UserFactory

    contracts.ensure_contract_templates()
    project = approved_project(world, owner, b_manager, risk_manager, dept_head, gm, counter_guarantees="")
    confirm_all(project, owner, risk_manager)

    keys = _red_keys(dept_head, project)
    assert any(k.startswith("contracts.") for k in keys) and any(k.startswith("finance.") for k in keys)
    assert not any(k.startswith(("letters.condition", "letters.rules", "securities.")) for k in keys)
    contract_lines = [i for i in selectors.checklist(project) if i.key.startswith("contracts.") and not i.ok]
    assert len(contract_lines) == 2 and all(i.url for i in contract_lines)

    for kind in ("entrusted", "guarantee"):
        contract = contracts.contract_generate(actor=owner, project=project, kind=kind)
        scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
        contracts.contract_sign(actor=owner, contract=contract, signed_on=dt.date.today(), signatories="双方", scan=scan)
    keys = _red_keys(dept_head, project)
    assert keys and all(k.startswith("finance.") for k in keys)

    clerk = UserFactory(username="clerk", department=org.head_office, roles=[org.roles["finance"]])
    finance.fee_schedule_create(actor=owner, project=project)
    for receivable in Receivable.objects.filter(project=project, instalment=1).exclude(state="cancelled"):
        if receivable.outstanding > D("0"):
            finance.receipt_record(
                actor=clerk,
                project=project,
                amount=receivable.outstanding,
                received_on=dt.date.today(),
                method="bank_transfer",
                payer=project.customer.name,
                idempotency_key=uuid.uuid4().hex,
                allocations={receivable.pk: receivable.outstanding},
            )
    letter = services.letter_issue(actor=dept_head, project=project)
    assert letter.is_valid and selectors.issued_letter_for(project) == letter
    assert all(line["ok"] for line in letter.checklist)
    assert {line["key"].split(".")[0] for line in letter.checklist} >= {"letters", "contracts", "finance"}
