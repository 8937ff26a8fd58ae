"""URL map: one include per app. There is no Django admin site (SECURITY B.23)."""

from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

handler500 = "danbao.core.views.server_error"

urlpatterns = [
    path("", include("danbao.core.urls")),
    path("", include("danbao.org.urls")),
    path("system/", include("danbao.system.urls")),
    path("audit/", include("danbao.audit.urls")),
    path("messages/", include("danbao.notifications.urls")),
    path("workflow/", include("danbao.workflow.urls")),
    path("customers/", include("danbao.customers.urls")),
    path("review/", include("danbao.review.urls")),
    path("regulatory/", include("danbao.regulatory.urls")),
    path("products/", include("danbao.products.urls")),
    path("partners/", include("danbao.partners.urls")),
    path("rules/", include("danbao.rules.urls")),
    path("scoring/", include("danbao.scoring.urls")),
    path("projects/", include("danbao.projects.urls")),
    path("diligence/", include("danbao.diligence.urls")),
    path("contracts/", include("danbao.contracts.urls")),
    path("securities/", include("danbao.securities.urls")),
    path("finance/", include("danbao.finance.urls")),
    path("letters/", include("danbao.letters.urls")),
    path("ledger/", include("danbao.ledger.urls")),
    path("monitoring/", include("danbao.monitoring.urls")),
    path("risk/", include("danbao.risk.urls")),
    path("release/", include("danbao.release.urls")),
    path("archive/", include("danbao.archive.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
