"""Credit consents and reports: record (manual rows or a file through a provider), view (logged)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.customers import selectors_extras as sel
from danbao.customers.credit_providers import PROVIDERS, ProviderError
from danbao.customers.forms_extras import ConsentForm, CreditEntryFormSet, CreditReportForm
from danbao.customers.selectors import customer_get_for
from danbao.customers.services_extras import credit as services
from danbao.customers.views_extras.common import tab_url

VIEW = "customers.credit.view"
MANAGE = "customers.credit.manage"
DEFAULTS = {"amount": 0, "balance": 0, "overdue_amount": 0, "overdue_days": 0, "overdue_months": 0, "institution": "", "status": ""}


@require_permission(MANAGE)
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    form = ConsentForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, customer=customer, values=form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Credit consent recorded."))
            return redirect(tab_url(customer, "credit"))
    return render(request, "customers/credit_consent_form.html", {"customer": customer, "form": form})


@require_permission(MANAGE)
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    form = CreditReportForm(request.POST or None, request.FILES or None, initial={"query_date": timezone.localdate()})
    formset = CreditEntryFormSet(request.POST or None, prefix="entries")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                source = "file"
                entries = PROVIDERS["file"].fetch((data["file"].name, data["file"].read()))
            else:
                source = "manual"
                rows = [
                    {k: (v if v is not None else DEFAULTS.get(k, v)) for k, v in f.cleaned_data.items()} for f in formset if f.cleaned_data
                ]
                entries = PROVIDERS["manual"].fetch(rows)
            services.report_record(
                actor=request.user,
                customer=customer,
                query_date=data["query_date"],
                purpose=data["purpose"],
                entries=entries,
                source=source,
                note=data["note"],
            )
        except ProviderError as exc:
            problems = exc.problems
            messages.error(request, _("The file has %(count)s error(s); nothing was saved.") % {"count": len(problems)})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Credit report recorded."))
            return redirect(tab_url(customer, "credit"))
    return render(
        request, "customers/credit_report_form.html", {"customer": customer, "form": form, "formset": formset, "problems": problems}
    )


@require_permission(VIEW)
def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    report = sel.credit_report_of(customer, report_pk)
    services.report_viewed(actor=request.user, report=report, request=request)
    return render(
        request, "customers/credit_report_detail.html", {"customer": customer, "report": report, "entries": list(report.entries.all())}
    )
