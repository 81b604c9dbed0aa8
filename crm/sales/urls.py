from __future__ import annotations

from django.urls import path

from crm.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("list/", views.deal_list, name="deal_list"),
    path("new/", views.deal_create, name="deal_create"),
    path("options/customers/", views.customer_options, name="customer_options"),
    path("options/deals/", views.deal_options, name="deal_options"),
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
    path("<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("<int:pk>/delete/", views.deal_delete, name="deal_delete"),
    path("<int:pk>/move/", views.deal_move, name="deal_move"),
    path("<int:pk>/status/", views.deal_close, name="deal_close"),
]
