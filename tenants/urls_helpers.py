from __future__ import annotations

from django.conf import settings

from tenants.selectors import company_active


def _port_suffix() -> str:
    port = str(settings.IMCRM_PUBLIC_PORT or "")
    if not port or port in ("80", "443"):
        return ""
    return f":{port}"


def public_url(path: str = "/") -> str:
    return f"{settings.IMCRM_SCHEME}://{settings.IMCRM_BASE_DOMAIN}{_port_suffix()}{path}"


def company_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.IMCRM_BASE_DOMAIN}"


def company_url(subdomain: str, path: str = "/") -> str:
    return f"{settings.IMCRM_SCHEME}://{company_host(subdomain)}{_port_suffix()}{path}"


def company_active_url(path: str = "/") -> str:
    """`path` on the canonical address of the company whose schema is active (the public
    host in the public schema). Links in e-mails are built with this, never from a
    request: its Host header and port are whatever the client sent."""
    company = company_active()
    if company is None or not company.subdomain:
        return public_url(path)
    return company_url(company.subdomain, path)
