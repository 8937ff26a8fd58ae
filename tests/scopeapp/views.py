"""List, detail, edit and export of Record built only with the platform's scope and list helpers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from danbao.core.access import login_only
from danbao.core.listing import Column, Filter, ListSpec, export_xlsx, render_list
from danbao.org.models import Department
from danbao.org.scope import apply_scope, get_in_scope
from tests.scopeapp.models import Record

SPEC = ListSpec(
    name="scope-records",
    columns=[
        Column("title", "Title", sort_field="title", link=lambda r: reverse("scopeapp:detail", args=[r.pk])),
        Column("department__name", "Department", sort_field="department__name"),
        Column("owner__username", "Owner", sort_field="owner__username"),
    ],
    filters=[Filter("department", "Department", "department", lambda user: [(d.pk, d.name) for d in Department.objects.all()])],
    search_fields=["title"],
    default_sort="title",
    select_related=["department", "owner"],
    export_name="Records",
)


def records_for(user: object) -> object:
    return apply_scope(Record.objects.all(), user)


@login_only
def record_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, SPEC, records_for(request.user), "scopeapp/record_list.html")


@login_only
def record_export(request: HttpRequest) -> HttpResponse:
    return export_xlsx(request, SPEC, records_for(request.user))


@login_only
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_in_scope(records_for(request.user), request.user, request, pk=pk)
    return HttpResponse(format_html("<h1>{}</h1><p>{}</p>", record.title, record.department.name))


@login_only
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_in_scope(records_for(request.user), request.user, request, pk=pk)
    if request.method == "POST":
        record.title = request.POST.get("title", record.title)[:100]
        record.save(update_fields=["title"])
        return redirect("scopeapp:detail", pk=record.pk)
    return HttpResponse(format_html("<form method='post'><input name='title' value='{}'></form>", record.title))
