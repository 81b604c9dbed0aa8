"""Settings pages, /settings/ (namespace `crmsettings`). Szef only: every view is
wrapped in `szef_required`, and tests/crm/settings/test_guard_discovery.py checks
each route found here."""

from __future__ import annotations

from django.urls import path

from crm.settings.views import activity, categories, company, invoicing, system_log, users

app_name = "crmsettings"
urlpatterns = [
    path("", company.index, name="index"),
    path("users/", users.users, name="users"),
    path("users/<int:user_id>/role/", users.user_role, name="user_role"),
    path("users/<int:user_id>/deactivate/", users.user_deactivate_view, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", users.user_reactivate_view, name="user_reactivate"),
    path("users/<int:user_id>/tokens/", users.user_tokens, name="user_tokens"),
    path("invitations/<int:invitation_id>/revoke/", users.invitation_revoke_view, name="invitation_revoke"),
    path("contacts/", categories.contacts, name="contacts"),
    path("tasks/", categories.tasks, name="tasks"),
    path("sales/", categories.sales, name="sales"),
    path("expenses/", categories.expenses, name="expenses"),
    path("contracts/", categories.contracts, name="contracts"),
    path("tickets/", categories.tickets, name="tickets"),
    path("leads/", categories.leads, name="leads"),
    path("categories/<slug:kind>/add/", categories.category_add, name="category_add"),
    path("categories/<slug:kind>/<int:pk>/edit/", categories.category_edit, name="category_edit"),
    path("categories/<slug:kind>/<int:pk>/move/", categories.category_move_view, name="category_move"),
    path("categories/<slug:kind>/<int:pk>/delete/", categories.category_delete_view, name="category_delete"),
    path("company/", company.company, name="company"),
    path("invoicing/", invoicing.invoicing, name="invoicing"),
    path("ksef/", invoicing.ksef, name="ksef"),
    path("email/", company.email, name="email"),
    path("email/test/", company.email_test, name="email_test"),
    path("security/", company.security, name="security"),
    path("activity/", activity.activity_log, name="activity"),
    path("activity/export.csv", activity.activity_export, name="activity_export"),
    path("system-log/", system_log.system_log, name="system_log"),
    path("system-log/export.csv", system_log.system_log_export, name="system_log_export"),
]
