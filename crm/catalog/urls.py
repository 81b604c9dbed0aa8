from __future__ import annotations

from django.urls import path

from crm.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("new/", views.product_create, name="product_create"),
    path("picker/", views.product_picker, name="product_picker"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/active/", views.product_active, name="product_active"),
]
