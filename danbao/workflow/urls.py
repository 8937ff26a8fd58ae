from django.urls import path

from danbao.workflow import views

app_name = "workflow"

urlpatterns = [
    path("todo/", views.todo_list, name="todo"),
    path("done/", views.done_list, name="done"),
    path("cc/", views.cc_list, name="cc"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/act/", views.task_act, name="task-act"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task-reassign"),
    path("tasks/<int:pk>/signers/<int:signer>/remove/", views.signer_remove, name="signer-remove"),
    path("instances/", views.instance_list, name="instance-list"),
    path("instances/<int:pk>/", views.instance_detail, name="instance"),
    path("instances/<int:pk>/act/", views.instance_act, name="instance-act"),
    path("monitor/", views.monitor, name="monitor"),
    path("definitions/", views.definition_list, name="definition-list"),
    path("definitions/<int:pk>/", views.designer, name="designer"),
]
