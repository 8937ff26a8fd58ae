"""Add, edit and end a related party."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.customers import selectors_extras as sel
from danbao.customers.forms_extras import RelationEndForm, RelationForm
from danbao.customers.selectors import customer_get_for, customer_list_for
from danbao.customers.services_extras import relations as services
from danbao.customers.views_extras.common import tab_url

MANAGE = "customers.customer.manage"


@require_permission(MANAGE)
def relation_edit(request: HttpRequest, pk: int, relation_pk: int | None = None) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    party = sel.relation_of(customer, relation_pk) if relation_pk else None
    initial = {n: getattr(party, n) for n in RelationForm.base_fields} if party else {}
    form = RelationForm(
        request.POST or None, initial=initial, customers=customer_list_for(request.user).exclude(pk=customer.pk).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            if party is None:
                services.relation_add(actor=request.user, customer=customer, values=form.cleaned_data)
            else:
                services.relation_update(actor=request.user, party=party, values=form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Related party saved."))
            return redirect(tab_url(customer, "relations"))
    return render(request, "customers/relation_form.html", {"customer": customer, "party": party, "form": form})


@require_permission(MANAGE)
def relation_end(request: HttpRequest, pk: int, relation_pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    party = sel.relation_of(customer, relation_pk)
    form = RelationEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_end(
                actor=request.user, party=party, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Relation ended."))
            return redirect(tab_url(customer, "relations"))
    return render(request, "customers/relation_end.html", {"customer": customer, "party": party, "form": form})
