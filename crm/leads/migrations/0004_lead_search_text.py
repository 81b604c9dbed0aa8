"""Leads get a search text (issue 17: their textual custom fields are searched), with a
trigram index built without blocking writes (docs/migrations.md). Existing leads keep NULL
until `manage.py leads_search_text_fill` fills them in batches; the searches match those by
their plain columns meanwhile."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('leads', '0003_lead_custom_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='lead',
            name='search_text',
            field=models.TextField(editable=False, null=True),
        ),
        AddIndexConcurrently(
            model_name='lead',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_text'], name='lead_search_trgm', opclasses=['gin_trgm_ops']),
        ),
    ]
