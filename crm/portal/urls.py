"""The client portal, /portal/ on the company's host (crm/portal/auth.py: its own session)."""

from __future__ import annotations

from django.urls import path

from crm.portal import views, views_account, views_tickets

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_account.login, name="login"),
    path("login/code/", views_account.login_code, name="login_code"),
    path("brand.css", views_account.brand_css, name="brand_css"),
    path("logout/", views_account.logout, name="logout"),
    path("password/reset/", views_account.password_reset, name="password_reset"),
    path("password/<int:pk>/<str:token>/", views_account.password_set, name="password_set"),
    path("profile/", views_account.profile, name="profile"),
    path("profile/personal-data/", views_account.personal_data, name="personal_data"),
    path("profile/2fa/", views_account.twofa_setup, name="twofa_setup"),
    path("profile/2fa/off/", views_account.twofa_disable, name="twofa_disable"),
    path("logo/", views_account.logo, name="logo"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/pdf/", views.offer_pdf, name="offer_pdf"),
    path("offers/<int:pk>/accept/", views.offer_accept_view, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline_view, name="offer_decline"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/sign/", views.contract_sign_view, name="contract_sign"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/messages/", views.project_message, name="project_message"),
    path("projects/<int:pk>/messages/<int:message_pk>/file/", views.project_message_file, name="project_message_file"),
    path(
        "projects/<int:pk>/messages/<int:message_pk>/delete/",
        views.project_message_delete,
        name="project_message_delete",
    ),
    path("projects/<int:pk>/files/<int:file_pk>/", views.project_file, name="project_file"),
    path("tickets/", views_tickets.ticket_list, name="ticket_list"),
    path("tickets/new/", views_tickets.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views_tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/reply/", views_tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/close/", views_tickets.ticket_close, name="ticket_close"),
    path("tickets/<int:pk>/files/<int:attachment_pk>/", views_tickets.ticket_attachment, name="ticket_attachment"),
    path("kb/", views.kb_index, name="kb_index"),
    path("kb/<int:pk>/", views.kb_article, name="kb_article"),
]
