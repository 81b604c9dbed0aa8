from __future__ import annotations

from django.urls import path

from crm.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("new/", views.contract_create, name="contract_create"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("<int:pk>/send/", views.contract_send, name="contract_send"),
    path("<int:pk>/renew/", views.contract_renew, name="contract_renew"),
    path("<int:pk>/delete/", views.contract_delete, name="contract_delete"),
]
