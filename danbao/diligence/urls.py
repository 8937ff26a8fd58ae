from django.urls import path

from danbao.diligence import views

app_name = "diligence"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("project/<int:pk>/", views.project_detail, name="project-detail"),
    path("project/<int:pk>/start/", views.report_start, name="report-start"),
    path("project/<int:pk>/report/", views.report_edit, name="report-edit"),
    path("project/<int:pk>/sign/", views.report_sign, name="report-sign"),
    path("project/<int:pk>/confirm/", views.report_confirm, name="report-confirm"),
    path("project/<int:pk>/return/", views.report_return, name="report-return"),
    path("project/<int:pk>/reopen/", views.report_reopen, name="report-reopen"),
    path("project/<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("project/<int:pk>/material/<int:material_pk>/upload/", views.material_upload, name="material-upload"),
    path("project/<int:pk>/material/<int:material_pk>/waive/", views.material_waive, name="material-waive"),
    path("project/<int:pk>/visit/new/", views.visit_create, name="visit-create"),
    path("project/<int:pk>/visit/<int:visit_pk>/", views.visit_detail, name="visit-detail"),
    path("project/<int:pk>/visit/<int:visit_pk>/void/", views.visit_void, name="visit-void"),
]
