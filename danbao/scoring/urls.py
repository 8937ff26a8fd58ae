from django.urls import path

from danbao.scoring import views

app_name = "scoring"

urlpatterns = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_create, name="template-create"),
    path("templates/<int:pk>/", views.template_detail, name="template-detail"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template-edit"),
    path("templates/<int:pk>/draft/", views.draft_open, name="draft-open"),
    path("templates/<int:pk>/v/<int:number>/factors/new/", views.factor_edit, name="factor-add"),
    path("templates/<int:pk>/v/<int:number>/factors/<str:code>/", views.factor_edit, name="factor-edit"),
    path("templates/<int:pk>/v/<int:number>/factors/<str:code>/remove/", views.factor_remove, name="factor-remove"),
    path("templates/<int:pk>/v/<int:number>/grades/", views.grades_edit, name="grades-edit"),
    path("templates/<int:pk>/v/<int:number>/publish/", views.version_publish, name="version-publish"),
    path("templates/<int:pk>/v/<int:number>/retire/", views.version_retire, name="version-retire"),
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/adjust/<str:code>/", views.assessment_adjust, name="assessment-adjust"),
    path("run/", views.run_start, name="run-start"),
    path("customers/<int:pk>/run/", views.run_customer, name="run-customer"),
]
