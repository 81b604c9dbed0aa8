from __future__ import annotations

from django.urls import path

from crm.offers import views

app_name = "offers"
urlpatterns = [
    path("", views.offer_list, name="offer_list"),
    path("new/", views.offer_create, name="offer_create"),
    path("<int:pk>/", views.offer_detail, name="offer_detail"),
    path("<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/pdf/", views.offer_pdf, name="offer_pdf"),
    path("<int:pk>/send/", views.offer_send, name="offer_send"),
    path("<int:pk>/delete/", views.offer_delete, name="offer_delete"),
    path("<int:pk>/deal-value/", views.offer_deal_value, name="offer_deal_value"),
]
