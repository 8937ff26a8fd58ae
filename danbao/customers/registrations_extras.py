"""Menu items, permission group, hooks, to-dos, demo step and 360 tabs of related parties, financial
statements, credit records and screening."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danbao.core import demo, menu, workbench
from danbao.core.menu import MenuItem
from danbao.customers import hooks, tabs
from danbao.org import permissions

CUSTOMER_DATA = permissions.PermissionGroup(
    "customer_data",
    _("Customer statements, credit records and screening"),
    (
        ("customers.statement.manage", _("Enter and import financial statements")),
        ("customers.credit.view", _("View credit records (each report view is logged)")),
        ("customers.credit.manage", _("Record credit consents and credit reports")),
        ("customers.watchlist.manage", _("Import watch lists and maintain the internal blacklist")),
        ("customers.screening.handle", _("Confirm or dismiss screening hits")),
    ),
)
permissions.register(CUSTOMER_DATA)

menu.register_item(
    MenuItem(
        "customers.watchlists",
        "customers",
        _("Watch lists"),
        "customers:watchlist-list",
        "customers.watchlist.manage",
        30,
        "ti-list-search",
    )
)
menu.register_item(
    MenuItem(
        "customers.hits", "customers", _("Screening hits"), "customers:hit-list", "customers.screening.handle", 32, "ti-alert-triangle"
    )
)


def _screen_after_save(customer: Any, actor: Any) -> None:
    from danbao.customers.services_extras.screening import after_customer_saved

    after_customer_saved(customer, actor)


if _screen_after_save not in hooks.after_customer_saved:
    hooks.after_customer_saved.append(_screen_after_save)


def _open_hits(user: Any) -> list[workbench.Todo]:
    from danbao.customers.selectors_extras import open_hits_for

    return [
        workbench.Todo(
            kind=_("Screening hit"),
            title=gettext("%(subject)s matches %(entry)s") % {"subject": hit.subject_name, "entry": hit.entry.name},
            url=reverse("customers:hit-handle", args=[hit.customer_id, hit.pk]),
            due_date=hit.created_at.date(),
            urgent=True,
        )
        for hit in open_hits_for(user)[:50]
    ]


workbench.register(workbench.TodoProvider("customers.screening_hits", _("Screening hits"), _open_hits, "customers.screening.handle"))


def _tab(name: str) -> Any:
    def context(customer: Any, user: Any) -> dict[str, Any]:
        from danbao.customers.views_extras import tabs as tab_views

        return getattr(tab_views, name)(customer, user)

    return context


tabs.register(tabs.CustomerTab("financials", _("Financials"), "customers/tabs/financials.html", _tab("financials_context"), 20))
tabs.register(tabs.CustomerTab("relations", _("Related parties"), "customers/tabs/relations.html", _tab("relations_context"), 30))
tabs.register(tabs.CustomerTab("screening", _("Screening"), "customers/tabs/screening.html", _tab("screening_context"), 40))
tabs.register(
    tabs.CustomerTab("credit", _("Credit records"), "customers/tabs/credit.html", _tab("credit_context"), 50, "customers.credit.view")
)


def _consent_visible(user: Any, consent: Any) -> bool:
    from danbao.customers.selectors import customer_list_for

    if user is None or not getattr(user, "is_authenticated", False) or not user.can("customers.credit.view"):
        return False
    return customer_list_for(user).filter(pk=consent.customer_id).exists()


def _consent_changeable(user: Any, consent: Any) -> bool:
    return _consent_visible(user, consent) and user.can("customers.credit.manage")


def _register_consent_scans() -> None:
    from danbao.core.attachments.registry import AttachmentKind, register_owner
    from danbao.customers.models import CreditConsent

    register_owner(
        CreditConsent,
        can_view=_consent_visible,
        can_change=_consent_changeable,
        kinds=[AttachmentKind("consent_scan", _("Signed authorisation (scan)"), allowed=("pdf", "jpg", "png"))],
    )


_register_consent_scans()


def _run_demo() -> str:
    from danbao.customers.demo_extras import seed

    return seed()


demo.register(demo.DemoStep("customers_extras", 45, _run_demo))
