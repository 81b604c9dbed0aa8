"""URLs of the public host (IMCRM_BASE_DOMAIN): marketing site, signup, operator."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from billing_saas.urls_operator import accounts_urlpatterns as operator_accounts_urlpatterns
from tenants.views import healthz, robots_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("operator/accounts/", include(operator_accounts_urlpatterns)),
    path("operator/", include("billing_saas.urls_operator")),
    path("", include("billing_saas.urls_public")),
    path("", include("public_site.urls")),
]

handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
