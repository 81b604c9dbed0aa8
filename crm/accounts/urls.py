"""Pages of staff accounts outside allauth, mounted at /invite/ by config/urls_tenant.py."""

from __future__ import annotations

from django.urls import path

from crm.accounts import views

app_name = "accounts"
urlpatterns = [
    path("<str:token>/", views.invite_accept, name="invite_accept"),
]
