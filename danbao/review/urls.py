from django.urls import path

from danbao.review import views, views_expert

app_name = "review"

urlpatterns = [
    path("members/", views.person_list, {"kind": "member"}, name="member-list"),
    path("members/new/", views.person_form, {"kind": "member"}, name="member-create"),
    path("members/<int:pk>/", views.person_form, {"kind": "member"}, name="member-edit"),
    path("members/<int:pk>/deactivate/", views.person_active, {"kind": "member", "active": False}, name="member-deactivate"),
    path("members/<int:pk>/reactivate/", views.person_active, {"kind": "member", "active": True}, name="member-reactivate"),
    path("experts/", views.person_list, {"kind": "expert"}, name="expert-list"),
    path("experts/new/", views.person_form, {"kind": "expert"}, name="expert-create"),
    path("experts/<int:pk>/", views.person_form, {"kind": "expert"}, name="expert-edit"),
    path("experts/<int:pk>/deactivate/", views.person_active, {"kind": "expert", "active": False}, name="expert-deactivate"),
    path("experts/<int:pk>/reactivate/", views.person_active, {"kind": "expert", "active": True}, name="expert-reactivate"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/mine/", views.my_meetings, name="my-meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting-invite"),
    path("meetings/<int:pk>/uninvite/<int:member_id>/", views.meeting_uninvite, name="meeting-uninvite"),
    path("meetings/<int:pk>/attendance/<int:member_id>/", views.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/convene/", views.meeting_transition, {"action": "convene"}, name="meeting-convene"),
    path("meetings/<int:pk>/close/", views.meeting_transition, {"action": "close"}, name="meeting-close"),
    path("meetings/<int:pk>/cancel/", views.meeting_transition, {"action": "cancel"}, name="meeting-cancel"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/items/add/", views.item_add, name="item-add"),
    path("meetings/<int:pk>/experts/new/", views_expert.link_create, name="expert-link-create"),
    path("items/<int:pk>/vote/", views.vote, name="vote"),
    path("items/<int:pk>/remove/", views.item_remove, name="item-remove"),
    path("items/<int:pk>/recuse/", views.item_recuse, name="item-recuse"),
    path("items/<int:pk>/decide/", views.item_decide, name="item-decide"),
    path("items/<int:pk>/experts.pdf", views.item_expert_report, name="item-expert-report"),
    path("links/<int:pk>/revoke/", views_expert.link_revoke, name="expert-link-revoke"),
    path("x/<str:token>/", views_expert.expert_page, name="expert-page"),
    path("x/<str:token>/files/<int:pk>/", views_expert.expert_file, name="expert-file"),
]
