"""Uploads, through every upload endpoint discovered in the URL configuration: size
and type limits are enforced by the server, a name like `../../x` is stored safely,
a fake extension is refused, and the stored file is served only through the
authorising view (never anonymously, never on another company's host)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django_tenants.utils import schema_context

from tests.security.objects import rows_fill
from tests.security.urlmap import MARK_ID, company_endpoints

PDF = b"%PDF-1.4\n% ImCRM test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CSV = b"nazwa;email\nImCRM test Sp. z o.o.;biuro@imcrm-test.pl\n"
SAMPLES = [("oferta.pdf", PDF), ("klienci.csv", CSV)]
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@dataclass
class Target:
    """An upload endpoint: a page form (session) or an API operation (token)."""

    url: str
    api: bool = False
    file_field: str = "file"
    extra: dict[str, Any] = field(default_factory=dict)
    template: str = ""

    def __str__(self) -> str:
        return f"{'API ' if self.api else ''}{self.url}"


# Fields an upload operation needs besides the file that its schema's `required` cannot
# state (a rule across fields, `x-rules`): an expense needs its net or gross amount.
UPLOAD_FIELDS: dict[str, dict[str, Any]] = {"/api/v1/expenses/": {"name": "Paragon", "amount": "10.00"}}


def _api_targets() -> list[Target]:
    """Operations of the OpenAPI schema that take multipart with a binary field."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="config.urls_tenant").get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, ops in sorted(schema.get("paths", {}).items()):
        body = (ops.get("post") or {}).get("requestBody", {}).get("content", {}).get("multipart/form-data")
        if not body or "{" in path:
            continue
        ref = body.get("schema", {}).get("$ref", "")
        props = components.get(ref.rsplit("/", 1)[-1], body.get("schema", {})).get("properties", {})
        binary = [
            n
            for n, p in props.items()
            if p.get("format") == "binary" or (n in ("file", "upload", "attachment") and p.get("writeOnly"))
        ]
        if binary:
            extra = {**({"customer": MARK_ID} if "customer" in props else {}), **UPLOAD_FIELDS.get(path, {})}
            found.append(Target(url=path, api=True, file_field=binary[0], extra=extra, template=path))
    return found


UPLOADS = [
    Target(url=e.urls()[0], template=e.template)
    for e in company_endpoints()
    if "upload" in e.template or "upload" in e.name
] + _api_targets()


def _file_models() -> list[type[models.Model]]:
    return [
        m
        for config in apps.get_app_configs()
        if config.name.startswith("crm.")
        for m in config.get_models()
        if any(isinstance(f, models.FileField) for f in m._meta.concrete_fields)
    ]


@dataclass
class Stored:
    key: tuple[str, Any]  # (model label, pk)
    row: Any
    name: str  # storage name
    path: Path  # absolute path, computed in the company schema
    root: Path  # the company's media folder


def _stored(company: Any) -> list[Stored]:
    out = []
    with schema_context(company.schema_name):
        root = Path(default_storage.path("")).resolve()
        for model in _file_models():
            for file_field in (f for f in model._meta.concrete_fields if isinstance(f, models.FileField)):
                for row in model._default_manager.order_by("pk"):
                    stored = getattr(row, file_field.name)
                    if stored:
                        key = (f"{model._meta.label_lower}.{file_field.name}", row.pk)
                        out.append(Stored(key, row, stored.name, Path(stored.path).resolve(), root))
    return out


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def uploader(client_a: Any, api_szef: Any, company_a: Any, szef: Any, media: Path) -> Any:

    with schema_context(company_a.schema_name):
        rows_fill()
    client_a.raise_request_exception = False
    api_szef.raise_request_exception = False
    client_a.login_as(szef)

    def upload(
        endpoint: Target, name: str, content: bytes, content_type: str = "application/octet-stream"
    ) -> list[Stored]:
        before = {s.key for s in _stored(company_a)}
        data = {**endpoint.extra, endpoint.file_field: SimpleUploadedFile(name, content, content_type)}
        response = (api_szef if endpoint.api else client_a).post(endpoint.url, data)
        assert response.status_code < 500, (endpoint.url, response.status_code)
        return [s for s in _stored(company_a) if s.key not in before]

    return upload


