from django.urls import path

from danbao.audit import views

app_name = "audit"
urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/<int:event_id>/", views.event_detail, name="event-detail"),
    path("logins/", views.login_list, name="login-list"),
    path("history/", views.history_list, name="history-list"),
    path("history/<str:model_key>/", views.history_list, name="history-model"),
    path("history/<str:model_key>/<int:history_id>/", views.history_detail, name="history-detail"),
]
