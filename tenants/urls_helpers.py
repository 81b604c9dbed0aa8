from __future__ import annotations

from django.conf import settings


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
