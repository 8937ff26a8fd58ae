from django.urls import include, path

from danbao.core import views

app_name = "core"
urlpatterns = [
    path("", views.workbench_view, name="workbench"),
    path("healthz", views.healthz, name="healthz"),
    path("files/", include("danbao.core.attachments.urls")),  # names join the core namespace
]
