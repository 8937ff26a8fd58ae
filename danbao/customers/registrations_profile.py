"""Menu items, permission group, demo step, documents and 360 tabs of the customer profile part."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core import demo, menu
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuItem
from danbao.customers import tabs
from danbao.customers.models.customer import Customer
from danbao.org import permissions

CUSTOMERS = permissions.PermissionGroup(
    "customers",
    _("Customers"),
    (
        ("customers.customer.view", _("View customers")),
        ("customers.customer.manage", _("Create, edit and close customers")),
        ("customers.customer.export", _("Export customers")),
        ("customers.sensitive.view", _("Unmask ID numbers and mobiles (each view is logged)")),
    ),
)
permissions.register(CUSTOMERS)

menu.register_item(
    MenuItem("customers.list", "customers", _("Customer list"), "customers:customer-list", "customers.customer.view", 10, "ti-users")
)
menu.register_item(
    MenuItem(
        "customers.create", "customers", _("New customer"), "customers:customer-create", "customers.customer.manage", 12, "ti-user-plus"
    )
)


def _run_demo() -> str:
    from danbao.customers.demo import seed

    return seed()


demo.register(demo.DemoStep("customers", 40, _run_demo))


def _visible(user: Any, customer: Customer) -> bool:
    from danbao.customers.selectors import customer_list_for

    if user is None or not getattr(user, "is_authenticated", False) or not user.can("customers.customer.view"):
        return False
    return customer_list_for(user).filter(pk=customer.pk).exists()


def _changeable(user: Any, customer: Customer) -> bool:
    return customer.is_active and user is not None and user.can("customers.customer.manage") and _visible(user, customer)


register_owner(
    Customer,
    can_view=_visible,
    can_change=_changeable,
    kinds=[
        AttachmentKind("business_licence", _("Business licence"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("id_copy", _("ID card copy"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("statement", _("Financial statements"), allowed=("pdf", "jpg", "png", "xlsx")),
        AttachmentKind("credit_report", _("Credit report"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("site_photo", _("Site photos"), allowed=("jpg", "png")),
        AttachmentKind("other", _("Other documents")),
    ],
)

tabs.register(
    tabs.CustomerTab(
        key="documents",
        label=pgettext_lazy("customer", "Documents"),
        template="customers/customer_tab_documents.html",
        context=lambda customer, user: {},
        order=90,
    )
)
