"""Web-to-lead forms: Szef builds them in Settings (the fields asked, the thanks text, the
owner: fixed or round-robin among chosen staff, the sites that may embed them); a
visitor's submission at /forms/<slug>/ makes a lead and e-mails its owner (Celery).

Spam protection without a third-party captcha lives in crm/leads/public.py (honeypot,
rate limit per address, Origin allowlist); the rules of the data live here."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.categories.models import ContactSource
from crm.leads.models import Lead, OwnerMode, WebForm, WebFormField
from crm.leads.services import lead_create
from crm.leads.tasks import lead_new_email_send_task
from tenants import queue

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
ORIGIN_RE = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
MAX_ORIGINS = 20
FIELD_KEYS = tuple(WebFormField.values)


def _clean(
    *,
    form: WebForm,
    name: str,
    slug: str,
    fields: list[str],
    required_fields: list[str],
    thanks_text: str,
    owner_mode: str,
    owner: User | None,
    rotation: list[User],
    source: ContactSource | None,
    allowed_origins: str,
    active: bool,
) -> None:
    errors: dict[str, str] = {}
    form.name = " ".join((name or "").split())
    if not form.name:
        errors["name"] = _("Podaj nazwę formularza.")
    form.slug = (slug or "").strip().lower()
    if not SLUG_RE.match(form.slug):
        errors["slug"] = _("Adres może mieć małe litery, cyfry i myślniki (do 60 znaków).")
    elif WebForm.objects.filter(slug=form.slug).exclude(pk=form.pk).exists():
        errors["slug"] = _("Formularz o takim adresie już istnieje.")
    unknown = [key for key in fields if key not in FIELD_KEYS]
    if unknown:
        errors["fields"] = _("Wybierz pola z listy.")
    form.fields = [key for key in FIELD_KEYS if key in fields]
    form.required_fields = [key for key in form.fields if key in required_fields]
    form.thanks_text = (thanks_text or "").strip()[:2000]
    if owner_mode not in OwnerMode.values:
        errors["owner_mode"] = _("Wybierz sposób przydziału opiekuna.")
    form.owner_mode = owner_mode
    form.owner = owner
    if owner_mode == OwnerMode.FIXED and owner is None:
        errors["owner"] = _("Wybierz opiekuna leadów z tego formularza.")
    if owner_mode == OwnerMode.ROUND_ROBIN and not rotation:
        errors["rotation"] = _("Wybierz co najmniej jedną osobę do kolejki.")
    form.source = source
    origins = [line.strip().rstrip("/").lower() for line in (allowed_origins or "").splitlines() if line.strip()]
    bad = [origin for origin in origins if not ORIGIN_RE.match(origin)]
    if bad:
        errors["allowed_origins"] = _("„%(origin)s” nie jest adresem strony, np. https://firma.pl.") % {
            "origin": bad[0]
        }
    elif len(origins) > MAX_ORIGINS:
        errors["allowed_origins"] = _("Podaj najwyżej %(n)s stron.") % {"n": MAX_ORIGINS}
    form.allowed_origins = "\n".join(origins)
    form.active = bool(active)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webform_save(*, actor: User, form: WebForm | None = None, rotation: list[User], **data: Any) -> WebForm:
    """Create (`form` None) or change a web form; ValidationError per field."""
    creating = form is None
    form = form if form is not None else WebForm()
    _clean(form=form, rotation=rotation, **data)
    form.save()
    form.rotation.set(rotation)
    code = "lead_form.created" if creating else "lead_form.updated"
    kind = ActivityKind.CREATE if creating else ActivityKind.UPDATE
    activity_record(actor=actor, kind=kind, obj=form, code=code, params={"name": form.name})
    return form


@transaction.atomic
def webform_delete(*, actor: User, form: WebForm) -> None:
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=form, code="lead_form.deleted", params={"name": form.name}
    )
    form.delete()


def _next_owner(form: WebForm) -> User | None:
    """The fixed owner, or the next active person of the rotation after the last one."""
    if form.owner_mode == OwnerMode.FIXED:
        return form.owner if form.owner is not None and form.owner.is_active else None
    people = list(form.rotation.filter(is_active=True).order_by("id"))
    if not people:
        return None
    after = [person for person in people if form.last_owner_id is not None and person.pk > form.last_owner_id]
    return after[0] if after else people[0]


def webform_submit(*, form: WebForm, data: dict[str, str]) -> Lead:
    """A visitor's submission: a lead (source and owner from the form); its owner gets an
    e-mail once it is saved. ValidationError per field with messages for the visitor."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {key: " ".join(str(data.get(key, "")).split())[:200] for key in ("name", *form.fields)}
    if "description" in form.fields:
        values["description"] = str(data.get("description", "")).strip()[:5000]
    if not values["name"]:
        errors["name"] = _("Podaj imię i nazwisko.")
    for key in form.required_fields:
        if not values.get(key):
            errors[key] = _("To pole jest wymagane.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        form = WebForm.objects.select_for_update(of=("self",)).select_related("owner", "source").get(pk=form.pk)
        owner = _next_owner(form)
        lead = lead_create(actor=None, source=form.source, owner=owner, **values)
        if owner is not None and form.owner_mode == OwnerMode.ROUND_ROBIN:
            form.last_owner = owner
            form.save(update_fields=["last_owner"])
        if owner is not None and owner.email:
            transaction.on_commit(
                functools.partial(queue.enqueue, lead_new_email_send_task, lead.pk, owner.pk, form.name)
            )
    return lead
