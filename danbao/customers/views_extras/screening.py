"""Watch lists (import with preview, internal blacklist) and screening hits (list, handle)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.customers import selectors_extras as sel
from danbao.customers.forms_extras import BlacklistEntryForm, HitHandleForm, WatchListImportForm
from danbao.customers.models import ScreeningHit
from danbao.customers.selectors import customer_get_for
from danbao.customers.services_extras import screening as services
from danbao.customers.views_extras.common import tab_url

LISTS = "customers.watchlist.manage"
HANDLE = "customers.screening.handle"


@require_permission(LISTS)
def watchlist_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "customers/watchlist_list.html",
        {
            "lists": sel.watchlists().order_by("source", "name"),
            "entry_form": BlacklistEntryForm(),
            "recent": sel.watchlist_entries().filter(watch_list__source="internal").order_by("-id")[:20],
        },
    )


@require_permission(LISTS)
def watchlist_import(request: HttpRequest) -> HttpResponse:
    form = WatchListImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        try:
            wl, count = services.watchlist_import(
                actor=request.user,
                source=data["source"],
                list_name=data["list_name"],
                filename=data["file"].name,
                data=content,
                accept_good_rows=data["accept_good_rows"],
            )
        except DomainError as exc:
            preview = services.preview_import(data["file"].name, content)
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(count)s entries imported into %(list)s; all customers are being screened again.") % {"count": count, "list": wl.name},
            )
            return redirect("customers:watchlist-list")
    return render(request, "customers/watchlist_import.html", {"form": form, "preview": preview})


@require_permission(LISTS)
def blacklist_entry_add(request: HttpRequest) -> HttpResponse:
    form = BlacklistEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.internal_entry_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Added to the internal blacklist."))
            return redirect("customers:watchlist-list")
    return render(request, "customers/watchlist_entry_form.html", {"form": form})


HIT_LIST = ListSpec(
    name="customer-screening-hits",
    columns=[
        Column(
            "subject_name",
            gettext_lazy("Screened name"),
            sort_field="subject_name",
            link=lambda h: reverse("customers:hit-handle", args=[h.customer_id, h.pk]),
        ),
        Column("customer__name", gettext_lazy("Customer"), sort_field="customer__name"),
        Column("entry__name", gettext_lazy("Listed name")),
        Column("entry__watch_list__name", gettext_lazy("Watch list")),
        Column("match_type", gettext_lazy("Match"), display=lambda h: h.get_match_type_display()),
        Column("status", gettext_lazy("Status"), sort_field="status", display=lambda h: h.get_status_display()),
        Column("created_at", gettext_lazy("Found at"), sort_field="created_at", kind="datetime"),
    ],
    filters=[Filter("status", gettext_lazy("Status"), "status", list(ScreeningHit.Status.choices))],
    search_fields=["subject_name", "customer__name", "entry__name"],
    search_placeholder=gettext_lazy("Name"),
    default_sort="-created_at",
)


@require_permission(HANDLE)
def hit_list(request: HttpRequest) -> HttpResponse:
    from danbao.customers.selectors import customer_list_for

    queryset = ScreeningHit.objects.filter(customer__in=customer_list_for(request.user)).select_related("customer", "entry__watch_list")
    return render_list(request, HIT_LIST, queryset, "customers/screening_hit_list.html")


@require_permission(HANDLE)
def hit_handle(request: HttpRequest, pk: int, hit_pk: int) -> HttpResponse:
    customer = customer_get_for(request.user, pk, request)
    hit = sel.hit_of(customer, hit_pk)
    form = HitHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hit_handle(actor=request.user, hit=hit, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Screening hit handled."))
            return redirect(tab_url(customer, "screening"))
    return render(request, "customers/screening_hit.html", {"customer": customer, "hit": hit, "form": form})
