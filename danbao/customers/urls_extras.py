"""URLs of related parties, statements, screening and credit records."""

from django.urls import path

from danbao.customers.views_extras import credit, financials, relations, screening

urlpatterns: list = [
    path("<int:pk>/statements/new/", financials.statement_edit, name="statement-create"),
    path("<int:pk>/statements/<int:statement_pk>/", financials.statement_edit, name="statement-edit"),
    path("<int:pk>/statements/template.xlsx", financials.statement_template, name="statement-template"),
    path("<int:pk>/statements/upload/", financials.statement_upload, name="statement-upload"),
    path("<int:pk>/household/new/", financials.household_edit, name="household-create"),
    path("<int:pk>/household/<int:statement_pk>/", financials.household_edit, name="household-edit"),
    path("<int:pk>/relations/new/", relations.relation_edit, name="relation-create"),
    path("<int:pk>/relations/<int:relation_pk>/", relations.relation_edit, name="relation-edit"),
    path("<int:pk>/relations/<int:relation_pk>/end/", relations.relation_end, name="relation-end"),
    path("<int:pk>/hits/<int:hit_pk>/", screening.hit_handle, name="hit-handle"),
    path("screening/hits/", screening.hit_list, name="hit-list"),
    path("watchlists/", screening.watchlist_list, name="watchlist-list"),
    path("watchlists/import/", screening.watchlist_import, name="watchlist-import"),
    path("watchlists/blacklist/new/", screening.blacklist_entry_add, name="blacklist-add"),
    path("<int:pk>/credit/consents/new/", credit.consent_add, name="credit-consent-create"),
    path("<int:pk>/credit/reports/new/", credit.report_add, name="credit-report-create"),
    path("<int:pk>/credit/reports/<int:report_pk>/", credit.report_detail, name="credit-report-detail"),
]
