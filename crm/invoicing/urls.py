"""Pages of invoices, /invoices/ (namespace `invoicing`)."""

from __future__ import annotations

from django.urls import path

from crm.invoicing import views, views_email

app_name = "invoicing"
urlpatterns = [
    path("", views.invoice_list_view, name="invoice_list"),
    path("new/", views.invoice_create, name="invoice_create"),
    path("from-offer/<int:offer_pk>/", views.invoice_from_offer, name="invoice_from_offer"),
    path("<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("<int:pk>/edit/", views.invoice_edit, name="invoice_edit"),
    path("<int:pk>/delete/", views.invoice_delete, name="invoice_delete"),
    path("<int:pk>/issue/", views.invoice_issue, name="invoice_issue"),
    path("<int:pk>/correct/", views.invoice_correct, name="invoice_correct"),
    path("<int:pk>/convert/", views.invoice_convert, name="invoice_convert"),
    path("<int:pk>/email/", views_email.invoice_email, name="invoice_email"),
    path("<int:pk>/send-ksef/", views.invoice_send_ksef, name="invoice_send_ksef"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("<int:pk>/upo.xml", views.invoice_upo, name="invoice_upo"),
    path("<int:pk>/ksef.xml", views.invoice_ksef_xml, name="invoice_ksef_xml"),
]
