"""The public knowledge base (no login): /kb/ on the company host."""

from __future__ import annotations

from django.urls import path

from crm.kb import public

app_name = "kb_public"
urlpatterns = [
    path("", public.kb_index, name="index"),
    path("<slug:group_slug>/<slug:slug>/", public.kb_article, name="article"),
]
