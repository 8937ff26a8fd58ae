from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danbao.core.access import login_only


@login_only
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/inbox.html", {})
