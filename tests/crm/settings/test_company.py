"""Settings > Firma: company info with NIP checksum, and the logo (type and size checked)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from crm.company.models import CompanySettings
from crm.settings.validators import nip_is_valid, nip_normalise
from tenants.models import Company

VALID = {
    "name": "Alfa Sp. z o.o.",
    "street": "ul. Podlesie 3",
    "postal_code": "41-303",
    "city": "Dąbrowa Górnicza",
    "country": "Polska",
    "tax_id": "123-456-32-18",
    "phone": "+48 32 123 45 67",
    "email": "biuro@alfa.test",
    "website": "https://alfa.test",
}


def _image(fmt: str = "PNG", size=(120, 60), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("value", ["1234563218", "123-456-32-18", "PL 123 456 32 18", "5260250274"])
def test_valid_nip_passes_the_checksum(value):
    assert nip_is_valid(value)


@pytest.mark.parametrize("value", ["1234563219", "123456321", "abcdefghij", "0000000000x", "1234567890"])
def test_invalid_nip_fails_the_checksum(value):
    assert not nip_is_valid(value)


def test_nip_is_normalised_to_digits():
    assert nip_normalise("PL 123-456-32-18") == "1234563218"


def test_szef_saves_company_info_and_the_name_appears_in_the_header(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.post("/settings/company/", {**VALID, "name": "Alfa Nowa Nazwa"})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert row.tax_id == "1234563218"
        assert row.city == "Dąbrowa Górnicza"
    assert Company.objects.get(pk=company_a.pk).name == "Alfa Nowa Nazwa"
    assert "Alfa Nowa Nazwa" in client_a.get("/settings/").content.decode()
    Company.objects.filter(pk=company_a.pk).update(name=company_a.name)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_id", "123-456-32-19", "błędną cyfrę kontrolną"),
        ("tax_id", "12345", "NIP ma 10 cyfr"),
        ("postal_code", "41303", "00-000"),
        ("email", "nie-email", "poprawny adres e-mail"),
        ("name", "   ", "To pole jest wymagane"),
    ],
)
def test_bad_company_info_is_refused_next_to_the_field(client_a, szef, company_a, field, value, message):
    response = client_a.login_as(szef).post("/settings/company/", {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        assert CompanySettings.current().city == ""


def test_logo_upload_is_stored_as_png_in_the_companys_media_and_shown_in_the_header(
    client_a, szef, pracownik, company_a, settings
):
    upload = SimpleUploadedFile("logo.jpg", _image("JPEG", size=(1600, 400)), content_type="image/jpeg")
    client_a.login_as(szef)
    assert client_a.post("/settings/company/", {**VALID, "logo_upload": upload}).status_code == 302
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert row.logo.name.startswith("company/")
        assert company_a.schema_name in row.logo.path  # the company's own media folder
        with Image.open(row.logo.path) as stored:
            assert stored.format == "PNG"
            assert stored.size[0] <= 800 and stored.size[1] <= 300
    html = client_a.login_as(pracownik).get("/").content.decode()
    assert 'data-testid="company-logo"' in html
    logo = client_a.get("/company/logo.png")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")


def test_logo_is_not_served_to_anonymous_visitors(client_a):
    response = client_a.get("/company/logo.png")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("logo.png", b"<?php echo 'not an image'; ?>", "image/png", "To nie jest obraz"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "To nie jest obraz",
        ),
        ("logo.bmp", _image("BMP"), "image/bmp", "Dozwolone formaty logo"),
        ("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10), "image/png", "najwyżej 1 MB"),
    ],
)
def test_bad_logo_is_refused_with_a_clear_message(client_a, szef, company_a, name, content, content_type, message):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client_a.login_as(szef).post("/settings/company/", {**VALID, "logo_upload": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert not row.logo
        assert row.city == ""  # nothing of the form was saved


def test_logo_can_be_removed(client_a, szef, company_a):
    client_a.login_as(szef)
    upload = SimpleUploadedFile("logo.png", _image(), content_type="image/png")
    client_a.post("/settings/company/", {**VALID, "logo_upload": upload})
    assert client_a.post("/settings/company/", {**VALID, "logo_remove": "on"}).status_code == 302
    with schema_context(company_a.schema_name):
        assert not CompanySettings.current().logo
    assert client_a.get("/company/logo.png").status_code == 404


def test_company_b_sees_neither_company_a_logo_nor_its_info(client_a, client_b, szef, outsider, company_b):
    client_a.login_as(szef).post(
        "/settings/company/", {**VALID, "logo_upload": SimpleUploadedFile("l.png", _image(), content_type="image/png")}
    )
    client_b.login_as(outsider)
    assert client_b.get("/company/logo.png").status_code == 404
    assert "1234563218" not in client_b.get("/settings/company/").content.decode()
