"""Guarantee products (产品管理): versioned eligibility, pricing, risk shares, materials, monitoring, approval flow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = "products.product.view"
MANAGE = "products.product.manage"
EXPORT = "products.product.export"
VIEW_ROLES = ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "committee_member", "finance", "legal")


class ProductsConfig(AppConfig):
    name = "danbao.products"
    label = "products"
    verbose_name = _("Products")

    def ready(self) -> None:
        from danbao.core import demo, menu
        from danbao.core.menu import MenuItem
        from danbao.org import permissions, roles

        if "products" not in permissions.catalog:
            permissions.register(
                permissions.PermissionGroup(
                    "products",
                    _("Products"),
                    (
                        (VIEW, _("View the product catalogue")),
                        (MANAGE, _("Create and edit products, publish versions, suspend and retire products")),
                        (EXPORT, _("Export the product catalogue")),
                    ),
                )
            )
        for role in VIEW_ROLES:
            roles.register_default_grants(role, VIEW)
        roles.register_default_grants("general_manager", MANAGE, EXPORT)
        roles.register_default_grants("risk_manager", EXPORT)
        if "products.list" not in menu.items:
            menu.register_item(
                MenuItem("products.list", "projects", _("Product catalogue"), "products:product-list", VIEW, 80, "ti-packages")
            )
        from danbao.audit import labels

        labels.register_group("product.", _("Products"))
        labels.register_labels(
            {
                "product.created": _("Product created"),
                "product.draft_opened": _("Product draft version opened"),
                "product.draft_saved": _("Product draft version saved"),
                "product.version_published": _("Product version published"),
                "product.status_changed": _("Product status changed"),
            }
        )
        if "products" not in demo.steps:
            demo.register(demo.DemoStep("products", 50, _run_demo))


def _run_demo() -> str:
    from danbao.products.demo import seed

    return seed()
