"""The signed-in person's own profile, mounted at /profile/ by config/urls_tenant.py."""

from __future__ import annotations

from django.urls import path

from crm.accounts import views

app_name = "profile"
urlpatterns = [
    path("", views.profile, name="index"),
    path("tokens/revoke/", views.profile_token_revoke, name="token_revoke"),
]
