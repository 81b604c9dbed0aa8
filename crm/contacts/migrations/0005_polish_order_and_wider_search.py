"""Issue 13: names in Polish alphabetical order (ICU collation), customers found by
address and contact persons, and the folding function behind the global search."""

import crm.common.search
import django.contrib.postgres.indexes
import django.db.models.functions.text
from typing import Any

from django.db import migrations, models
from unidecode import unidecode

# PostgreSQL built with ICU ships "pl-x-icu" in pg_catalog; otherwise make it in public.
COLLATION_SQL = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pl-x-icu') THEN
    CREATE COLLATION IF NOT EXISTS public."pl-x-icu" (provider = icu, locale = 'pl-PL');
  END IF;
END
$$;
"""


def _fold(*parts: str) -> str:
    return " ".join(unidecode(p).lower() for p in parts if p)


def _phone(phone: str) -> tuple[str, str]:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return phone, digits if digits != phone else ""


def search_text_refill(apps: Any, schema_editor: Any) -> None:
    """search_text now also holds the address and the contact persons (same rule as
    crm.contacts.models.customer_search_text, frozen here)."""
    Customer = apps.get_model("contacts", "Customer")
    ContactPerson = apps.get_model("contacts", "ContactPerson")
    contacts: dict[int, list[str]] = {}
    for cid, name, email, phone in ContactPerson.objects.order_by("id").values_list(
        "customer_id", "name", "email", "phone"
    ).iterator(chunk_size=5000):
        contacts.setdefault(cid, []).extend([name, email, *_phone(phone)])
    batch = []
    for customer in Customer.objects.order_by("id").iterator(chunk_size=2000):
        customer.contacts_search_text = _fold(*contacts.get(customer.pk, []))
        customer.search_text = _fold(
            customer.name, customer.email, *_phone(customer.phone), customer.tax_id,
            customer.street, *_phone(customer.postal_code), customer.city, customer.contacts_search_text,
        )
        batch.append(customer)
        if len(batch) >= 2000:
            Customer.objects.bulk_update(batch, ["search_text", "contacts_search_text"])
            batch = []
    Customer.objects.bulk_update(batch, ["search_text", "contacts_search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0004_category_filter_indexes'),
    ]

    operations = [
        migrations.RunSQL(COLLATION_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(crm.common.search.FOLD_FUNCTION_SQL, migrations.RunSQL.noop),
        migrations.AddField(
            model_name='customer',
            name='contacts_search_text',
            field=models.TextField(default='', editable=False),
        ),
        migrations.AlterField(
            model_name='contactperson',
            name='name',
            field=models.CharField(db_collation='pl-x-icu', max_length=200, verbose_name='imię i nazwisko'),
        ),
        migrations.AlterField(
            model_name='customer',
            name='name',
            field=models.CharField(db_collation='pl-x-icu', max_length=200, verbose_name='nazwa'),
        ),
        migrations.AddIndex(
            model_name='contactperson',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(crm.common.search.SearchFold('name', 'email', 'phone'), name='gin_trgm_ops'), name='contact_search_fold_trgm'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(django.db.models.functions.text.Upper('city'), models.F('id'), name='customer_city_id_idx'),
        ),
        migrations.RunPython(search_text_refill, migrations.RunPython.noop),
    ]
