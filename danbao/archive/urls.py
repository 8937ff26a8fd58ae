from django.urls import path

from danbao.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.register, name="register"),
    path("ready/", views.ready, name="ready"),
    path("boxes/", views.boxes, name="boxes"),
    path("project/<int:pk>/", views.project_file, name="project"),
    path("project/<int:pk>/open/", views.file_open, name="open"),
    path("project/<int:pk>/item/<int:item_pk>/", views.item_record, name="item"),
    path("project/<int:pk>/item/<int:item_pk>/waive/", views.item_waive, name="waive"),
    path("project/<int:pk>/archive/", views.file_archive, name="archive"),
    path("project/<int:pk>/reopen/", views.file_reopen, name="reopen"),
    path("borrowings/", views.borrowings, name="borrowings"),
    path("file/<int:pk>/borrow/", views.borrow_request, name="borrow"),
    path("borrowing/<int:pk>/", views.borrowing_detail, name="borrowing-detail"),
    path("borrowing/<int:pk>/<slug:action>/", views.borrowing_act, name="borrowing-act"),
]
