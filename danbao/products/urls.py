from django.urls import path

from danbao.products import views

app_name = "products"

urlpatterns: list = [
    path("", views.product_list, name="product-list"),
    path("new/", views.product_create, name="product-create"),
    path("<int:pk>/", views.product_detail, name="product-detail"),
    path("<int:pk>/draft/open/", views.product_draft_open, name="product-draft-open"),
    path("<int:pk>/draft/", views.product_draft_edit, name="product-draft"),
    path("<int:pk>/versions/<int:number>/publish/", views.product_publish, name="product-publish"),
    path("<int:pk>/status/<str:action>/", views.product_status, name="product-status"),
]
