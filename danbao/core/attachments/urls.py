"""Attachment URLs under files/, included by core.urls so the names are core:attachment-*."""

from django.urls import path

from danbao.core.attachments import views

urlpatterns = [
    path("upload/", views.attachment_upload, name="attachment-upload"),
    path("panel/<str:owner>/<str:owner_id>/", views.attachment_panel, name="attachment-panel"),
    path("<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("<int:pk>/preview/", views.attachment_preview, name="attachment-preview"),
    path("<int:pk>/void/", views.attachment_void_view, name="attachment-void"),
]
