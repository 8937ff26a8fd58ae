from django.urls import path

from danbao.core import views

app_name = "core"
urlpatterns = [
    path("", views.workbench_view, name="workbench"),
    path("healthz", views.healthz, name="healthz"),
]
