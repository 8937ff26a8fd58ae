"""Credit records: consents (授权书), reports with their entries, the summary and the viewing log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from danbao.core.events import security_event
from danbao.customers.credit_providers import ProviderEntry
from danbao.customers.models import CreditConsent, CreditEntry, CreditReport, Customer
from danbao.customers.services_extras import errors
from danbao.customers.services_extras.common import audit, require, snapshot

MANAGE = "customers.credit.manage"
VIEW = "customers.credit.view"
CONSENT_FIELDS = ["person_name", "person_id_code", "text_version", "signed_on", "scope", "valid_until"]


def consent_record(*, actor: Any, customer: Customer, values: dict[str, Any]) -> CreditConsent:
    require(actor, MANAGE)
    if values["valid_until"] < values["signed_on"]:
        raise errors.CONSENT_DATES.error()
    with transaction.atomic():
        consent = CreditConsent.objects.create(customer=customer, created_by=actor, **{k: values.get(k, "") for k in CONSENT_FIELDS})
        audit("customers.credit_consent_recorded", actor=actor, obj=consent, customer=customer.pk, after=snapshot(consent, CONSENT_FIELDS))
    return consent


def valid_consent(customer: Customer, on: date) -> CreditConsent | None:
    return CreditConsent.objects.filter(customer=customer, signed_on__lte=on, valid_until__gte=on).order_by("-signed_on", "-id").first()


def report_record(
    *,
    actor: Any,
    customer: Customer,
    query_date: date,
    purpose: str,
    entries: list[ProviderEntry],
    source: str = CreditReport.Source.MANUAL,
    consent: CreditConsent | None = None,
    note: str = "",
) -> CreditReport:
    """Record a queried report; refused without a consent of this customer valid on the query date."""
    require(actor, MANAGE)
    if consent is not None and consent.customer_id != customer.pk:
        raise errors.CONSENT_OTHER_CUSTOMER.error()
    if consent is None or not consent.valid_on(query_date):
        consent = valid_consent(customer, query_date) if consent is None else None
    if consent is None:
        raise errors.CONSENT_MISSING.error(date=query_date.isoformat())
    with transaction.atomic():
        report = CreditReport.objects.create(
            customer=customer, consent=consent, query_date=query_date, purpose=purpose, source=source, note=note, created_by=actor
        )
        CreditEntry.objects.bulk_create([CreditEntry(report=report, **e.as_fields()) for e in entries])
        audit(
            "customers.credit_report_recorded",
            actor=actor,
            obj=report,
            customer=customer.pk,
            consent=consent.pk,
            purpose=purpose,
            source=source,
            entries=len(entries),
        )
    return report


def report_viewed(*, actor: Any, report: CreditReport, request: Any = None) -> None:
    """Each view of a report is logged with the purpose it was queried for."""
    security_event(
        "customers.credit_report_viewed",
        request=request,
        actor=actor,
        object_type="customers.creditreport",
        object_id=str(report.pk),
        data={"customer": report.customer_id, "purpose": report.purpose},
    )


def credit_summary(customer: Customer, today: date) -> dict[str, Any]:
    """From the latest report: current overdue amount and external guarantees; worst overdue over
    all reports' entries of the last 24 months."""
    latest = CreditReport.objects.filter(customer=customer).order_by("-query_date", "-id").first()
    if latest is None:
        return {"report": None}
    entries = list(latest.entries.all())
    current_overdue = sum((e.overdue_amount for e in entries), Decimal(0))
    guarantees = sum((e.balance for e in entries if e.kind == CreditEntry.Kind.GUARANTEE), Decimal(0))
    since = date(today.year - 2, today.month, min(today.day, 28))
    worst_days = 0
    worst_months = 0
    for e in CreditEntry.objects.filter(report__customer=customer).select_related("report"):
        when = e.as_of or e.report.query_date
        if when >= since:
            worst_days = max(worst_days, e.overdue_days)
            worst_months = max(worst_months, e.overdue_months)
    return {
        "report": latest,
        "current_overdue": current_overdue,
        "external_guarantees": guarantees,
        "worst_overdue_days": worst_days,
        "worst_overdue_months": worst_months,
        "loan_balance": sum((e.balance for e in entries if e.kind == CreditEntry.Kind.LOAN), Decimal(0)),
    }
