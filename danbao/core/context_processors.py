"""What every page of the shell needs: the menu of the signed-in user and the site name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from danbao.core.menu import menu_for

SITE_NAME = _("Danbao guarantee management")


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"site_name": SITE_NAME, "demo_mode": settings.DANBAO["DEMO"]}
    if user is not None and user.is_authenticated and not getattr(request, "htmx", False):
        context["menu"] = menu_for(user, request.path)
    return context
