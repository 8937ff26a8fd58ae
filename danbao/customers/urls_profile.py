"""URLs of the customer profile part: list, create, edit, close, size override, 360, unmask."""

from django.urls import path

from danbao.customers import views

urlpatterns: list = [
    path("", views.customer_list, name="customer-list"),
    path("new/", views.customer_create, name="customer-create"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/close/", views.customer_close, name="customer-close"),
    path("<int:pk>/size/", views.customer_size, name="customer-size"),
    path("<int:pk>/unmask/", views.customer_unmask, name="customer-unmask"),
]
