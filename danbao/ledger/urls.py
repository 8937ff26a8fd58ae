from django.urls import path

from danbao.ledger import views, views_repayments

app_name = "ledger"

urlpatterns = [
    path("", views.guarantee_list, name="guarantee-list"),
    path("pending/", views.pending_list, name="pending-list"),
    path("guarantee/<int:pk>/", views.guarantee_detail, name="guarantee-detail"),
    path("project/<int:pk>/disburse/", views.disburse, name="disburse"),
    path("project/<int:pk>/disburse/preview/", views.disburse_preview, name="disburse-preview"),
    path("guarantee/<int:pk>/repay/", views_repayments.repayment_record, name="repayment-record"),
    path("repayment/<int:pk>/reverse/", views_repayments.repayment_reverse, name="repayment-reverse"),
    path("repayments/import/", views_repayments.repayment_import, name="repayment-import"),
    path("repayments/import/preview/", views_repayments.repayment_import_preview, name="repayment-import-preview"),
    path("guarantee/<int:pk>/extend/", views_repayments.extension_request, name="extension-request"),
    path("maturity/", views_repayments.maturity_list, name="maturity-list"),
]
