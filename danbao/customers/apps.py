"""Customers: enterprises and individuals, identity codes, related parties and groups, financial
statements, credit records, watch-list screening, documents and the customer 360 page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "danbao.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        # Profile part (customers, list, 360, masking, demo) and the parts hanging off a customer
        # (related parties, statements, credit, screening) register their menu items, permissions
        # and 360 tabs in these two modules.
        from danbao.customers import registrations_audit, registrations_extras, registrations_profile  # noqa: F401
