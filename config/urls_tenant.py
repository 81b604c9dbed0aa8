"""URLs of a company host (SUB.IMCRM_BASE_DOMAIN): the CRM itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from billing_saas.views_tenant import locked as billing_locked
from crm.accounts.handoff import handoff_receive
from tenants.views import healthz, robots_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/invite/", include("crm.accounts.urls")),
    path("profile/", include("crm.accounts.profile_urls")),
    path("accounts/", include("allauth.urls")),
    path("auth/handoff/<str:token>/", handoff_receive, name="auth-handoff"),
    # The API's description is for signed-in staff only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]):
    # the schema answers 401 to anonymous callers, the docs page sends them to the login page.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Split view: the init script is a separate request, so the CSP needs no inline script.
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")),
        name="api-docs",
    ),
    path("api/v1/", include("config.urls_api")),
    path("customers/", include("crm.privacy.urls")),
    path("customers/", include("crm.contacts.urls")),
    path("tasks/", include("crm.tasks.urls")),
    path("deals/", include("crm.sales.urls")),
    path("invoices/", include("crm.invoicing.urls")),
    path("products/", include("crm.catalog.urls")),
    path("knowledge/", include("crm.kb.urls")),
    path("kb/", include("crm.kb.public_urls")),
    path("offers/", include("crm.offers.urls")),
    path("o/", include("crm.offers.public_urls")),
    path("contracts/", include("crm.contracts.urls")),
    path("leads/", include("crm.leads.urls")),
    path("forms/", include("crm.leads.public_urls")),
    path("projects/", include("crm.projects.urls")),
    path("projects/", include("crm.portal.staff_urls")),
    path("settings/portal/", include("crm.portal.settings_urls")),
    path("c/", include("crm.contracts.public_urls")),
    path("tickets/", include("crm.tickets.urls")),
    path("inbound/", include("crm.tickets.public_urls")),
    path("emails/", include("crm.emails.urls")),
    path("portal/", include("crm.portal.urls")),
    path("expenses/", include("crm.expenses.urls")),
    path("time/", include("crm.timetracking.urls")),
    path("notes/", include("crm.notes.urls")),
    path("notifications/", include("crm.notifications.urls")),
    path("trash/", include("crm.trash.mine_urls")),
    path("search/", include("crm.search.urls")),
    path("bulk/", include("crm.bulk.urls")),
    path("invoices/", include("crm.invoicing.urls_payments")),
    path("settings/homepage/", include("crm.dashboard.settings_urls")),
    path("settings/billing/", include("billing_saas.urls_tenant")),
    path("settings/trash/", include("crm.trash.urls")),
    path("settings/backups/", include("crm.backups.urls")),
    path("settings/custom-fields/", include("crm.customfields.urls")),
    path("settings/email-templates/", include("crm.emails.settings_urls")),
    path("settings/unmatched-emails/", include("crm.emails.unmatched_urls")),
    path("settings/pipelines/", include("crm.sales.settings_urls")),
    path("settings/webhooks/", include("crm.webhooks.urls")),
    path("settings/automations/", include("crm.automations.urls")),
    path("settings/payment-reminders/", include("crm.invoicing.urls_payments_settings")),
    path("settings/processing-register/", include("crm.privacy.urls_settings")),
    path("settings/online-payments/", include("crm.payments.urls_settings")),
    path("payments/", include("crm.payments.urls")),
    path("billing/locked/", billing_locked, name="billing-locked"),
    path("settings/", include("crm.settings.urls")),
    path("company/", include("crm.settings.company_urls")),
    path("", include("crm.dashboard.urls")),
]

handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
