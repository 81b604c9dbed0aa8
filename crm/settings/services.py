"""Writes of company settings (company info, e-mail, security), each one logged."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from PIL import Image, UnidentifiedImageError

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.company.crypto import secret_encrypt
from crm.company.models import CompanySettings, company_settings_memo_refresh
from tenants.db import connection
from tenants.models import Company

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_BOX = (800, 300)  # stored logos are scaled down to fit
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


class SettingsError(AppError):
    """A company-settings change refused; `field` names the form field to blame."""


def company_settings_fresh() -> CompanySettings:
    """A copy to edit: forms change their instance even when invalid, so never edit the
    per-request memo that the header and the guards read."""
    CompanySettings.current()  # makes sure the row exists
    return CompanySettings.objects.get(pk=1)


def _memo_refresh(obj: CompanySettings) -> None:
    company_settings_memo_refresh(obj)


@transaction.atomic
def company_settings_save(
    *, actor: User | None, obj: CompanySettings, fields: Iterable[str], section: str
) -> CompanySettings:
    """Save the given fields and log which ones changed (never their secret values)."""
    fields = list(dict.fromkeys(fields))
    before = CompanySettings.objects.filter(pk=obj.pk).values(*fields).first() or {}
    changed = [f for f in fields if before.get(f) != getattr(obj, f) and f != "logo"]
    if "logo" in fields:
        changed.append("logo")
    obj.save(update_fields=[*fields, "updated_at"])
    _memo_refresh(obj)
    if changed:
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            object_type="company.companysettings",
            object_repr=section,
            code="settings.changed",
            params={"section": section, "fields": changed},
        )
    return obj


@transaction.atomic
def company_name_change(*, actor: User | None, name: str) -> None:
    """The company name lives on tenants.Company in the public schema (it is in the header)."""
    from tenants.routing import tenant_lookup_invalidate

    name = name.strip()
    company = Company.objects.get(schema_name=connection.schema_name)
    if company.name == name:
        return
    Company.objects.filter(pk=company.pk).update(name=name)
    tenant = getattr(connection, "tenant", None)
    if tenant is not None:
        tenant.name = name
    tenant_lookup_invalidate()
    transaction.on_commit(tenant_lookup_invalidate)  # again, so no process caches the old row meanwhile
    activity_record(
        actor=actor,
        kind=ActivityKind.SETTINGS,
        object_type="tenants.company",
        object_repr=name,
        code="settings.company_renamed",
        params={"from": company.name, "to": name},
    )


def logo_prepare(upload: UploadedFile) -> ContentFile:
    """Check an uploaded logo (size, real image of an allowed type) and return it
    re-encoded as PNG: whatever was uploaded, only pixels we wrote are stored."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise SettingsError(_("Logo może mieć najwyżej 1 MB."), field="logo")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise SettingsError(
            _("To nie jest obraz. Wyślij logo w formacie PNG, JPG, WEBP lub GIF."), field="logo"
        ) from exc
    if kind not in LOGO_FORMATS:
        raise SettingsError(_("Dozwolone formaty logo: PNG, JPG, WEBP, GIF."), field="logo")
    if width * height > LOGO_MAX_PIXELS:
        raise SettingsError(_("Obraz jest za duży (najwyżej 4000 × 4000 pikseli)."), field="logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            converted = image.convert("RGBA")
            converted.thumbnail(LOGO_BOX)
            out = io.BytesIO()
            converted.save(out, format="PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise SettingsError(_("Nie udało się odczytać obrazu. Spróbuj innego pliku."), field="logo") from exc
    return ContentFile(out.getvalue(), name="logo.png")


def company_logo_set(*, obj: CompanySettings, upload: UploadedFile | None, remove: bool = False) -> None:
    """Put the new logo on `obj` (saved by the caller). The old file is removed only
    once the transaction commits: a save that fails keeps the logo it had."""
    prepared = logo_prepare(upload) if upload is not None else None
    old = obj.logo.name if obj.logo else ""
    if remove or prepared is not None:
        obj.logo = ""
    if prepared is not None:
        obj.logo.save(prepared.name or "logo.png", prepared, save=False)
    if old and old != obj.logo.name:
        # The company now: the storage's folder (or key prefix) follows the active schema.
        storage, schema = obj.logo.storage, connection.schema_name

        def old_delete() -> None:
            with schema_context(schema):
                storage.delete(old)

        transaction.on_commit(old_delete)


@transaction.atomic
def company_info_save(
    *,
    actor: User | None,
    obj: CompanySettings,
    fields: Iterable[str],
    name: str,
    upload: UploadedFile | None,
    remove: bool,
) -> CompanySettings:
    """Settings > Firma: the logo, the company data and the company's name, all or nothing."""
    company_logo_set(obj=obj, upload=upload, remove=remove)
    fields = [*fields, *(["logo"] if upload is not None or remove else [])]
    company_settings_save(actor=actor, obj=obj, fields=fields, section=_("Firma"))
    company_name_change(actor=actor, name=name)
    return obj


def smtp_password_set(*, obj: CompanySettings, password: str | None, clear: bool = False) -> bool:
    """Store a new SMTP password encrypted; returns True when it changed. Blank keeps the old one."""
    if clear:
        changed = bool(obj.smtp_password_encrypted)
        obj.smtp_password_encrypted = ""
        return changed
    if password:
        obj.smtp_password_encrypted = secret_encrypt(password)
        return True
    return False


def smtp_test_record(*, actor: User | None, to: str, result: str) -> None:
    """The test message sent from Settings > E-mail, and the server's answer."""
    activity_record(
        actor=actor,
        kind=ActivityKind.SETTINGS,
        object_type="company.companysettings",
        object_repr=_("E-mail"),
        code="settings.mail_test",
        params={"to": to, "result": result},
    )


# Fields of CompanySettings the company-data API changes (name is tenants.Company's).
COMPANY_DATA_FIELDS = (
    "tax_id",
    "street",
    "postal_code",
    "city",
    "country",
    "bank_account",
    "email",
    "phone",
    "website",
    "place_of_issue",
    "payment_term_days",
    "invoice_number_pattern",
    "proforma_number_pattern",
    "correction_number_pattern",
    "number_reset",
    "pracownik_may_issue_invoices",
)


@transaction.atomic
def company_data_update(*, actor: User | None, name: str | None = None, **changes: object) -> CompanySettings:
    """The company's data and invoicing settings (checked by the caller's form or
    serializer), all or nothing, each change logged; `name` renames the company."""
    unknown = set(changes) - set(COMPANY_DATA_FIELDS)
    if unknown:
        raise TypeError(f"company_data_update got unknown fields: {sorted(unknown)}")
    obj = company_settings_fresh()
    for field, value in changes.items():
        setattr(obj, field, value)
    if changes:
        company_settings_save(actor=actor, obj=obj, fields=list(changes), section=_("Firma"))
    if name is not None:
        company_name_change(actor=actor, name=name)
    return obj


def ksef_token_set(*, obj: CompanySettings, token: str | None, clear: bool = False) -> bool:
    """Store a new KSeF token encrypted; returns True when it changed. Blank keeps the old one."""
    if clear:
        changed = bool(obj.ksef_token_encrypted)
        obj.ksef_token_encrypted = ""
        return changed
    if token:
        obj.ksef_token_encrypted = secret_encrypt(token.strip())
        return True
    return False
