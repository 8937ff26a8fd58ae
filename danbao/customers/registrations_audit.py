"""Names of the customer events in the audit log (audit.labels)."""

from django.utils.translation import gettext_lazy as _

from danbao.audit import labels

labels.register_group("customer.", _("Customers"))
labels.register_group("customers.", _("Customer data: relations, statements, credit, screening"))
labels.register_labels(
    {
        "customer.created": _("Customer created"),
        "customer.updated": _("Customer changed"),
        "customer.closed": _("Customer closed"),
        "customer.size_overridden": _("Enterprise size set by hand"),
        "customers.relation_added": _("Related party added"),
        "customers.relation_changed": _("Related party changed"),
        "customers.relation_ended": _("Related party ended"),
        "customers.statement_saved": _("Financial statement saved"),
        "customers.household_statement_saved": _("Household statement saved"),
        "customers.credit_consent_recorded": _("Credit-check consent recorded"),
        "customers.credit_report_recorded": _("Credit report recorded"),
        "customers.credit_report_viewed": _("Credit report viewed"),
        "customers.screening_hit": _("Screening hit"),
        "customers.screening_hit_handled": _("Screening hit handled"),
        "customers.blacklist_entry_added": _("Watch-list entry added"),
        "customers.blacklist_entry_removed": _("Watch-list entry removed"),
        "customers.watchlist_imported": _("Watch list imported"),
    }
)
