"""A covering index on contacts_customer for the home page's one-pass customer figures
(status, type, creation and last-contact buckets): an index-only scan instead of
reading the whole table, and for a Pracownik restricted to their own customers a
range of it (owner_id first). The table belongs to the contacts app, so the index is
created here with IF NOT EXISTS rather than in that app's model Meta."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("contacts", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS dash_customer_facts_idx ON contacts_customer "
                "(owner_id, status_id, type_id, created_at, last_contact_at)"
            ),
            reverse_sql="DROP INDEX IF EXISTS dash_customer_facts_idx",
        ),
    ]
