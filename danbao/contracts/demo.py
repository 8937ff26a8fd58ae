"""Demo contracts: for every approved demo project (note starts with projects.demo.DEMO_NOTE) the
entrusted guarantee contract and the guarantee contract, generated through `contract_generate` by the
project's A-role manager and dated a few days after the approval; signed through `contract_sign` with
a tiny generated PDF as the signed scan, except one project in twelve (still waiting for signatures).
Counter-guarantee contracts are the securities step's (105). Idempotent: a project that already has a live contract of a kind is skipped.
No contract PDF is rendered here (only on download)."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danbao.contracts import services
from danbao.contracts.models import Contract, ContractKind, ContractState
from danbao.projects.demo import DEMO_NOTE
from danbao.projects.models import Project, ProjectState

UNSIGNED_EVERY = 12  # one approved project in twelve still waits for its signatures
SIGNATORIES = {
    ContractKind.ENTRUSTED: "甲方：{customer}（法定代表人签字并盖章）；乙方：{manager}（授权代表）",
    ContractKind.GUARANTEE: "甲方：{bank}（负责人签字并盖章）；乙方：{manager}（授权代表）",
}


def scan_pdf(number: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for the signed scan (the contract number in its text)."""
    text = f"BT /F1 14 Tf 72 760 Td (Signed scan {number}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(f"{number}-signed.pdf", bytes(out), content_type="application/pdf")


def _when(base: dt.datetime, rng: random.Random, low: float, high: float) -> dt.datetime:
    moment = base + dt.timedelta(days=rng.uniform(low, high))
    return min(moment, timezone.now())


def seed() -> str:
    started = time.monotonic()
    services.ensure_contract_templates()
    rng = random.Random(20260707)
    projects = list(
        Project.objects.filter(note__startswith=DEMO_NOTE, state=ProjectState.APPROVED)
        .select_related("customer", "bank", "manager_a", "product_version")
        .order_by("pk")
    )
    live = set(Contract.objects.filter(project__in=projects).exclude(state=ContractState.VOID).values_list("project_id", "kind"))
    generated = signed = 0
    for index, project in enumerate(projects):
        base = project.approved_at or timezone.now()
        for kind in (ContractKind.ENTRUSTED, ContractKind.GUARANTEE):
            if (project.pk, kind) in live:
                continue
            actor = project.manager_a
            contract = services.contract_generate(actor=actor, project=project, kind=kind)
            at = _when(base, rng, 0.5, 4)
            Contract.objects.filter(pk=contract.pk).update(generated_at=at)
            contract.generated_at = at
            generated += 1
            if index % UNSIGNED_EVERY != UNSIGNED_EVERY - 1:
                signed_on = timezone.localtime(_when(at, rng, 0, 6)).date()
                who = SIGNATORIES[kind].format(
                    customer=project.customer.name, bank=project.bank.name, manager=actor.real_name or actor.username
                )
                services.contract_sign(actor=actor, contract=contract, signed_on=signed_on, signatories=who, scan=scan_pdf(contract.number))
                signed += 1
    return f"contracts: {generated} generated, {signed} signed for {len(projects)} approved projects in {time.monotonic() - started:.1f}s"