def _sample(endpoint: Target, upload: Any) -> tuple[str, bytes]:
    """The kind of file this endpoint takes (a PDF attachment, a CSV import...)."""
    for name, content in SAMPLES:
        if upload(endpoint, name, content):
            return name, content
    raise AssertionError(f"{endpoint} accepted none of {[n for n, _c in SAMPLES]}")


def test_there_is_an_upload_endpoint_to_test():
    assert UPLOADS, "no upload endpoint found in config.urls_tenant"
    assert _file_models(), "no model stores files"


@pytest.mark.parametrize("endpoint", UPLOADS, ids=str)
def test_a_valid_file_is_stored_inside_the_company_media_folder(endpoint, uploader):
    name, content = _sample(endpoint, uploader)
    new = uploader(endpoint, name, content)
    assert len(new) == 1
    assert new[0].root.name == "c_alfa"
    assert new[0].path.is_relative_to(new[0].root)
    assert new[0].path.read_bytes() == content


@pytest.mark.parametrize("endpoint", UPLOADS, ids=str)
@pytest.mark.parametrize("name", ["../../x", "..\\..\\x", "/etc/passwd", "a/../../../b", "..", ""])
def test_a_path_in_the_file_name_is_stored_safely_or_refused(endpoint, name, uploader):
    sample, content = _sample(endpoint, uploader)
    for stored in uploader(endpoint, name + Path(sample).suffix, content):
        assert stored.root.name == "c_alfa"
        assert stored.path.is_relative_to(stored.root), stored.path
        assert ".." not in stored.name and not stored.name.startswith("/")
        shown = str(getattr(stored.row, "name", ""))
        assert "/" not in shown and "\\" not in shown and ".." not in shown


@pytest.mark.parametrize("endpoint", UPLOADS, ids=str)
@pytest.mark.parametrize(
    ("name", "content"),
    [("faktura.pdf", EXE), ("zdjecie.png", PDF), ("skrypt.exe", EXE), ("strona.html", b"<script>alert(1)</script>")],
)
def test_a_forbidden_type_or_a_fake_extension_is_refused(endpoint, name, content, uploader):
    assert uploader(endpoint, name, content) == []


@pytest.mark.parametrize("endpoint", UPLOADS, ids=str)
def test_a_file_over_the_size_limit_is_refused(endpoint, uploader, settings):
    """Each upload has a byte limit setting (IMCRM_*_MAX_BYTES); made small here."""
    name, content = _sample(endpoint, uploader)
    padding = b"%%" + b"0" * 4096 + b"\n" if name.endswith(".pdf") else content.splitlines()[-1] * 100
    limits = {"IMCRM_ATTACHMENT_MAX_BYTES", "IMCRM_IMPORT_MAX_BYTES"} | {
        n for n in dir(settings._wrapped if hasattr(settings, "_wrapped") else settings) if n.endswith("_MAX_BYTES")
    }
    for limit in limits:
        setattr(settings, limit, len(content) + 100)
    assert uploader(endpoint, name, content + padding) == []
    assert len(uploader(endpoint, name, content)) == 1


def test_an_uploaded_file_is_served_only_to_its_own_company_staff(uploader, company_a, client_a, client_b, outsider):
    from django.conf import settings as dj_settings
    from django.test import Client

    from tests.conftest import TenantClient

    attachments = [e for e in UPLOADS if e.template.startswith("/notes/") and not e.api]
    assert attachments, "the files app has no upload endpoint under /notes/"
    (stored,) = uploader(attachments[0], "umowa.pdf", PDF)
    download = next(e for e in company_endpoints() if e.name.endswith("file_download"))
    url = download.template.format(pk=stored.row.pk)

    assert client_a.get(url).status_code == 200
    anonymous = TenantClient(company_a)
    assert anonymous.get(url).status_code in (302, 401, 403, 404)
    client_b.login_as(outsider)
    assert client_b.get(url).status_code == 404
    media_url = f"{dj_settings.MEDIA_URL}{company_a.schema_name}/{stored.name}"
    for client in (client_a, anonymous, client_b, Client(HTTP_HOST=dj_settings.IMCRM_BASE_DOMAIN)):
        response = client.get(media_url)
        assert response.status_code == 404
        assert b"ImCRM test" not in b"".join(getattr(response, "streaming_content", [response.content]))
