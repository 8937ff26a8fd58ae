from django.urls import path

from danbao.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.task_list, name="task-list"),
    path("task/<int:pk>/", views.task_detail, name="task-detail"),
    path("batch/", views.batch, name="batch"),
    path("reports/", views.report_list, name="report-list"),
    path("report/<int:pk>/", views.report_detail, name="report-detail"),
    path("report/<int:pk>/accept/", views.report_accept, name="report-accept"),
    path("report/<int:pk>/return/", views.report_return, name="report-return"),
    path("guarantee/<int:pk>/", views.guarantee_detail, name="guarantee-detail"),
    path("guarantee/<int:pk>/replan/", views.guarantee_replan, name="guarantee-replan"),
    path("guarantee/<int:pk>/event/new/", views.event_create, name="event-create"),
    path("events/", views.event_list, name="event-list"),
    path("event/<int:pk>/", views.event_detail, name="event-detail"),
    path("overdue/", views.overdue_list, name="overdue-list"),
]
