"""Stage names are unique per pipeline (case-insensitive) instead of across the company,
so "Hurt" and "Serwis" may both have an "Oferta".

The new unique index is built concurrently first (writes go on), then the old
company-wide one is dropped concurrently; both are expression indexes, so there is no
table constraint to attach (docs/migrations.md)."""

import django.db.models.functions.text
from django.db import migrations, models

TABLE = "categories_dealstage"
NEW, OLD = "dealstage_pipeline_name_ci_unique", "dealstage_name_ci_unique"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("categories", "0005_pipelines"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "{NEW}" ON "{TABLE}" ("pipeline_id", (LOWER("name")))',
                    reverse_sql=f'DROP INDEX CONCURRENTLY IF EXISTS "{NEW}"',
                ),
            ],
            state_operations=[
                migrations.AddConstraint(
                    model_name="dealstage",
                    constraint=models.UniqueConstraint(
                        models.F("pipeline"), django.db.models.functions.text.Lower("name"), name=NEW
                    ),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX CONCURRENTLY IF EXISTS "{OLD}"',
                    # back: refused while two pipelines share a stage name (rename one first)
                    reverse_sql=f'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "{OLD}" ON "{TABLE}" ((LOWER("name")))',
                ),
            ],
            state_operations=[
                migrations.RemoveConstraint(model_name="dealstage", name=OLD),
            ],
        ),
    ]
