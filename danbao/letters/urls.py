from django.urls import path

from danbao.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("register/", views.register, name="register"),
    path("project/<int:pk>/", views.checklist, name="checklist"),
    path("project/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("project/<int:pk>/issue/", views.letter_issue, name="letter-issue"),
    path("project/<int:pk>/condition/<int:item_pk>/mark/", views.condition_mark, name="condition-mark"),
    path("project/<int:pk>/condition/<int:item_pk>/confirm/", views.condition_confirm, name="condition-confirm"),
    path("letter/<int:pk>/", views.letter_detail, name="letter-detail"),
    path("letter/<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("letter/<int:pk>/void/", views.letter_void, name="letter-void"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
