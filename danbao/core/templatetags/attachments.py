"""{% attachments_panel owner %}: the documents panel of a business object (danbao.core.attachments)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404

from danbao.core.attachments.selectors import panel_context

register = template.Library()


@register.inclusion_tag("core/attachments/panel_body.html", takes_context=True)
def attachments_panel(context: template.Context, owner: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        data = panel_context(owner, user)
    except Http404:
        return {"groups": [], "hidden": True}
    return {**data, "request": request, "csrf_token": context.get("csrf_token")}
