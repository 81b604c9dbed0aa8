from django.apps import AppConfig


class BulkConfig(AppConfig):
    """Bulk actions on the customer, lead, deal and task lists (assign, status, groups, delete)."""

    name = "crm.bulk"
    label = "bulk"
    default_auto_field = "django.db.models.BigAutoField"
