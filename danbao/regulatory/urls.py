from django.urls import path

from danbao.regulatory import views

app_name = "regulatory"

urlpatterns = [
    path("", views.metrics, name="metrics"),
    path("liability-table.xlsx", views.metrics_export, name="metrics-export"),
    path("inputs/", views.input_list, name="input-list"),
    path("inputs/new/", views.input_create, name="input-create"),
    path("inputs/<str:period>/", views.input_edit, name="input-edit"),
    path("what-if/", views.what_if, name="what-if"),
]
