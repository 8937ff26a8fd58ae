from django.urls import path

from danbao.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.message_detail, name="message-detail"),
    path("<int:pk>/archive/", views.message_archive, name="message-archive"),
    path("mark-read/", views.mark_read, name="mark-read"),
    path("mark-all-read/", views.mark_all_read, name="mark-all-read"),
    path("archive/", views.archive, name="archive"),
    path("compose/", views.compose, name="compose"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_edit, name="template-create"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
]
