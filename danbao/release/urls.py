from django.urls import path

from danbao.release import views

app_name = "release"

urlpatterns = [
    path("", views.ready_list, name="ready-list"),
    path("releases/", views.release_list, name="release-list"),
    path("tasks/", views.task_list, name="task-list"),
    path("guarantee/<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notice.pdf", views.notice, name="notice-pdf"),
    path("task/<int:pk>/complete/", views.task_complete, name="task-complete"),
]
