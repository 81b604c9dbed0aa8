"""Celery tasks of billing: thin wrappers, public by design (they run in the public
schema and look at every company there), hence `public_ok`."""

from __future__ import annotations

from celery import shared_task

from tenants.db import connection


@shared_task(name="billing_saas.trial_reminders_send", public_ok=True)
def trial_reminders_send() -> int:
    from billing_saas.reminders import trial_reminders_send as run

    connection.set_schema_to_public()
    return run()


@shared_task(name="billing_saas.lifecycle_advance", public_ok=True)
def lifecycle_advance() -> dict[str, int]:
    from billing_saas.lifecycle import company_lifecycle_advance

    connection.set_schema_to_public()
    return company_lifecycle_advance()


@shared_task(name="billing_saas.deletions_run", public_ok=True)
def deletions_run() -> int:
    from billing_saas.operator_services import deletions_run as run

    connection.set_schema_to_public()
    return run()


@shared_task(name="billing_saas.company_export_build", public_ok=True)
def company_export_build(export_id: int) -> str:
    from billing_saas.exports import export_build

    connection.set_schema_to_public()
    return str(export_build(export_id).status)


@shared_task(name="billing_saas.schema_maintenance", public_ok=True)
def schema_maintenance(company_id: int, mode: str, requested_by: str = "") -> dict[str, object]:
    from billing_saas.maintenance import schema_maintenance_run

    connection.set_schema_to_public()
    return schema_maintenance_run(company_id=company_id, mode=mode, requested_by=requested_by)
