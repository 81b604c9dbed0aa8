from __future__ import annotations

from django.urls import path

from crm.expenses import views

app_name = "expenses"
urlpatterns = [
    path("", views.expense_list_view, name="expense_list"),
    path("new/", views.expense_create, name="expense_create"),
    path("export.csv", views.expense_export, name="expense_export"),
    path("report/", views.report, name="report"),
    path("report/csv/", views.report_csv, name="report_csv"),
    path("<int:pk>/", views.expense_detail, name="expense_detail"),
    path("<int:pk>/edit/", views.expense_edit, name="expense_edit"),
    path("<int:pk>/delete/", views.expense_delete, name="expense_delete"),
    path("<int:pk>/receipt/", views.expense_receipt, name="expense_receipt"),
]
