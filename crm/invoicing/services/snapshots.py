"""The seller's and the buyer's data as an issued invoice keeps them (frozen at issue)."""

from __future__ import annotations

from typing import Any

from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from tenants.db import connection
from tenants.models import Company


def company_name() -> str:
    """The active company's name (tenants.Company, in the public schema)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Company) and tenant.schema_name == connection.schema_name:
        return tenant.name
    return Company.objects.filter(schema_name=connection.schema_name).values_list("name", flat=True).first() or ""


def seller_snapshot() -> dict[str, Any]:
    settings = CompanySettings.current()
    return {
        "name": company_name(),
        "tax_id": settings.tax_id,
        "street": settings.street,
        "postal_code": settings.postal_code,
        "city": settings.city,
        "country": settings.country,
        "email": settings.email,
        "phone": settings.phone,
        "bank_account": settings.bank_account,
    }


def buyer_snapshot(customer: Customer) -> dict[str, Any]:
    return {
        "name": customer.name,
        "kind": customer.kind,
        "tax_id": customer.tax_id,
        "street": customer.street,
        "postal_code": customer.postal_code,
        "city": customer.city,
        "country": customer.country,
        "email": customer.email,
        "phone": customer.phone,
    }


def address_lines(party: dict[str, Any]) -> tuple[str, ...]:
    """["ul. Długa 5", "00-950 Warszawa", "Niemcy"]: the country only when not Poland."""
    town = " ".join(part for part in (party.get("postal_code", ""), party.get("city", "")) if part)
    country = party.get("country", "")
    abroad = country and country.strip().lower() not in ("polska", "poland", "pl")
    return tuple(part for part in (party.get("street", ""), town, country if abroad else "") if part)
