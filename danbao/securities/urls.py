from django.urls import path

from danbao.securities import views

app_name = "securities"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("project/<int:pk>/", views.project_measures, name="project-measures"),
    path("project/<int:pk>/measure/new/", views.measure_create, name="measure-create"),
    path("measure/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("measure/<int:pk>/edit/", views.measure_edit, name="measure-edit"),
    path("measure/<int:pk>/fulfil/", views.measure_fulfil, name="measure-fulfil"),
    path("measure/<int:pk>/cancel/", views.measure_cancel, name="measure-cancel"),
    path("measure/<int:pk>/release/", views.measure_release, name="measure-release"),
    path("measure/<int:pk>/allocate/", views.allocation_add, name="allocation-add"),
    path("measure/<int:pk>/allocation/<int:allocation_pk>/release/", views.allocation_release, name="allocation-release"),
    path("collateral/", views.collateral_list, name="collateral-list"),
    path("collateral/new/", views.collateral_create, name="collateral-create"),
    path("collateral/<int:pk>/", views.collateral_detail, name="collateral-detail"),
    path("collateral/<int:pk>/edit/", views.collateral_edit, name="collateral-edit"),
    path("collateral/<int:pk>/owner/", views.owner_add, name="owner-add"),
    path("collateral/<int:pk>/appraisal/", views.appraisal_add, name="appraisal-add"),
    path("collateral/<int:pk>/appraisal/<int:appraisal_pk>/confirm/", views.revaluation_confirm, name="revaluation-confirm"),
    path("collateral/<int:pk>/appraisal/<int:appraisal_pk>/reject/", views.revaluation_reject, name="revaluation-reject"),
    path("collateral/<int:pk>/registration/", views.registration_add, name="registration-add"),
    path("collateral/<int:pk>/insurance/", views.insurance_add, name="insurance-add"),
    path("collateral/<int:pk>/custody/", views.custody_add, name="custody-add"),
    path("collateral/<int:pk>/custody/<int:entry_pk>/return/", views.custody_return, name="custody-return"),
]
