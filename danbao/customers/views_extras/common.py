"""Shared bits of these pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def tab_url(customer: Any, tab: str) -> str:
    """The customer 360 page (the tab is named for the page's own tab switcher)."""
    return reverse("customers:customer-detail", args=[customer.pk]) + f"?tab={tab}#tab-{tab}"
