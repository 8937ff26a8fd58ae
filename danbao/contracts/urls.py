from django.urls import path

from danbao.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.register, name="register"),
    path("project/<int:pk>/", views.project_contracts, name="project"),
    path("project/<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/pdf/", views.download_pdf, name="pdf"),
    path("<int:pk>/docx/", views.download_docx, name="docx"),
    path("templates/", views.template_list, name="templates"),
    path("templates/preview/", views.version_preview, name="preview"),
    path("templates/<int:pk>/", views.template_detail, name="template-detail"),
    path("templates/<int:pk>/new/", views.version_new, name="version-new"),
    path("templates/<int:pk>/v<int:number>/edit/", views.version_edit, name="version-edit"),
    path("templates/<int:pk>/v<int:number>/publish/", views.version_publish, name="version-publish"),
]
