from django.urls import path

from danbao.rules import views

app_name = "rules"

urlpatterns: list = [
    path("", views.rule_list, name="rule-list"),
    path("<int:pk>/", views.rule_detail, name="rule-detail"),
    path("<int:pk>/edit/", views.rule_edit, name="rule-edit"),
    path("<int:pk>/parameters/new/", views.rule_parameter_add, name="rule-parameter-add"),
    path("trial/", views.trial, name="trial"),
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
]
