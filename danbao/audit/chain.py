"""Checking the hash chain of the audit event log (SECURITY C.37): recompute, relink, compare."""

from __future__ import annotations

from dataclasses import dataclass, field

from danbao.audit.models import AuditChainHead, AuditEvent
from danbao.audit.services import GENESIS_HASH, compute_hash


@dataclass(frozen=True)
class Break:
    """One record that fails verification, with what is wrong with it."""

    event_id: int
    created_at: str
    event_type: str
    problem: str

    def __str__(self) -> str:
        return f"id={self.event_id} time={self.created_at} type={self.event_type}: {self.problem}"


@dataclass
class ChainReport:
    count: int = 0
    breaks: list[Break] = field(default_factory=list)
    head_problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.head_problem


def chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Walk every event in id order: its own hash must match its content, its prev_hash the row before."""
    report = ChainReport()
    previous_hash = GENESIS_HASH
    # The head is read first: events written while we walk only come after it, so the walk must
    # reach the head's count with exactly the head's hash, or the newest records were removed.
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seen = head is None or head.count == 0
    # Plain ascending id order; iterator() keeps memory flat on millions of rows.
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        report.count += 1
        stamp = event.created_at.strftime("%Y-%m-%d %H:%M:%S.%f%z") if event.created_at else "?"
        if compute_hash(event) != event.hash:
            report.breaks.append(Break(event.pk, stamp, event.event_type, "content does not match its hash (record altered)"))
        if event.prev_hash != previous_hash:
            report.breaks.append(
                Break(event.pk, stamp, event.event_type, "previous hash does not match the record before it (record removed or altered)")
            )
        previous_hash = event.hash
        if head is not None and report.count == head.count:
            head_seen = True
            if event.hash != head.last_hash:
                report.head_problem = f"event number {head.count} is not the one the chain head recorded (records removed)"
    if not head_seen and head is not None:
        report.head_problem = f"the chain head records {head.count} events but the table holds {report.count} (newest records removed)"
    return report
