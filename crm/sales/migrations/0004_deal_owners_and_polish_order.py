"""Issue 13 leftovers: the database keeps Customer.deal_owner_ids and the pipeline's
column figures from the deals (crm.sales.deal_owners and crm.sales.pipeline_totals
explain why triggers); deal names in Polish order."""

from django.db import migrations, models

from crm.sales import deal_owners, pipeline_totals


def locked(sql: str) -> str:
    """The functions live in `public`, shared by every company schema: one migration at a time replaces them."""
    return "SELECT pg_advisory_xact_lock(hashtext('imcrm_sales_functions'));" + sql


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0006_deal_owners_and_contact_search'),
        ('sales', '0003_deal_search_index'),
    ]

    operations = [
        migrations.RunSQL(locked(deal_owners.FUNCTION_SQL), migrations.RunSQL.noop),
        migrations.RunSQL(deal_owners.TRIGGERS_SQL, deal_owners.TRIGGERS_DROP_SQL),
        migrations.RunSQL(deal_owners.BACKFILL_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(pipeline_totals.TABLE_SQL, pipeline_totals.REVERSE_SQL),
        migrations.RunSQL(locked(pipeline_totals.FUNCTION_SQL), migrations.RunSQL.noop),
        migrations.RunSQL(pipeline_totals.TRIGGERS_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(pipeline_totals.BACKFILL_SQL, migrations.RunSQL.noop),
        migrations.CreateModel(
            name='PipelineTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status_id', models.BigIntegerField()),
                ('stage_key', models.BigIntegerField()),
                ('currency', models.CharField(max_length=3)),
                ('deals', models.IntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=30)),
            ],
            options={'db_table': 'sales_pipelinetotal', 'managed': False},
        ),
        migrations.AlterField(
            model_name='deal',
            name='name',
            field=models.CharField(db_collation='pl-x-icu', max_length=200, verbose_name='nazwa'),
        ),
        migrations.AddIndex(
            model_name='deal',
            index=models.Index(fields=['name', 'id'], name='deal_name_id_idx'),
        ),
        # The new collation rewrote the deals table and the backfill every customer with a
        # deal: without fresh statistics a rare search word is looked for by walking an
        # ordered index through every row (1.8 s instead of 1 ms on the bench company).
        migrations.RunSQL("ANALYZE sales_deal; ANALYZE contacts_customer;", migrations.RunSQL.noop),
    ]
