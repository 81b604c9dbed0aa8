from __future__ import annotations

from django.urls import path, register_converter

from crm.notes import views


class TargetKindConverter:
    regex = "customer|deal|task|offer|invoice|contract|ticket|project|lead"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SectionConverter(TargetKindConverter):
    regex = "notes|files"


register_converter(TargetKindConverter, "kind")
register_converter(SectionConverter, "section")

app_name = "notes"
urlpatterns = [
    path("<kind:kind>/<int:pk>/<section:section>/", views.panel, name="panel"),
    path("<kind:kind>/<int:pk>/notes/add/", views.note_create, name="note_create"),
    path("note/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("note/<int:pk>/history/", views.note_history_view, name="note_history"),
    path("note/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("<kind:kind>/<int:pk>/files/upload/", views.file_upload, name="file_upload"),
    path("file/<int:pk>/", views.file_download, name="file_download"),
    path("file/<int:pk>/delete/", views.file_delete, name="file_delete"),
]
