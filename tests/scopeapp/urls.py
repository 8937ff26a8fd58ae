"""The project's URLs plus the test-only record pages (used with @pytest.mark.urls)."""

from django.urls import include, path

from danbao.urls import urlpatterns as project_urlpatterns
from tests.scopeapp import views

record_patterns = (
    [
        path("", views.record_list, name="list"),
        path("export/", views.record_export, name="export"),
        path("<int:pk>/", views.record_detail, name="detail"),
        path("<int:pk>/edit/", views.record_edit, name="edit"),
    ],
    "scopeapp",
)

urlpatterns = [path("records/", include(record_patterns)), *project_urlpatterns]
