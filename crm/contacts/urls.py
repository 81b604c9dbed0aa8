from __future__ import annotations

from django.urls import path

from crm.contacts import views, views_io, views_merge, views_registry

app_name = "contacts"
urlpatterns = [
    path("", views.customer_list_view, name="customer_list"),
    path("new/", views.customer_create, name="customer_create"),
    path("duplicates/", views.customer_duplicates_view, name="customer_duplicates"),
    path("export/", views_io.customer_export, name="customer_export"),
    path("registry/", views_registry.registry_lookup, name="registry_lookup"),
    path("import/", views_io.import_upload, name="import_upload"),
    path("import/<int:pk>/", views_io.import_mapping, name="import_mapping"),
    path("import/<int:pk>/progress/", views_io.import_progress, name="import_progress"),
    path("import/<int:pk>/report.csv", views_io.import_report, name="import_report"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("<int:pk>/delete/", views.customer_delete, name="customer_delete"),
    path("<int:pk>/merge/", views_merge.customer_merge_view, name="customer_merge"),
    path("<int:pk>/groups/", views.customer_groups, name="customer_groups"),
    path("<int:pk>/groups/new/", views.customer_group_create, name="customer_group_create"),
    path("<int:pk>/follow/", views.customer_follow, name="customer_follow"),
    path("<int:pk>/contacted/", views.customer_contacted, name="customer_contacted"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
