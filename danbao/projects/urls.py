from django.urls import path

from danbao.projects import views

app_name = "projects"

urlpatterns: list = [
    path("", views.project_list, name="project-list"),
    path("mine/", views.project_mine, name="project-mine"),
    path("new/", views.project_intake, name="project-intake"),
    path("review-queue/", views.review_queue, name="review-queue"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/diligence/start/", views.project_diligence_start, name="project-diligence-start"),
    path("<int:pk>/score/", views.project_score, name="project-score"),
    path("<int:pk>/review/submit/", views.project_review_submit, name="project-review-submit"),
    path("<int:pk>/withdraw/", views.project_withdraw, name="project-withdraw"),
    path("<int:pk>/override/", views.project_override, name="project-override"),
    path("<int:pk>/review/", views.project_review, name="project-review"),
    path("<int:pk>/review/return/", views.project_review_return, name="project-review-return"),
    path("<int:pk>/resubmit/", views.project_resubmit, name="project-resubmit"),
    path("<int:pk>/terms/", views.project_terms, name="project-terms"),
    path("<int:pk>/change/", views.project_change, name="project-change"),
    path("<int:pk>/letter/", views.project_letter, name="project-letter"),
    path("<int:pk>/letter/<int:sequence>/", views.project_letter, name="project-letter-version"),
]
