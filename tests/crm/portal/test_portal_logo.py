"""The company's logo on the portal's sign-in page: public like the colour, and only the
logo of the company whose host is asked."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from crm.company.models import CompanySettings
from crm.settings.services import company_logo_set


def _logo_set(company: Any, color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), color).save(out, format="PNG")
    with schema_context(company.schema_name):
        obj = CompanySettings.current()
        company_logo_set(obj=obj, upload=SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png"))
        obj.save()
        with obj.logo.open("rb") as handle:
            return handle.read()


def test_the_sign_in_page_shows_the_companys_logo_to_an_anonymous_visitor(client_a, company_a):
    stored = _logo_set(company_a, (200, 30, 30))
    page = client_a.get("/portal/login/").content.decode()
    assert 'data-testid="portal-logo"' in page and 'src="/portal/logo/"' in page
    logo = client_a.get("/portal/logo/")
    assert logo.status_code == 200 and logo.content == stored
    assert logo["Content-Type"] == "image/png" and logo["X-Content-Type-Options"] == "nosniff"


def test_without_a_logo_the_sign_in_page_shows_the_initials_and_the_logo_url_is_not_found(client_a):
    page = client_a.get("/portal/login/").content.decode()
    assert 'data-testid="portal-logo"' not in page and "brand-mark" in page
    assert client_a.get("/portal/logo/").status_code == 404


def test_each_host_serves_only_its_own_companys_logo(client_a, client_b, company_a, company_b):
    alfa = _logo_set(company_a, (200, 30, 30))
    client_b.raise_request_exception = False
    assert client_b.get("/portal/logo/").status_code == 404  # B has none: A's is not reachable from B's host
    assert 'data-testid="portal-logo"' not in client_b.get("/portal/login/").content.decode()
    beta = _logo_set(company_b, (20, 160, 40))
    assert alfa != beta
    assert client_b.get("/portal/logo/").content == beta
    assert client_a.get("/portal/logo/").content == alfa
