"""Sample company settings of the demo company (idempotent: fills only what is empty)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from crm.company.models import CompanySettings

DEMO_INFO = {
    "street": "ul. Podlesie 3",
    "postal_code": "41-303",
    "city": "Dąbrowa Górnicza",
    "country": "Polska",
    "tax_id": "6292424157",
    "phone": "+48 32 262 10 00",
    "email": "biuro@demo.test",
    "website": "https://demo.imcrm.localhost",
}


def settings_demo_seed() -> None:
    row = CompanySettings.current()
    changed = [field for field, value in DEMO_INFO.items() if not getattr(row, field)]
    for field in changed:
        setattr(row, field, DEMO_INFO[field])
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
    _activity_demo_seed()


def _activity_demo_seed() -> None:
    """A few past log entries so the activity log is not empty in the demo."""
    from crm.accounts.models import User
    from crm.activity.models import ActivityEntry, ActivityKind

    if ActivityEntry.objects.exists():
        return
    now = timezone.now()
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
    rows = [
        ("szef@demo.test", ActivityKind.LOGIN, "", "", 3, "83.12.45.101"),
        ("szef@demo.test", ActivityKind.SETTINGS, "Firma", "Zmienione pola: NIP, telefon", 3, "83.12.45.101"),
        ("kierownik@demo.test", ActivityKind.LOGIN, "", "", 2, "83.12.45.102"),
        ("pracownik@demo.test", ActivityKind.LOGIN_FAILED, "", "", 1, "31.0.77.12"),
        ("pracownik@demo.test", ActivityKind.LOGIN, "", "", 1, "31.0.77.12"),
        ("kierownik@demo.test", ActivityKind.EXPORT, "", "Eksport listy klientów do CSV", 0, "83.12.45.102"),
    ]
    ActivityEntry.objects.bulk_create(
        [
            ActivityEntry(
                created_at=now - timedelta(days=days, hours=i),
                user=people.get(email),
                user_label=email,
                kind=kind,
                object_repr=obj,
                message=message,
                ip=ip,
            )
            for i, (email, kind, obj, message, days, ip) in enumerate(rows)
        ]
    )
