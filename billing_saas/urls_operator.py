"""Operator console, mounted at /operator/ on the public host. Operator sign-in
(allauth, with TOTP) lives under /operator/accounts/; see urls_operator_accounts."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from billing_saas import operator_views

app_name = "operator"
urlpatterns = [
    path("", operator_views.console, name="console"),
    path("audit/", operator_views.audit_log, name="audit"),
    path("companies/<int:pk>/", operator_views.company_detail, name="company"),
    path("companies/<int:pk>/extend-trial/", operator_views.extend_trial, name="extend_trial"),
    path("companies/<int:pk>/change-plan/", operator_views.change_plan, name="change_plan"),
    path("companies/<int:pk>/mark-paid/", operator_views.mark_paid, name="mark_paid"),
    path("companies/<int:pk>/suspend/", operator_views.suspend, name="suspend"),
    path("companies/<int:pk>/reactivate/", operator_views.reactivate, name="reactivate"),
    path("companies/<int:pk>/export/", operator_views.export, name="export"),
    path("companies/<int:pk>/schedule-deletion/", operator_views.schedule_deletion, name="schedule_deletion"),
    path("companies/<int:pk>/cancel-deletion/", operator_views.cancel_deletion, name="cancel_deletion"),
    path("companies/<int:pk>/analyze/", operator_views.analyze_schema, name="analyze_schema"),
    path("companies/<int:pk>/vacuum/", operator_views.vacuum_schema, name="vacuum_schema"),
    path("emails/", operator_views.service_emails, name="service_emails"),
    path("emails/<slug:kind>/", operator_views.service_email_edit, name="service_email_edit"),
    path("emails/<slug:kind>/reset/", operator_views.service_email_reset, name="service_email_reset"),
    path("exports/<int:pk>/download/", operator_views.export_download, name="export_download"),
]

# allauth (login, 2FA) for operators; wrong passwords and codes count in the shared login
# throttle. Included without a namespace, so allauth's own URL names resolve on the public host.
accounts_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("allauth.urls")),
]
