"""Credit records: no report without a valid consent, providers (manual, file with bad rows), the
summary, viewing logged with the purpose, page permissions and scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers.credit_providers import FileImportProvider, ManualProvider, ProviderEntry, ProviderError
from danbao.customers.models import CreditReport
from danbao.customers.services_extras import credit as services
from danbao.customers.tests.extras_support import customer

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


def _consent(actor, c, signed=date(2025, 1, 1), until=date(2025, 12, 31)):
    return services.consent_record(
        actor=actor, customer=c, values={"text_version": "2024版", "signed_on": signed, "scope": "贷前审查", "valid_until": until}
    )


def test_report_refused_without_valid_consent(owner):
    c = customer(owner)
    with pytest.raises(DomainError) as exc:
        services.report_record(actor=owner, customer=c, query_date=TODAY, purpose="担保资格审查", entries=[])
    assert exc.value.code == "customers.consent_missing"
    _consent(owner, c, until=date(2025, 3, 31))
    with pytest.raises(DomainError) as exc:
        services.report_record(actor=owner, customer=c, query_date=TODAY, purpose="担保资格审查", entries=[])
    assert exc.value.code == "customers.consent_missing"
    assert not CreditReport.objects.exists()


def test_consent_dates_checked_and_consent_audited(owner):
    c = customer(owner)
    with pytest.raises(DomainError) as exc:
        _consent(owner, c, signed=date(2025, 5, 1), until=date(2025, 1, 1))
    assert exc.value.code == "customers.consent_dates"
    mark = audit_mark()
    consent = _consent(owner, c)
    assert_one_event("customers.credit_consent_recorded", since=mark, object_id=str(consent.pk))


def test_consent_of_another_customer_is_refused(owner):
    a, b = customer(owner, "甲"), customer(owner, "乙")
    consent = _consent(owner, a)
    with pytest.raises(DomainError) as exc:
        services.report_record(actor=owner, customer=b, query_date=TODAY, purpose="x", entries=[], consent=consent)
    assert exc.value.code == "customers.consent_other_customer"


def test_report_with_entries_and_summary(owner):
    c = customer(owner)
    _consent(owner, c)
    entries = ManualProvider().fetch(
        [
            {
                "kind": "loan",
                "institution": "工商银行",
                "amount": Decimal("500000"),
                "balance": Decimal("300000"),
                "overdue_amount": Decimal("20000"),
                "overdue_days": 45,
            },
            {"kind": "guarantee", "institution": "某公司", "amount": Decimal("100000"), "balance": Decimal("80000")},
            {"kind": "overdue", "institution": "农商行", "overdue_days": 120, "as_of": date(2022, 1, 31)},
            {"kind": "overdue", "institution": "农商行", "overdue_days": 60, "overdue_months": 2, "as_of": date(2024, 3, 31)},
        ]
    )
    mark = audit_mark()
    report = services.report_record(actor=owner, customer=c, query_date=TODAY, purpose="担保资格审查", entries=entries)
    assert_one_event("customers.credit_report_recorded", since=mark, object_id=str(report.pk), data={"purpose": "担保资格审查"})
    summary = services.credit_summary(c, TODAY)
    assert summary["current_overdue"] == Decimal("20000")
    assert summary["external_guarantees"] == Decimal("80000")
    assert summary["worst_overdue_days"] == 60  # the 120 days of 2022 are older than 24 months
    assert summary["worst_overdue_months"] == 2


def test_permission_needed(owner, nobody):
    c = customer(owner)
    with pytest.raises(DomainError) as exc:
        _consent(nobody, c)
    assert exc.value.code == "customers.permission_denied"


def test_file_provider_reports_every_bad_row():
    good = "类型,机构,金额,余额,逾期金额,逾期天数\n贷款,建设银行,100000,50000,0,0\n担保,某公司,1,1,0,0\n".encode()
    assert [e.kind for e in FileImportProvider().fetch(("a.csv", good))] == ["loan", "guarantee"]
    bad = "类型,机构,金额,逾期天数\n贷款,建设银行,abc,0\n未知,,1,-3\n贷款,农行,1,0\n".encode()
    with pytest.raises(ProviderError) as exc:
        FileImportProvider().fetch(("b.csv", bad))
    assert exc.value.problems == [
        "第 2 行：金额“abc”不是有效金额",
        "第 3 行：类型须为“贷款”“担保”或“逾期”；机构为空；逾期天数“-3”不是整数",
    ]


def test_provider_entry_fields_match_the_model():
    assert set(ProviderEntry(kind="loan", institution="x").as_fields()) <= {
        f.name for f in CreditReport._meta.get_field("entries").related_model._meta.fields
    }


def test_report_view_is_logged_with_purpose(client_for, owner, outsider, nobody):
    c = customer(owner)
    _consent(owner, c)
    report = services.report_record(actor=owner, customer=c, query_date=TODAY, purpose="保后检查", entries=[])
    url = reverse("customers:credit-report-detail", args=[c.pk, report.pk])
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    mark = audit_mark()
    response = client_for(owner).get(url)
    assert response.status_code == 200
    assert_one_event(
        "customers.credit_report_viewed", since=mark, actor_id=owner.pk, object_id=str(report.pk), data={"purpose": "保后检查"}
    )


def test_report_pages_manual_and_file(client_for, owner):
    c = customer(owner)
    client = client_for(owner)
    url = reverse("customers:credit-report-create", args=[c.pk])
    management = {"entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000"}
    post = {
        "query_date": "2025-06-30",
        "purpose": "担保资格审查",
        **management,
        "entries-0-kind": "loan",
        "entries-0-institution": "工商银行",
        "entries-0-balance": "1000",
    }
    response = client.post(url, post)
    assert response.status_code == 200 and "授权" in response.content.decode() or "consent" in response.content.decode().lower()
    assert not CreditReport.objects.exists()
    response = client.post(
        reverse("customers:credit-consent-create", args=[c.pk]),
        {"text_version": "2024版", "signed_on": "2025-01-01", "scope": "贷前审查", "valid_until": "2025-12-31"},
    )
    assert response.status_code == 302
    response = client.post(url, post)
    assert response.status_code == 302
    report = CreditReport.objects.get()
    assert report.entries.get().balance == Decimal("1000")
    bad = SimpleUploadedFile("e.csv", "类型,机构,金额\n贷款,,x\n".encode())
    response = client.post(url, {**post, "file": bad})
    assert response.status_code == 200 and "import-problems" in response.content.decode()
    assert CreditReport.objects.count() == 1


def test_credit_tab_only_with_credit_view(client_for, owner, org):
    from danbao.org.tests.factories import UserFactory

    c = customer(owner)
    _consent(owner, c)
    services.report_record(
        actor=owner,
        customer=c,
        query_date=TODAY,
        purpose="x",
        entries=[ProviderEntry(kind="loan", institution="工行", balance=Decimal("5"), overdue_amount=Decimal("1234.5"))],
    )
    html = client_for(owner).get(reverse("customers:customer-detail", args=[c.pk])).content.decode()
    assert 'data-testid="credit-summary"' in html and "1,234.50" in html
    assert 'data-testid="consent-scan"' in html
    viewer = UserFactory(username="viewer", department=owner.department, roles=[org.roles["committee_member"]])
    c.manager = viewer
    c.save()
    html = client_for(viewer).get(reverse("customers:customer-detail", args=[c.pk])).content.decode()
    assert 'data-testid="credit-summary"' not in html
