from django.urls import path

from danbao.finance import views

app_name = "finance"

urlpatterns = [
    path("receivables/", views.receivable_list, name="receivable-list"),
    path("receipts/", views.receipt_list, name="receipt-list"),
    path("deferrals/", views.deferral_queue, name="deferral-queue"),
    path("deferrals/<int:deferral_pk>/decide/", views.deferral_decide, name="deferral-decide"),
    path("project/<int:pk>/", views.project_fees, name="project-fees"),
    path("project/<int:pk>/plan/", views.plan_create, name="plan-create"),
    path("project/<int:pk>/receipt/new/", views.receipt_create, name="receipt-create"),
    path("project/<int:pk>/receipt/<int:receipt_pk>/reverse/", views.receipt_reverse, name="receipt-reverse"),
    path("project/<int:pk>/receivable/<int:receivable_pk>/defer/", views.deferral_create, name="deferral-create"),
    path("project/<int:pk>/notice.pdf", views.notice_pdf, name="notice-pdf"),
]
