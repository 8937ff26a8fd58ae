from django.urls import path

from danbao.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.guarantee_list, name="guarantee-list"),
    path("pending/", views.pending_list, name="pending-list"),
    path("guarantee/<int:pk>/", views.guarantee_detail, name="guarantee-detail"),
    path("project/<int:pk>/disburse/", views.disburse, name="disburse"),
    path("project/<int:pk>/disburse/preview/", views.disburse_preview, name="disburse-preview"),
]
