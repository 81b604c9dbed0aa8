"""Issue 13 leftovers: who owns a deal of each customer, on the customer row (kept by a
trigger of sales 0004), the contact persons' search text stored and indexed, and the
customers of a group as a sorted index (a filtered count merges it with the status index)."""

import crm.common.search
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('categories', '0004_lock_coded_customer_statuses'),
        ('contacts', '0005_polish_order_and_wider_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Django's own table for Customer.groups has an index on each column alone; the
        # list's "group + status" count becomes a merge of two index-only scans with this one.
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS customer_groups_group_customer_idx"
            " ON contacts_customer_groups (contactgroup_id, customer_id);",
            "DROP INDEX IF EXISTS customer_groups_group_customer_idx;",
        ),
        migrations.AddField(
            model_name='customer',
            name='deal_owner_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=django.contrib.postgres.indexes.GinIndex(fields=['deal_owner_ids'], name='customer_deal_owners_gin'),
        ),
        migrations.RemoveIndex(
            model_name='contactperson',
            name='contact_search_fold_trgm',
        ),
        migrations.AddField(
            model_name='contactperson',
            name='search_fold',
            field=models.GeneratedField(db_persist=True, expression=crm.common.search.SearchFold('name', 'email', 'phone'), output_field=models.TextField()),
        ),
        migrations.AddIndex(
            model_name='contactperson',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_fold'], name='contact_search_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddIndex(
            model_name='contactperson',
            index=models.Index(fields=['name', 'id'], name='contact_name_id_idx'),
        ),
        # Adding the stored column rewrote the table: without fresh statistics the planner
        # walks the name index through every row for a word nobody has (seconds, not ms).
        migrations.RunSQL("ANALYZE contacts_contactperson;", migrations.RunSQL.noop),
    ]
